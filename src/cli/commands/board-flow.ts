// Command-line verbs for the board flow, registered by ./index.ts: `boards`, `bitstream` (Verilog -> .bin, or synth-only) and
// `flash`. Thin layers over the library; errors propagate to the CLI's
// formatter, which prints their message.

import type { Command } from 'commander';
import { describeBoards, requireBoard } from '../../board/registry.ts';
import { flash } from '../../flash/flash.ts';
import type { FlashTool } from '../../board/types.ts';
import { buildBitstream } from '../../toolchain/build.ts';
import { ToolchainError } from '../../toolchain/errors.ts';
import { formatProgress } from '../../toolchain/progress.ts';
import { readSourceFiles } from '../../toolchain/sources.ts';

/** "name=pin" pairs from repeated --pin options. */
export function parsePinOptions(values: readonly string[]): Record<string, string> {
  const pins: Record<string, string> = {};
  for (const value of values) {
    const m = /^([^=\s]+)=([^=\s]+)$/.exec(value);
    if (!m) throw new ToolchainError(`--pin expects <signal>=<package pin>, e.g. --pin 'gpio[0]=23', got '${value}'`);
    pins[m[1]!] = m[2]!;
  }
  return pins;
}

function parseMHz(value: string): number {
  const mhz = Number(value);
  if (!Number.isFinite(mhz) || mhz <= 0) throw new ToolchainError(`--clock-mhz expects a positive number, got '${value}'`);
  return mhz;
}

export function registerBoardCommands(program: Command, out: (text: string) => void = (t) => process.stdout.write(t)): void {
  program
    .command('boards')
    .description('list the boards bpfgate knows, and why some are unsupported')
    .action(() => out(`${describeBoards()}\n`));

  program
    .command('bitstream')
    .description('synthesise, place and route Verilog for a board and pack the bitstream (.bin)')
    .argument('<sources...>', 'Verilog files (and files they include)')
    .requiredOption('-t, --top <module>', 'top module')
    .option('-b, --board <name>', 'board (see `bpfgate boards`)', 'icebreaker')
    .option('-o, --out <dir>', 'output directory', 'build')
    .option('--clock-mhz <mhz>', "timing target (default: the board's oscillator)")
    .option('--pin <signal=pin...>', 'pin for a port the board conventions do not cover', [])
    .option('--synth-only', 'stop after synthesis and report the cell counts')
    .option('--no-dsp', 'do not map multipliers to DSP blocks')
    .option('--allow-timing-fail', 'write the bitstream even if the clock target is missed')
    .option('-q, --quiet', 'no progress, only the report')
    .action(async (sources: string[], opts: {
      top: string; board: string; out: string; clockMhz?: string; pin: string[]; synthOnly?: boolean;
      dsp: boolean; allowTimingFail?: boolean; quiet?: boolean;
    }) => {
      const result = await buildBitstream({
        verilog: await readSourceFiles(sources),
        top: opts.top,
        board: opts.board,
        outDir: opts.out,
        ...(opts.clockMhz !== undefined ? { clockMHz: parseMHz(opts.clockMhz) } : {}),
        pins: parsePinOptions(opts.pin),
        synthOnly: opts.synthOnly ?? false,
        ...(opts.dsp ? {} : { dsp: false }),
        allowTimingFailure: opts.allowTimingFail ?? false,
        ...(opts.quiet ? {} : { onProgress: (e) => out(`${formatProgress(e)}\n`) }),
      });
      out(result.reportText);
    });

  program
    .command('flash')
    .description("program a board with a bitstream, using the board's tool")
    .argument('<bitstream>', 'the .bin a build wrote')
    .option('-b, --board <name>', 'board (see `bpfgate boards`)', 'icebreaker')
    .option('--tool <name>', 'use one of the board\'s alternative tools (e.g. openFPGALoader)')
    .option('--sram', 'load the FPGA SRAM instead of the flash (iceprog -S)')
    .option('-n, --dry-run', 'print the command, do not run it')
    .action(async (bitstream: string, opts: { board: string; tool?: string; sram?: boolean; dryRun?: boolean }) => {
      const board = requireBoard(opts.board);
      const result = await flash(board, bitstream, {
        ...(opts.tool !== undefined ? { tool: opts.tool as FlashTool } : {}),
        sram: opts.sram ?? false,
        dryRun: opts.dryRun ?? false,
        onLine: (line) => out(`${line}\n`),
      });
      if (result.ran) {
        out(`programmed ${board.title} with ${bitstream}\n`);
      } else {
        const where = result.toolPath ?? `not installed: install ${result.command.packageHint}`;
        out(`would run: ${result.commandText}\n  (${result.command.tool}: ${where})\n`);
      }
    });
}
