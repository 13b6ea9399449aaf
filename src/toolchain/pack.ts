// Packing nextpnr's textual configuration (.asc) into the binary bitstream
// (.bin) the board's flash holds.

import { ToolFailedError } from './errors.ts';
import { runYowasp, treeBytes, YowaspRunFailure } from './yowasp.ts';

export async function packBitstream(asc: string): Promise<Uint8Array> {
  try {
    const run = await runYowasp('icepack', ['design.asc', 'design.bin'], { 'design.asc': asc });
    const bytes = treeBytes(run.files, 'design.bin');
    if (!bytes) throw new ToolFailedError('icepack', ['finished without writing design.bin']);
    return bytes;
  } catch (err) {
    if (err instanceof YowaspRunFailure) throw new ToolFailedError('icepack', err.errorLines());
    throw err;
  }
}
