// A compiled simulator from its plan: the generated source plus the layout
// facts the test-bench API needs. The plan is plain data (no functions, no
// object identities), so it can be kept on disk (sim-cache.ts) and turned
// back into a running simulator without compiling the design again.

import type { Cell, ModuleIR, NetId } from '../src/dsl/ir.ts';
import type { PrimSimInstance } from '../src/dsl/primitives/types.ts';
import { bigWord, wordsOf } from './codegen.ts';
import { par, rev32, vsar, vshl, vshr } from './runtime.ts';

export interface NetSlot {
  offset: number;
  words: number;
}

export interface CompiledSim {
  V: Int32Array;
  mems: Int32Array[];
  prims: PrimSimInstance[];
  /** Evaluate comb logic, then apply one rising clock edge. */
  step: () => void;
  /** Evaluate comb logic only (refresh stored comb nets after pokes/steps). */
  settle: () => void;
  /** Restore power-up values of state, memories and primitives. */
  powerUp: () => void;
  /** Where each stored net lives in V. */
  slots: Map<NetId, NetSlot>;
  /** inst cell -> index in prims. */
  primOf: Map<Cell, number>;
  /** Nets whose V value is current right after step() (state and inputs);
   *  everything else needs settle() first. */
  state: Set<NetId>;
  source: string;
  chunks: number;
  /** What it was made from, as plain data (kept on disk by sim-cache.ts). */
  plan: SimPlan;
}

export interface SimPlan {
  /** The generated JavaScript (a factory body over V, M, P, T, Q and the runtime helpers). */
  source: string;
  /** Int32 words of V. */
  vSize: number;
  /** Where each stored net lives in V: [net, offset, words]. */
  slots: [NetId, number, number][];
  /** Nets whose V value is current right after step(). */
  state: NetId[];
  /** Cell index of each primitive instance, in P order. */
  primCells: number[];
  /** Int32 words of each memoized region's cache Q<i>. */
  memoSizes: number[];
  chunks: number;
}

function writeConst(V: Int32Array, s: NetSlot, v: bigint): void {
  for (let j = 0; j < s.words; j++) V[s.offset + j] = bigWord(v, j);
}

/** Registers at their init values, constants stored, memories at their init contents, primitives reset. */
function powerUp(m: ModuleIR, slots: Map<NetId, NetSlot>, V: Int32Array, mems: Int32Array[], P: PrimSimInstance[]): void {
  V.fill(0);
  for (const c of m.cells) {
    if (c.kind === 'dff') writeConst(V, slots.get(c.outs[0]!)!, c.init ?? 0n);
    const constSlot = c.kind === 'const' ? slots.get(c.outs[0]!) : undefined;
    if (constSlot) writeConst(V, constSlot, c.value!);
  }
  m.mems.forEach((mem, i) => {
    const arr = mems[i]!;
    arr.fill(0);
    const k = wordsOf(mem.width);
    mem.init.forEach((v, a) => {
      for (let j = 0; j < k; j++) arr[a * k + j] = bigWord(v, j);
    });
  });
  for (const p of P) p.reset();
}

/** Allocate the state arrays, evaluate the plan's source over them, and power up. */
export function instantiateSim(m: ModuleIR, plan: SimPlan): CompiledSim {
  const slots = new Map<NetId, NetSlot>(plan.slots.map(([n, offset, words]) => [n, { offset, words }]));
  const V = new Int32Array(Math.max(1, plan.vSize));
  const mems = m.mems.map((mem) => new Int32Array(Math.max(1, mem.depth * wordsOf(mem.width))));
  const T = new Int32Array(512);
  const primOf = new Map<Cell, number>();
  const P = plan.primCells.map((ci, i) => {
    const c = m.cells[ci]!;
    if (c.kind !== 'inst' || c.inst?.kind !== 'prim') throw new Error(`simulator plan: cell ${ci} is not a primitive instance`);
    primOf.set(c, i);
    return c.inst.prim.createSim(c.inst.params);
  });
  const Q = plan.memoSizes.map((n) => new Int32Array(n));
  const factory = new Function('V', 'M', 'P', 'T', 'Q', 'par', 'rev32', 'vshl', 'vshr', 'vsar', plan.source) as (
    ...args: unknown[]
  ) => { step: () => void; settle: () => void };
  const fns = factory(V, mems, P, T, Q, par, rev32, vshl, vshr, vsar);
  const up = (): void => {
    powerUp(m, slots, V, mems, P);
    for (const q of Q) q.fill(0);
  };
  up();
  return {
    V, mems, prims: P, step: fns.step, settle: fns.settle, powerUp: up, slots, primOf,
    source: plan.source, chunks: plan.chunks, state: new Set(plan.state), plan,
  };
}
