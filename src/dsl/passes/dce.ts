// Pass: dead logic removal. Keeps everything that can reach an output port, a
// primitive or sub-module instance, or (by default) a user-named signal so it
// stays visible in waveforms and peek(). Memories with no live read port lose
// their write ports too.

import { driverIndex, type DesignIR, type ModuleIR } from '../ir.ts';

export interface DceOptions {
  /** Keep logic driving user-named signals even when nothing reads them. */
  keepNamed: boolean;
}

export function removeDeadLogic(d: DesignIR, opts: DceOptions): DesignIR {
  for (const m of d.modules) dceModule(m, opts);
  return d;
}

export function dceModule(m: ModuleIR, opts: DceOptions): void {
  const driver = driverIndex(m);
  const live = new Uint8Array(m.cells.length);
  const stack: number[] = [];
  const markNet = (n: number): void => {
    const d = driver[n]!;
    if (d >= 0 && !live[d]) {
      live[d] = 1;
      stack.push(d);
    }
  };
  const liveMem = new Uint8Array(m.mems.length);
  for (const p of m.outputs) markNet(p.net);
  if (m.clock !== undefined) markNet(m.clock);
  m.cells.forEach((c, i) => {
    const root = c.kind === 'inst' || (opts.keepNamed && c.outs.some((o) => m.nets[o]!.name !== undefined));
    if (root && !live[i]) {
      live[i] = 1;
      stack.push(i);
    }
  });
  const drain = (): void => {
    while (stack.length) {
      const c = m.cells[stack.pop()!]!;
      for (const n of c.ins) markNet(n);
      if (c.kind === 'memrd') liveMem[c.mem!] = 1;
    }
  };
  drain();
  // Write ports are live once their memory has a live reader; their inputs
  // may in turn make more readers live, so iterate to a fixed point.
  for (let changed = true; changed; ) {
    changed = false;
    m.cells.forEach((c, i) => {
      if (c.kind === 'memwr' && !live[i] && liveMem[c.mem!]) {
        live[i] = 1;
        stack.push(i);
        changed = true;
      }
    });
    drain();
  }
  const cells = m.cells.filter((_, i) => live[i]);
  // Drop memories nobody reads and renumber the rest.
  const remap = new Int32Array(m.mems.length).fill(-1);
  const mems = m.mems.filter((_, i) => liveMem[i]);
  let k = 0;
  m.mems.forEach((_, i) => {
    if (liveMem[i]) remap[i] = k++;
  });
  for (const c of cells) if (c.mem !== undefined) c.mem = remap[c.mem]!;
  m.cells = cells;
  m.mems = mems;
}
