// Programming a board: check the bitstream, find the tool, run it with its
// output streamed as progress, and turn "no USB device" into "no board found".

import { resolve } from 'node:path';
import type { BoardDescription, FlashTool } from '../board/types.ts';
import { MissingToolError } from '../toolchain/errors.ts';
import { runProcess } from '../toolchain/system-tools.ts';
import { findOnPath } from '../tools.ts';
import { checkBitstream } from './bitstream-check.ts';
import { flashCommand, formatCommand, type FlashCommand, type FlashCommandOptions } from './command.ts';
import { FlashError, NoBoardFoundError } from './errors.ts';

export interface FlashOptions extends FlashCommandOptions {
  /** Only check and report the command; do not run it. */
  readonly dryRun?: boolean;
  /** Search path for the tool (default: $PATH). */
  readonly path?: string;
  /** Each line the tool prints (its progress). */
  readonly onLine?: (line: string) => void;
}

export interface FlashResult {
  readonly command: FlashCommand;
  /** The command as it would be typed. */
  readonly commandText: string;
  /** Where the tool was found; undefined in a dry run without the tool. */
  readonly toolPath?: string;
  readonly ran: boolean;
  /** What the tool printed (empty in a dry run). */
  readonly output: string;
}

/** What each tool prints when no board is plugged in. */
const NO_DEVICE: Readonly<Record<FlashTool, RegExp>> = {
  iceprog: /Can't find iCE FTDI USB device/,
  openFPGALoader: /unable to open ftdi device|no cable found|cable not found|device not found/i,
  tinyprog: /no active bootloaders found/i,
  icesprog: /iCELink open fail/,
  'dfu-util': /No DFU capable USB device available/,
};

export async function flash(board: BoardDescription, bitstream: string, options: FlashOptions = {}): Promise<FlashResult> {
  const path = resolve(bitstream);
  await checkBitstream(board, path);
  const command = flashCommand(board, path, options);
  const commandText = formatCommand(command);
  const toolPath = findOnPath(command.tool, options.path ?? process.env.PATH ?? '');

  if (options.dryRun) return { command, commandText, toolPath, ran: false, output: '' };
  if (toolPath === undefined) {
    throw new MissingToolError(command.tool, command.packageHint, `program board '${board.id}': ${commandText}`);
  }

  const result = await runProcess([toolPath, ...command.args], {
    onLine: options.onLine ? (line) => options.onLine!(line) : undefined,
  });
  const output = result.stdout + result.stderr;
  if (result.exitCode === 0) return { command, commandText, toolPath, ran: true, output };

  if (NO_DEVICE[command.tool].test(output)) {
    throw new NoBoardFoundError(
      `no board found: ${command.tool} could not find ${board.title} on USB. Check that it is plugged in ` +
        `(a data cable, not a charge-only one) and that your user may access it (on Linux, a udev rule or the 'plugdev' group); ` +
        `then run: ${commandText}`,
    );
  }
  const tail = output.split('\n').filter((l) => l.trim()).slice(-6);
  const how = result.signal ? `was killed by ${result.signal}` : `exited with status ${result.exitCode}`;
  throw new FlashError(`${command.tool} ${how} while programming board '${board.id}' (${commandText}):\n  ${tail.join('\n  ')}`);
}
