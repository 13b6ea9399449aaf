// Memoized regions: planning (which comb cells the compiled simulator
// evaluates once per distinct value of a state net, and caches).
//
// A comb cell whose value depends on a single state net S (a register or a
// memory's read data) and on constants only is a pure function of S. When
// the cells sharing one such S cost a lot per cycle and S repeats, as the
// instruction decoder does over the fetched word (a loop fetches the same few
// words again and again), step() looks the region's outputs up in a
// direct-mapped cache keyed by S instead of recomputing them. A miss computes
// and fills the entry; nothing ever invalidates one, because the region is a
// pure function of its key. compile.ts emits the lookup (emitMemo).

import type { ModuleIR, NetId } from '../src/dsl/ir.ts';
import { wordsOf } from './codegen.ts';

export interface MemoRegion {
  /** The state net the region is a function of (the cache key). */
  readonly source: NetId;
  /** Its cells, in evaluation order. */
  readonly cells: number[];
  /** Nets computed in the region that anything outside it reads. */
  readonly outputs: NetId[];
  /** log2 of the cache's entry count. */
  readonly indexBits: number;
}

export interface MemoPlan {
  readonly regions: MemoRegion[];
  /** cell index -> region index, or -1. */
  readonly regionOfCell: Int32Array;
  /** The comb order with each region's cells moved together (at its first cell). */
  readonly order: number[];
}

/** Below this estimated per-cycle cost a region is evaluated directly. */
export const MEMO_MIN_COST = 400;
/** Wider keys cost more to hash and compare than most regions save. */
const MEMO_MAX_KEY_WORDS = 4;
const MEMO_INDEX_BITS = 10;

const NONE = -2;
const MANY = -1;

/**
 * Find the memoizable regions among the comb cells `comb` (in dependency
 * order). `cost` estimates a cell's per-cycle work.
 */
export function planMemo(
  m: ModuleIR, comb: readonly number[], driver: Int32Array, isConst: (n: NetId) => boolean, cost: (cell: number) => number,
  indexBits = MEMO_INDEX_BITS,
): MemoPlan {
  const inComb = new Uint8Array(m.cells.length);
  for (const i of comb) inComb[i] = 1;
  // Support of each comb cell: NONE (constants only), one state net, or MANY.
  const support = new Int32Array(m.cells.length).fill(MANY);
  const supportOfNet = (n: NetId): number => {
    if (isConst(n)) return NONE;
    const d = driver[n]!;
    if (d >= 0 && inComb[d]) return support[d]!;
    // A state net: a register's or a memory read port's output.
    if (d >= 0 && (m.cells[d]!.kind === 'dff' || m.cells[d]!.kind === 'memrd')) return n;
    return MANY;
  };
  for (const i of comb) {
    const c = m.cells[i]!;
    if (c.kind === 'inst') continue;
    let s = NONE;
    for (const n of c.ins) {
      const t = supportOfNet(n);
      if (t === NONE) continue;
      if (t === MANY || (s !== NONE && s !== t)) {
        s = MANY;
        break;
      }
      s = t;
    }
    support[i] = s;
  }
  const bySource = new Map<NetId, number[]>();
  for (const i of comb) {
    const s = support[i]!;
    if (s < 0) continue;
    if (!bySource.has(s)) bySource.set(s, []);
    bySource.get(s)!.push(i);
  }
  const regions: MemoRegion[] = [];
  const regionOfCell = new Int32Array(m.cells.length).fill(-1);
  for (const [source, cells] of bySource) {
    if (wordsOf(m.nets[source]!.width) > MEMO_MAX_KEY_WORDS) continue;
    if (cells.reduce((sum, i) => sum + cost(i), 0) < MEMO_MIN_COST) continue;
    const r = regions.length;
    for (const i of cells) regionOfCell[i] = r;
    regions.push({ source, cells, outputs: [], indexBits });
  }
  if (regions.length === 0) return { regions, regionOfCell, order: [...comb] };

  // Outputs: region nets read by a cell outside the region, or by a port.
  const regionOfNet = new Map<NetId, number>();
  regions.forEach((reg, r) => reg.cells.forEach((i) => m.cells[i]!.outs.forEach((o) => regionOfNet.set(o, r))));
  const outs = regions.map(() => new Set<NetId>());
  m.cells.forEach((c, i) => {
    for (const n of c.ins) {
      const r = regionOfNet.get(n);
      if (r !== undefined && regionOfCell[i] !== r) outs[r]!.add(n);
    }
  });
  for (const p of m.outputs) {
    const r = regionOfNet.get(p.net);
    if (r !== undefined) outs[r]!.add(p.net);
  }
  regions.forEach((reg, r) => reg.outputs.push(...[...outs[r]!].sort((a, b) => a - b)));

  // A region depends only on its source and itself, so it can move up to
  // where its first cell was.
  const order: number[] = [];
  const placed = new Uint8Array(regions.length);
  for (const i of comb) {
    const r = regionOfCell[i]!;
    if (r < 0) order.push(i);
    else if (!placed[r]) {
      placed[r] = 1;
      order.push(...regions[r]!.cells);
    }
  }
  return { regions, regionOfCell, order };
}
