// Planning for the simulator compiler (compile.ts emits what these decide):
// the order cells are evaluated in, what each costs, and which cells are
// computed lazily inside a mux's arms. The memoized regions are planned in
// memo.ts.

import type { Cell, ModuleIR, NetId } from '../src/dsl/ir.ts';
import { driverIndex } from '../src/dsl/ir.ts';
import { combInputIndices } from '../src/dsl/topo.ts';
import { wordsOf } from './codegen.ts';

/** Cells at top level (in order), and per lazily evaluated mux the cells of its false/true arms. */
export interface LazyPlan {
  root: number[];
  arms: Map<number, [number[], number[]]>;
}

/**
 * Lazy mux arms: a cell whose value is only needed by one data input of a
 * mux (directly or through other such cells) is computed inside an
 * if/else on the mux select, so e.g. an ALU only evaluates the selected
 * operation. Returns the cells to emit at top level (in order) and, per
 * such mux, the cells of its false/true arms (in order).
 */
export function planLazyArms(m: ModuleIR, cells: readonly number[], pinned: ReadonlySet<NetId>, stored: Uint8Array): LazyPlan {
  const inChunk = new Set(cells);
  const producer = new Map<NetId, number>();
  for (const i of cells) for (const o of m.cells[i]!.outs) producer.set(o, i);
  const users = new Map<number, { cell: number; slot: number }[]>();
  for (const i of cells) {
    m.cells[i]!.ins.forEach((n, slot) => {
      const pcell = producer.get(n);
      if (pcell === undefined) return;
      if (!users.has(pcell)) users.set(pcell, []);
      users.get(pcell)!.push({ cell: i, slot });
    });
  }
  // Regions: 0 = top level; others are (mux cell, side) with a parent region.
  const parent: number[] = [0];
  const depth: number[] = [0];
  const regionOf = new Map<string, number>();
  const regionKey: [number, number][] = [[-1, -1]];
  const home = new Map<number, number>();
  const child = (mux: number, side: number): number => {
    const key = `${mux}:${side}`;
    let r = regionOf.get(key);
    if (r === undefined) {
      r = parent.length;
      const p = home.get(mux) ?? 0;
      parent.push(p);
      depth.push(depth[p]! + 1);
      regionKey.push([mux, side]);
      regionOf.set(key, r);
    }
    return r;
  };
  const lca = (a: number, b: number): number => {
    while (a !== b) {
      if (depth[a]! >= depth[b]!) a = parent[a]!;
      else b = parent[b]!;
    }
    return a;
  };
  for (let k = cells.length - 1; k >= 0; k--) {
    const i = cells[k]!;
    const c = m.cells[i]!;
    const us = users.get(i) ?? [];
    if (c.outs.length !== 1 || c.kind === 'inst' || stored[c.outs[0]!] || pinned.has(c.outs[0]!) || us.length === 0) {
      home.set(i, 0);
      continue;
    }
    let h = -1;
    for (const u of us) {
      const uc = m.cells[u.cell]!;
      const req = uc.kind === 'mux' && u.slot > 0 && inChunk.has(u.cell) ? child(u.cell, u.slot === 2 ? 1 : 0) : home.get(u.cell) ?? 0;
      h = h < 0 ? req : lca(h, req);
    }
    home.set(i, h);
  }
  // Only worth a branch (a possible misprediction) when an arm does real
  // work: total estimated cost of each region, nested regions included.
  const total = new Array<number>(parent.length).fill(0);
  for (const i of cells) {
    const h = home.get(i)!;
    if (h !== 0) total[h]! += cellCost(m.cells[i]!, m.nets[m.cells[i]!.outs[0]!]!.width);
  }
  const byDepth = [...total.keys()].filter((r) => r !== 0).sort((a, b) => depth[b]! - depth[a]!);
  for (const r of byDepth) if (parent[r] !== 0) total[parent[r]!]! += total[r]!;
  const keep = new Array<boolean>(parent.length).fill(true);
  for (const r of byDepth) {
    const [mux] = regionKey[r]!;
    const t = regionOf.get(`${mux}:1`);
    const f = regionOf.get(`${mux}:0`);
    keep[r] = Math.max(t === undefined ? 0 : total[t]!, f === undefined ? 0 : total[f]!) >= LAZY_MIN_COST;
  }
  const resolve = (r: number): number => {
    while (r !== 0 && !keep[r]) r = parent[r]!;
    return r;
  };
  for (const i of cells) home.set(i, resolve(home.get(i)!));
  const root: number[] = [];
  const arms = new Map<number, [number[], number[]]>();
  for (const i of cells) {
    const h = home.get(i)!;
    if (h === 0) {
      root.push(i);
      continue;
    }
    const [mux, side] = regionKey[h]!;
    if (!arms.has(mux)) arms.set(mux, [[], []]);
    arms.get(mux)![side]!.push(i);
  }
  return { root: root.filter((i) => home.get(i) === 0), arms };
}

/**
 * A topological order that keeps each logic cone together: depth-first from
 * the sinks (register/memory/primitive inputs, outputs), children before
 * parents. Compared with a breadth-first levelization this cuts the values
 * that cross chunk boundaries (and so go through V) and keeps values live for
 * a short time.
 */
export function coneOrder(m: ModuleIR, levelized: number[]): number[] {
  const inOrder = new Uint8Array(m.cells.length);
  for (const i of levelized) inOrder[i] = 1;
  const driver = driverIndex(m, (_, i) => inOrder[i] === 1);
  const state = new Uint8Array(m.cells.length); // 0 new, 1 on stack, 2 done
  const out: number[] = [];
  const visit = (root: number): void => {
    if (state[root]) return;
    const stack: [number, number][] = [[root, 0]];
    state[root] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const c = m.cells[top[0]]!;
      const deps = c.kind === 'inst' ? combInputIndices(c).map((k) => c.ins[k]!) : c.ins;
      if (top[1] < deps.length) {
        const d = driver[deps[top[1]++]!]!;
        if (d >= 0 && state[d] === 0) {
          state[d] = 1;
          stack.push([d, 0]);
        }
        continue;
      }
      stack.pop();
      state[top[0]] = 2;
      out.push(top[0]);
    }
  };
  const sinkNets: number[] = [];
  m.cells.forEach((c, i) => {
    if (!inOrder[i] || c.kind === 'inst') sinkNets.push(...c.ins);
  });
  for (const p of m.outputs) sinkNets.push(p.net);
  for (const n of sinkNets) {
    const d = driver[n]!;
    if (d >= 0) visit(d);
  }
  for (const i of levelized) visit(i);
  return out;
}

/** Below this estimated cost a mux arm is computed eagerly (branch-free). */
const LAZY_MIN_COST = 4;

/** Rough cost of a cell in simple JS operations. */
export function cellCost(c: Cell, w: number): number {
  const k = wordsOf(w);
  switch (c.kind) {
    case 'mul':
      return k === 1 ? 3 : 4 * k * k;
    case 'shl':
    case 'shr':
    case 'sar':
      return 4 * k;
    case 'add':
    case 'sub':
    case 'neg':
      return k === 1 ? 1 : 4 * k;
    case 'lt':
    case 'le':
    case 'eq':
    case 'ne':
      return 1 + k;
    case 'buf':
    case 'const':
    case 'slice':
    case 'zext':
      return 0;
    default:
      return k;
  }
}
