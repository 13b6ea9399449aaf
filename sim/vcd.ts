// VCD files for Node: traceVcd writes a trace straight to a file. The writer
// itself (no I/O, usable in a browser) is in ./vcd-writer.ts.

import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { Simulator } from './simulator.ts';
import { VcdWriter, type VcdOptions, type VcdTrace } from './vcd-writer.ts';

export { traceVcdTo, vcdToString, VcdWriter, type VcdOptions, type VcdTrace } from './vcd-writer.ts';

/** Start writing a VCD file for `sim`; samples the current state immediately. */
export function traceVcd(sim: Simulator, path: string, opts: VcdOptions = {}): VcdTrace {
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  const trace = new VcdWriter(sim, (s) => out.write(s), opts);
  const off = sim.onStep(() => trace.sample());
  trace.sample();
  return {
    sample: () => trace.sample(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        off();
        (out as WriteStream).end((err?: Error | null) => (err ? reject(err) : resolve()));
      }),
  };
}
