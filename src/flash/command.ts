// The command that programs a board, as an argv array: built from the board
// description, never concatenated into a shell string.

import type { BoardDescription, FlashMethod, FlashTool } from '../board/types.ts';
import { TOOL_PACKAGES } from '../tools.ts';
import { FlashError } from './errors.ts';

export interface FlashCommand {
  readonly tool: FlashTool;
  /** Arguments after the tool name, the bitstream path last. */
  readonly args: readonly string[];
  /** How to install the tool, for a "not found" message. */
  readonly packageHint: string;
  readonly note?: string;
}

export interface FlashCommandOptions {
  /** Use one of the board's alternative tools instead of its usual one. */
  readonly tool?: FlashTool;
  /** Load the FPGA's SRAM (volatile) instead of writing the flash; iceprog only (-S). */
  readonly sram?: boolean;
}

/** The methods a board can be programmed with, usual one first. */
export function flashMethods(board: BoardDescription): readonly FlashMethod[] {
  return [board.flash, ...(board.alternativeFlash ?? [])];
}

export function flashCommand(board: BoardDescription, bitstream: string, options: FlashCommandOptions = {}): FlashCommand {
  const methods = flashMethods(board);
  const method = options.tool === undefined ? board.flash : methods.find((m) => m.tool === options.tool);
  if (!method) {
    throw new FlashError(
      `board '${board.id}' is not programmed with ${options.tool}; it can be programmed with: ${methods.map((m) => m.tool).join(', ')}`,
    );
  }
  if (options.sram && method.tool !== 'iceprog') {
    throw new FlashError(`loading SRAM (iceprog -S) is not available with ${method.tool}, which board '${board.id}' uses`);
  }
  return {
    tool: method.tool,
    args: [...method.args, ...(options.sram ? ['-S'] : []), bitstream],
    packageHint: TOOL_PACKAGES[method.tool] ?? `'${method.tool}'`,
    ...(method.note !== undefined ? { note: method.note } : {}),
  };
}

/** The command as a person would type it (for display only; never executed). */
export function formatCommand(command: FlashCommand): string {
  const quote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return [command.tool, ...command.args].map(quote).join(' ');
}
