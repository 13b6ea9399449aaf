// Pass: every net read by the design has exactly one driver. Reports
// multiply-driven signals (with every driver's location) and signals that are
// read or exported but never assigned (with the declaration's location).

import { ElabError, type SourceLoc } from '../loc.ts';
import type { DesignIR, ModuleIR } from '../ir.ts';

export function checkDrivers(d: DesignIR): DesignIR {
  for (const m of d.modules) checkModuleDrivers(m);
  return d;
}

export function checkModuleDrivers(m: ModuleIR): void {
  const drivers: SourceLoc[][] = m.nets.map(() => []);
  const counts = new Int32Array(m.nets.length);
  for (const p of m.inputs) {
    counts[p.net]!++;
    if (m.nets[p.net]!.loc) drivers[p.net]!.push(m.nets[p.net]!.loc!);
  }
  for (const c of m.cells) {
    for (const o of c.outs) {
      counts[o]!++;
      if (c.loc) drivers[o]!.push(c.loc);
    }
  }
  const read = new Uint8Array(m.nets.length);
  for (const c of m.cells) for (const i of c.ins) read[i] = 1;
  for (const p of m.outputs) read[p.net] = 1;

  m.nets.forEach((n, id) => {
    const label = n.name ? `'${n.name}'` : 'an internal value';
    if (counts[id]! > 1) {
      const isInput = m.inputs.some((p) => p.net === id);
      throw new ElabError(
        `${isInput ? 'input port' : 'signal'} ${label} in module '${m.name}' is driven ${counts[id]} times (multiply driven)`,
        n.loc,
        drivers[id]!,
      );
    }
    if (counts[id] === 0 && read[id]) {
      throw new ElabError(`signal ${label} in module '${m.name}' is read but never driven (undriven)`, n.loc);
    }
  });
}
