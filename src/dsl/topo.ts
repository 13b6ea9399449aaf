// Levelization: orders the combinational cells of a flat module so every
// cell comes after the cells driving its inputs. State elements (dff, memrd,
// clocked primitive outputs) break the order. Used by the loop check, constant
// folding and the simulator compiler.

import type { Cell, ModuleIR } from './ir.ts';
import { driverIndex, isCombCell } from './ir.ts';

/** For an inst cell: indices of inputs that reach outputs combinationally. */
export function combInputIndices(c: Cell): number[] {
  if (c.kind !== 'inst') return isCombCell(c) ? c.ins.map((_, i) => i) : [];
  const t = c.inst!;
  if (t.kind === 'module') return c.ins.map((_, i) => i); // conservative; flatten first
  const names = new Set(t.prim.combInputs(t.params));
  return c.inPorts!.flatMap((p, i) => (names.has(p) ? [i] : []));
}

/** True when the cell's outputs are computed in the combinational phase. */
export function evaluatesInComb(c: Cell): boolean {
  return isCombCell(c) || c.kind === 'inst';
}

export interface Levelized {
  /** Cells evaluated in the comb phase, in dependency order (indices into m.cells). */
  order: number[];
  /** Cells left on combinational cycles (empty when the design is loop-free). */
  cyclic: number[];
}

export function levelize(m: ModuleIR): Levelized {
  const driver = driverIndex(m, evaluatesInComb);
  const nCells = m.cells.length;
  const indeg = new Int32Array(nCells);
  const users: number[][] = Array.from({ length: nCells }, () => []);
  m.cells.forEach((c, i) => {
    if (!evaluatesInComb(c)) return;
    const seen = new Set<number>();
    for (const k of combInputIndices(c)) {
      const d = driver[c.ins[k]!]!;
      if (d >= 0 && !seen.has(d)) {
        seen.add(d);
        indeg[i]!++;
        users[d]!.push(i);
      }
    }
  });
  const order: number[] = [];
  const queue: number[] = [];
  m.cells.forEach((c, i) => {
    if (evaluatesInComb(c) && indeg[i] === 0) queue.push(i);
  });
  for (let qi = 0; qi < queue.length; qi++) {
    const i = queue[qi]!;
    order.push(i);
    for (const u of users[i]!) if (--indeg[u]! === 0) queue.push(u);
  }
  const cyclic: number[] = [];
  m.cells.forEach((c, i) => {
    if (evaluatesInComb(c) && indeg[i]! > 0) cyclic.push(i);
  });
  return { order, cyclic };
}
