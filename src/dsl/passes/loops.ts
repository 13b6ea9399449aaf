// Pass: combinational loop check. Runs on a flattened copy so loops through
// instance boundaries are found too. Reports one concrete cycle by name.

import { ElabError, type SourceLoc } from '../loc.ts';
import { driverIndex, type DesignIR, type ModuleIR } from '../ir.ts';
import { combInputIndices, evaluatesInComb, levelize } from '../topo.ts';
import { flattenDesign } from './flatten.ts';

export function checkLoops(d: DesignIR): DesignIR {
  const flat = d.modules.length === 1 ? d.top : flattenDesign(d).top;
  checkModuleLoops(flat);
  return d;
}

export function checkModuleLoops(m: ModuleIR): void {
  const { cyclic } = levelize(m);
  if (cyclic.length === 0) return;
  // Walk backwards from a cyclic cell through cyclic drivers until a cell repeats.
  const inCycle = new Set(cyclic);
  const driver = driverIndex(m, evaluatesInComb);
  const path: number[] = [];
  const pos = new Map<number, number>();
  let cur = cyclic[0]!;
  while (!pos.has(cur)) {
    pos.set(cur, path.length);
    path.push(cur);
    const c = m.cells[cur]!;
    let next = -1;
    for (const k of combInputIndices(c)) {
      const dcell = driver[c.ins[k]!]!;
      if (dcell >= 0 && inCycle.has(dcell)) {
        next = dcell;
        break;
      }
    }
    if (next < 0) break;
    cur = next;
  }
  const loop = path.slice(pos.get(cur) ?? 0).reverse();
  const names: string[] = [];
  const locs: SourceLoc[] = [];
  for (const ci of loop) {
    const c = m.cells[ci]!;
    for (const o of c.outs) {
      const n = m.nets[o]!;
      if (n.name) names.push(n.name);
    }
    if (c.loc) locs.push(c.loc);
  }
  const first = loop.map((ci) => m.nets[m.cells[ci]!.outs[0]!]!).find((n) => n.name && n.loc);
  throw new ElabError(
    `combinational loop in module '${m.name}' through ${names.length ? names.join(' -> ') : `${loop.length} unnamed cells`}`,
    first?.loc ?? locs[0],
    locs.slice(0, 8),
  );
}
