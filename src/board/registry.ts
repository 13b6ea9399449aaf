// Looking boards up by name. Unknown names and unsupported boards fail with a
// message that lists what is known, so nobody has to read the source.

import { BOARDS, DEFAULT_BOARD_ID } from '../../boards/index.ts';
import { DEVICES } from './devices.ts';
import { BoardError } from './errors.ts';
import type { BoardDescription } from './types.ts';

export function listBoards(): readonly BoardDescription[] {
  return BOARDS;
}

export function defaultBoard(): BoardDescription {
  return requireBoard(DEFAULT_BOARD_ID);
}

/** The board called `name` (id or alias, any case), or undefined. */
export function findBoard(name: string): BoardDescription | undefined {
  const key = name.trim().toLowerCase();
  return BOARDS.find((b) => b.id === key || (b.aliases ?? []).includes(key));
}

/** The board called `name`; throws a BoardError listing the known boards. */
export function requireBoard(name: string): BoardDescription {
  const board = findBoard(name);
  if (!board) {
    throw new BoardError(`unknown board '${name}'; known boards:\n${describeBoards()}`);
  }
  return board;
}

/** Like requireBoard, but also refuses boards bpfgate cannot run on, with the reason. */
export function requireSupportedBoard(name: string): BoardDescription {
  const board = requireBoard(name);
  assertSupported(board);
  return board;
}

export function assertSupported(board: BoardDescription): void {
  if (board.unsupported !== undefined) {
    throw new BoardError(`board '${board.id}' (${board.title}) is not supported: ${board.unsupported}`);
  }
}

/** One line per board: id, title, part and package, and why it is unsupported if it is. */
export function describeBoards(): string {
  const width = Math.max(...BOARDS.map((b) => b.id.length));
  return BOARDS.map((b) => {
    const part = `${DEVICES[b.device].part}-${b.package.toUpperCase()}`;
    const tag = b.id === DEFAULT_BOARD_ID ? ' (default)' : '';
    const why = b.unsupported === undefined ? '' : ` -- unsupported: ${b.unsupported}`;
    return `  ${b.id.padEnd(width)}  ${b.title}, ${part}${tag}${why}`;
  }).join('\n');
}
