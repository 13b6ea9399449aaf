// A look at the file before it goes to the board: it must exist, be an iCE40
// bitstream (not the .asc or .json next to it) and, when its size says which
// part it was built for, be for this board's part.

import { readFile } from 'node:fs/promises';
import { DEVICES } from '../board/devices.ts';
import type { BoardDescription } from '../board/types.ts';
import { FlashError } from './errors.ts';

/** The iCE40 configuration sync word; every bitstream has it in its first bytes. */
const SYNC_WORD = [0x7e, 0xaa, 0x99, 0x7e];

export async function checkBitstream(board: BoardDescription, path: string): Promise<void> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new FlashError(`cannot read bitstream ${path}: ${(err as Error).message}`);
  }
  const head = bytes.subarray(0, 256);
  const hasSync = head.some((_, i) => SYNC_WORD.every((b, k) => head[i + k] === b));
  if (!hasSync) {
    throw new FlashError(
      `${path} is not an iCE40 bitstream (no sync word 7E AA 99 7E in its first bytes); flash the packed .bin the build wrote (design.bin)`,
    );
  }
  const own = DEVICES[board.device];
  const other = Object.values(DEVICES).find((d) => d.bitstreamBytes === bytes.length && d.part !== own.part);
  if (bytes.length !== own.bitstreamBytes && other) {
    throw new FlashError(
      `${path} (${bytes.length} bytes) is a bitstream for an ${other.part}, but board '${board.id}' has an ${own.part} ` +
        `(${own.bitstreamBytes}-byte bitstreams): build it for this board`,
    );
  }
}
