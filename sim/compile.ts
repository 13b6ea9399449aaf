// IR -> JavaScript. One levelized, straight-line step() per design: no event
// queue, no delta cycles. Values up to 32 bits are int32 locals; wider values
// are groups of int32 words (see codegen.ts). All state lives in one
// Int32Array (V) plus one Int32Array per memory; BigInt only at the API edge.
//
// The comb cells, in dependency order, are cut into chunks (separate
// functions) small enough for V8 to optimise. A net is stored to V when it is
// a named signal (peek/VCD), state, an input, or read by another chunk;
// everything else stays a local. The clock edge (dff/memory/primitive
// updates) is fused into the last chunk so it reads locals directly; all new
// state is computed from pre-edge values before anything is written.

import type { Cell, ModuleIR, NetId } from '../src/dsl/ir.ts';
import { addrWidth, driverIndex } from '../src/dsl/ir.ts';
import type { PrimSimInstance } from '../src/dsl/primitives/types.ts';
import { levelize } from '../src/dsl/topo.ts';
import { bitsAt, bitsInWord, constWord, dropDeadConsts, maskLit, norm, signedTop, wordsOf } from './codegen.ts';
import { instantiateSim, type CompiledSim, type NetSlot } from './instance.ts';
import { planMemo, type MemoPlan } from './memo.ts';
import { cellCost, coneOrder, planLazyArms } from './plan.ts';

export interface CompileOptions {
  /** Approximate generated statements per chunk function. */
  chunkBudget?: number;
  /** Cache costly pure functions of one state net (memo.ts; default on). */
  memoize?: boolean;
  /** log2 of each such cache's entries (default 10; tests force collisions with small ones). */
  memoIndexBits?: number;
}


export type { CompiledSim, NetSlot } from './instance.ts';

interface Chunk {
  cells: number[];
}

/** V8 stops optimising functions somewhere between ~65 and ~95 KB of this
 *  generated source (measured on the CPU); chunks stay below this. */
const MAX_FUNCTION_CHARS = 110_000;

export function compileSim(m: ModuleIR, opts: CompileOptions = {}): CompiledSim {
  let budget = opts.chunkBudget ?? 6000;
  for (let attempt = 0; ; attempt++) {
    const sim = new SimCompiler(m, budget, opts.memoize ?? true, opts.memoIndexBits).build();
    // (The memoized regions' fill functions are cold: their size does not matter.)
    const largest = Math.max(...sim.source.split(/\nfunction /).filter((f) => !f.startsWith('memo')).map((f) => f.length));
    if (largest <= MAX_FUNCTION_CHARS || attempt === 4 || opts.chunkBudget !== undefined) return sim;
    budget = Math.max(50, Math.floor((budget * MAX_FUNCTION_CHARS * 0.8) / largest));
  }
}

class SimCompiler {
  private readonly driver: Int32Array;
  private readonly constOf: (bigint | undefined)[];
  private readonly slots = new Map<NetId, NetSlot>();
  private vSize = 0;
  private prims: { cell: Cell; index: number; inst: PrimSimInstance; combIdx: number[] }[] = [];
  private primIndex = new Map<Cell, number>();
  private memo: MemoPlan = { regions: [], regionOfCell: new Int32Array(0), order: [] };
  /** The memoized regions' fill functions (emitMemo). */
  private readonly memoFns: string[] = [];

  constructor(
    private readonly m: ModuleIR,
    private readonly budget: number,
    private readonly memoize: boolean,
    private readonly memoIndexBits: number | undefined,
  ) {
    this.driver = driverIndex(m);
    this.constOf = new Array(m.nets.length);
    for (const c of m.cells) if (c.kind === 'const') this.constOf[c.outs[0]!] = c.value!;
  }

  private w(n: NetId): number {
    return this.m.nets[n]!.width;
  }

  private alloc(n: NetId): void {
    if (this.slots.has(n)) return;
    const words = wordsOf(this.w(n));
    this.slots.set(n, { offset: this.vSize, words });
    this.vSize += words;
  }

  build(): CompiledSim {
    const { m } = this;
    const { order, cyclic } = levelize(m);
    if (cyclic.length) throw new Error(`simulator: design '${m.name}' has a combinational loop (run the loop check)`);
    const comb = coneOrder(m, order).filter((i) => m.cells[i]!.kind !== 'const');
    const seq = m.cells.map((_, i) => i).filter((i) => {
      const k = m.cells[i]!.kind;
      return k === 'dff' || k === 'memrd' || k === 'memwr';
    });
    m.cells.forEach((c, i) => {
      if (c.kind === 'inst') {
        if (c.inst!.kind !== 'prim') throw new Error('simulator: flatten the design first');
        const inst = c.inst!.prim.createSim(c.inst!.params);
        const names = new Set(c.inst!.prim.combInputs(c.inst!.params));
        this.primIndex.set(c, this.prims.length);
        this.prims.push({ cell: c, index: i, inst, combIdx: c.inPorts!.flatMap((p, k) => (names.has(p) ? [k] : [])) });
      }
    });

    if (this.memoize) {
      this.memo = planMemo(m, comb, this.driver, (n) => this.constOf[n] !== undefined, (i) => cellCost(m.cells[i]!, this.w(m.cells[i]!.outs[0] ?? m.cells[i]!.ins[0]!)), this.memoIndexBits);
    }
    const { regions, regionOfCell } = this.memo;
    const combOrder = this.memoize ? this.memo.order : comb;

    // Chunking by estimated cost; a memoized region stays in one chunk.
    const chunks: Chunk[] = [{ cells: [] }];
    let cost = 0;
    const chunkCost = (i: number): number => {
      const c = m.cells[i]!;
      const k = wordsOf(this.w(c.outs[0] ?? c.ins[0]!));
      return c.kind === 'mul' ? k * k * 4 : k * 2;
    };
    for (let at = 0; at < combOrder.length; ) {
      const r = this.memoize ? regionOfCell[combOrder[at]!]! : -1;
      const unit = r >= 0 ? regions[r]!.cells : [combOrder[at]!];
      // A memoized region's cells live in their own function: the chunk only loads its outputs.
      const cc = r >= 0 ? 2 * regions[r]!.outputs.length : chunkCost(unit[0]!);
      if (cost + cc > this.budget && chunks[chunks.length - 1]!.cells.length) {
        chunks.push({ cells: [] });
        cost = 0;
      }
      chunks[chunks.length - 1]!.cells.push(...unit);
      cost += cc;
      at += unit.length;
    }
    const last = chunks.length - 1;
    const chunkOfNet = new Int32Array(m.nets.length).fill(-1);
    chunks.forEach((ch, ci) => ch.cells.forEach((i) => m.cells[i]!.outs.forEach((o) => (chunkOfNet[o] = ci))));

    // Which nets must live in V.
    for (const p of m.inputs) this.alloc(p.net);
    const stateNets: NetId[] = [];
    for (const i of seq) for (const o of m.cells[i]!.outs) stateNets.push(o);
    for (const n of stateNets) this.alloc(n);
    // step() stores only what the next chunk, the clock edge or an output
    // needs; settle() (run before any peek) also stores every named signal.
    const usedIn = (n: NetId, ci: number): boolean => chunkOfNet[n] !== ci;
    const storedStep = new Uint8Array(m.nets.length);
    chunks.forEach((ch, ci) => {
      for (const i of ch.cells) for (const n of m.cells[i]!.ins) if (usedIn(n, ci)) storedStep[n] = 1;
    });
    for (const i of seq) for (const n of m.cells[i]!.ins) if (chunkOfNet[n] !== last) storedStep[n] = 1;
    for (const p of this.prims) for (const n of p.cell.ins) if (chunkOfNet[n] !== last) storedStep[n] = 1;
    for (const p of m.outputs) storedStep[p.net] = 1;
    const storedAll = Uint8Array.from(storedStep);
    m.nets.forEach((n, i) => {
      if (n.name !== undefined || (n.aliases && n.aliases.length)) storedAll[i] = 1;
    });
    m.nets.forEach((_, i) => {
      if (storedAll[i] && this.driver[i]! >= 0) this.alloc(i);
    });

    // Generate.
    const fns: string[] = [];
    const combNames: string[] = [];
    const stepNames: string[] = [];
    chunks.forEach((ch, ci) => {
      // settle() evaluates everything (it stores every named net); step() uses the caches.
      fns.push(`function comb${ci}() {\n${this.chunkBody(ch, [], storedAll, false)}\n}`);
      combNames.push(`comb${ci}`);
      if (ci === last) fns.push(`function clockEdge() {\n${this.chunkBody(ch, seq, storedStep, true)}\n}`);
      else {
        fns.push(`function part${ci}() {\n${this.chunkBody(ch, [], storedStep, true)}\n}`);
        stepNames.push(`part${ci}`);
      }
    });
    const stepCalls = [...stepNames.map((f) => `${f}();`), 'clockEdge();'];
    // Memories and primitive models as closure constants (one load, not M[i][..]).
    const hoist = [
      ...m.mems.map((_, i) => `const M${i} = M[${i}];`),
      ...this.prims.map((_, i) => `const P${i} = P[${i}];`),
      ...regions.map((_, i) => `const Q${i} = Q[${i}];`),
    ].join('\n');
    const source =
      `"use strict";\n${hoist}\n${[...fns, ...this.memoFns].join('\n')}\n` +
      `function step() { ${stepCalls.join(' ')} }\n` +
      `function settle() { ${combNames.map((f) => `${f}();`).join(' ')} }\n` +
      `return { step, settle };`;

    return instantiateSim(m, {
      source,
      vSize: this.vSize,
      slots: [...this.slots].map(([n, s]) => [n, s.offset, s.words]),
      state: [...new Set([...stateNets, ...m.inputs.map((p) => p.net)])],
      primCells: this.prims.map((p) => p.index),
      memoSizes: regions.map((reg) => (1 << reg.indexBits) * this.memoStride(reg.source, reg.outputs)),
      chunks: chunks.length,
    });
  }

  // ---- per-chunk code ---------------------------------------------------------
  private chunkBody(ch: Chunk, seq: number[], stored: Uint8Array, useMemo: boolean): string {
    const { m } = this;
    const lines: string[] = [];
    const val = new Map<NetId, string[]>();
    const computed = new Set<NetId>();
    for (const i of ch.cells) for (const o of m.cells[i]!.outs) computed.add(o);
    // Loads: every net read here but computed elsewhere.
    const reads = new Set<NetId>();
    for (const i of ch.cells) for (const n of m.cells[i]!.ins) reads.add(n);
    for (const i of seq) {
      const c = m.cells[i]!;
      for (const n of c.ins) reads.add(n);
      if (c.kind === 'dff') reads.add(c.outs[0]!);
    }
    if (seq.length) for (const p of this.prims) for (const n of p.cell.ins) reads.add(n);
    for (const n of [...reads].sort((a, b) => a - b)) {
      if (computed.has(n)) continue;
      const cv = this.constOf[n];
      if (cv !== undefined) {
        val.set(n, this.constWords(n, cv));
        continue;
      }
      const s = this.slots.get(n);
      if (!s) throw new Error(`simulator: net ${n} is read but has no storage`);
      const names = this.localNames(n);
      names.forEach((nm, j) => lines.push(`const ${nm} = V[${s.offset + j}];`));
      val.set(n, names);
    }
    const ctx: Ctx = { lines, val };
    const memo = useMemo ? this.memo : undefined;
    const pinned = new Set<NetId>();
    for (const i of seq) for (const n of m.cells[i]!.ins) pinned.add(n);
    for (const p of this.prims) for (const n of p.cell.ins) pinned.add(n);
    // A memoized region's outputs are assigned by its lookup, at top level.
    if (memo) for (const r of memo.regions) for (const o of r.outputs) pinned.add(o);
    const plan = planLazyArms(m, ch.cells, pinned, stored);
    const storeNet = (o: NetId): void => {
      if (!stored[o] || !this.slots.has(o)) return;
      const s = this.slots.get(o)!;
      ctx.val.get(o)!.forEach((e, j) => lines.push(`V[${s.offset + j}] = ${e};`));
    };
    let inMemo = false;
    const memoDone = new Set<number>();
    const emitList = (cells: number[]): void => {
      for (const i of cells) {
        const r = memo && !inMemo ? memo.regionOfCell[i]! : -1;
        if (r >= 0) {
          if (memoDone.has(r)) continue;
          memoDone.add(r);
          const region = memo!.regions[r]!;
          const inRoot = new Set(plan.root);
          this.emitMemo(r, region.source, region.outputs, ctx, () => {
            inMemo = true;
            emitList(region.cells.filter((k) => inRoot.has(k)));
            inMemo = false;
          });
          // Inside the lookup's else-branch a region's own nets are out of scope afterwards.
          const outs = new Set(region.outputs);
          for (const k of region.cells) for (const o of m.cells[k]!.outs) if (!outs.has(o)) ctx.val.delete(o);
          for (const o of region.outputs) storeNet(o);
          continue;
        }
        const c = m.cells[i]!;
        const arms = plan.arms.get(i);
        if (arms) this.emitLazyMux(c, plan.arms, ctx, emitList);
        else this.emitCell(c, ctx);
        // (A memoized region's stores come after its lookup.)
        if (!inMemo) for (const o of c.outs) storeNet(o);
      }
    };
    emitList(plan.root);
    if (seq.length) this.emitEdge(seq, ctx);
    return dropDeadConsts(lines).map((l) => `  ${l}`).join('\n');
  }

  /** Words of a cache entry: a valid flag, the key's words, the outputs' words. */
  private memoStride(source: NetId, outputs: NetId[]): number {
    return 1 + wordsOf(this.w(source)) + outputs.reduce((sum, o) => sum + wordsOf(this.w(o)), 0);
  }

  /**
   * A memoized region (memo.ts): look its outputs up by the source's value
   * in the region's direct-mapped cache Q<r>. A miss calls memo<r>, the
   * region's own function (out of line: it is cold, and it stays out of
   * the size of the hot function), which evaluates the region (`body`)
   * from the key and fills the entry.
   */
  private emitMemo(r: number, source: NetId, outputs: NetId[], ctx: Ctx, body: () => void): void {
    const key = ctx.val.get(source)!;
    const bits = this.memo.regions[r]!.indexBits;
    const stride = this.memoStride(source, outputs);
    const q = `Q${r}`;
    const params = key.map((_, j) => `k${j}`);

    // The fill function: the region's cells over the key's words (a
    // region reads nothing else but constants, which the copy of the
    // values map keeps).
    const outer = { lines: ctx.lines, val: ctx.val };
    ctx.lines = [];
    ctx.val = new Map(outer.val);
    ctx.val.set(source, params);
    body();
    const fill = ctx.lines;
    fill.push(`${q}[at] = 1;`);
    params.forEach((k, j) => fill.push(`${q}[at + ${1 + j}] = ${k};`));
    let slot = 1 + key.length;
    for (const o of outputs) for (const e of ctx.val.get(o)!) fill.push(`${q}[at + ${slot++}] = ${e};`);
    this.memoFns.push(`function memo${r}(${params.join(', ')}, at) {\n${dropDeadConsts(fill).map((l) => `  ${l}`).join('\n')}\n}`);
    ctx.lines = outer.lines;
    ctx.val = outer.val;

    // The lookup.
    const L = ctx.lines;
    const at = `q${r}`;
    const hash = key.reduce((h, k) => `Math.imul(${h} ^ ${k}, -1640531535)`, '-2128831035');
    L.push(`const ${at} = (${hash} >>> ${32 - bits}) * ${stride};`);
    const hit = [`${q}[${at}] === 1`, ...key.map((k, j) => `${q}[${at} + ${1 + j}] === ${k}`)].join(' && ');
    L.push(`if (!(${hit})) memo${r}(${key.join(', ')}, ${at});`);
    slot = 1 + key.length;
    for (const o of outputs) {
      const names = Array.from({ length: wordsOf(this.w(o)) }, (_, j) => `o${o}_${j}`);
      names.forEach((nm) => L.push(`const ${nm} = ${q}[${at} + ${slot++}];`));
      ctx.val.set(o, names);
    }
  }

  private emitLazyMux(c: Cell, allArms: Map<number, [number[], number[]]>, ctx: Ctx, emitList: (cells: number[]) => void): void {
    const out = c.outs[0]!;
    const names = this.localNames(out);
    const L = ctx.lines;
    const arms = allArms.get(this.driver[out]!)!;
    L.push(`let ${names.join(', ')};`);
    if (this.emitSwitch(c, allArms, ctx, emitList, names)) {
      ctx.val.set(out, names);
      return;
    }
    L.push(`if (${ctx.val.get(c.ins[0]!)![0]}) {`);
    emitList(arms[1]);
    ctx.val.get(c.ins[2]!)!.forEach((e, j) => L.push(`${names[j]} = ${e};`));
    L.push('} else {');
    emitList(arms[0]);
    ctx.val.get(c.ins[1]!)!.forEach((e, j) => L.push(`${names[j]} = ${e};`));
    L.push('}');
    ctx.val.set(out, names);
  }

  /**
   * A chain of lazy muxes that each test one net against a constant
   * (`x === 0 ? a : x === 1 ? b : ...`, what a DSL Switch becomes) as a JS
   * switch: one jump instead of a compare per case. Returns false (and
   * emits nothing) when `c` does not start such a chain of at least
   * MIN_SWITCH_CASES.
   */
  private emitSwitch(c: Cell, allArms: Map<number, [number[], number[]]>, ctx: Ctx, emitList: (cells: number[]) => void, names: string[]): boolean {
    const { m } = this;
    // The (subject, constant) a mux's select compares, if it is such a test.
    const test = (mux: Cell): { subject: NetId; k: bigint } | undefined => {
      const d = this.driver[mux.ins[0]!]!;
      const eq = d >= 0 ? m.cells[d]! : undefined;
      if (!eq || eq.kind !== 'eq') return undefined;
      const [a, b] = eq.ins as [NetId, NetId];
      const [subject, k] = this.constOf[b] !== undefined ? [a, this.constOf[b]!] : this.constOf[a] !== undefined ? [b, this.constOf[a]!] : [-1, 0n];
      return subject >= 0 && this.w(subject) <= 32 ? { subject, k } : undefined;
    };
    const first = test(c);
    if (!first || !ctx.val.has(first.subject)) return false;
    const cases: { mux: Cell; k: bigint }[] = [];
    // The compares the switch replaces, which other cells may read too.
    const compares: number[] = [];
    const seen = new Set<bigint>();
    let cur = c;
    for (;;) {
      const t = test(cur)!;
      cases.push({ mux: cur, k: t.k });
      seen.add(t.k);
      // Go on down the false input while that arm holds nothing but the
      // next link (and the compare it selects on, which the switch replaces).
      const falseArm = allArms.get(this.driver[cur.outs[0]!]!)![0];
      const nextIdx = this.driver[cur.ins[1]!]!;
      const next = nextIdx >= 0 ? m.cells[nextIdx]! : undefined;
      if (!next || next.kind !== 'mux' || !allArms.has(nextIdx) || falseArm[falseArm.length - 1] !== nextIdx) break;
      const nt = test(next);
      if (!nt || nt.subject !== first.subject || seen.has(nt.k)) break;
      const selCell = this.driver[next.ins[0]!]!;
      if (!falseArm.slice(0, -1).every((i) => i === selCell)) break;
      if (falseArm.length > 1) compares.push(selCell);
      cur = next;
    }
    if (cases.length < MIN_SWITCH_CASES) return false;
    const L = ctx.lines;
    const assign = (n: NetId): void => ctx.val.get(n)!.forEach((e, j) => L.push(`${names[j]} = ${e};`));
    // (They read only the subject and a constant; unread ones are swept as dead.)
    emitList(compares);
    L.push(`switch (${ctx.val.get(first.subject)![0]}) {`);
    for (const { mux, k } of cases) {
      L.push(`case ${constWord(k, 0)}: {`);
      emitList(allArms.get(this.driver[mux.outs[0]!]!)![1]);
      assign(mux.ins[2]!);
      L.push('break;', '}');
    }
    const last = cases[cases.length - 1]!.mux;
    L.push('default: {');
    emitList(allArms.get(this.driver[last.outs[0]!]!)![0]);
    assign(last.ins[1]!);
    L.push('}', '}');
    return true;
  }

  private localNames(n: NetId): string[] {
    const k = wordsOf(this.w(n));
    return k === 1 ? [`n${n}`] : Array.from({ length: k }, (_, j) => `n${n}_${j}`);
  }

  private constWords(n: NetId, v: bigint): string[] {
    return Array.from({ length: wordsOf(this.w(n)) }, (_, j) => constWord(v, j));
  }

  /** Define the words of net n from expressions (simple ones become aliases). */
  private define(ctx: Ctx, n: NetId, exprs: string[]): void {
    const names = this.localNames(n);
    const out = exprs.map((e, j) => {
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(e) || /^\(?-?\d+\)?$/.test(e)) return e;
      ctx.lines.push(`const ${names[j]} = ${e};`);
      return names[j]!;
    });
    ctx.val.set(n, out);
  }

  private emitCell(c: Cell, ctx: Ctx): void {
    const { val } = ctx;
    const out = c.outs[0]!;
    const W = c.kind === 'inst' ? 0 : this.w(out);
    const k = wordsOf(W || 1);
    const A = (): string[] => val.get(c.ins[0]!)!;
    const B = (): string[] => val.get(c.ins[1]!)!;
    const top = (j: number): number => bitsInWord(W, j);
    const wordwise = (f: (j: number) => string): string[] => Array.from({ length: k }, (_, j) => f(j));
    switch (c.kind) {
      case 'const':
        val.set(out, this.constWords(out, c.value!));
        return;
      case 'buf':
        val.set(out, A());
        return;
      case 'and':
      case 'or':
      case 'xor': {
        const op = { and: '&', or: '|', xor: '^' }[c.kind];
        const a = A();
        const b = B();
        this.define(ctx, out, wordwise((j) => `(${a[j]} ${op} ${b[j]})`));
        return;
      }
      case 'not': {
        const a = A();
        this.define(ctx, out, wordwise((j) => (top(j) === 32 ? `(~${a[j]})` : `(~${a[j]} & ${maskLit(top(j))})`)));
        return;
      }
      case 'add':
      case 'sub':
      case 'neg': {
        const a = c.kind === 'neg' ? wordwise(() => '0') : A();
        const b = c.kind === 'neg' ? A() : B();
        const op = c.kind === 'add' ? '+' : '-';
        if (k === 1) {
          this.define(ctx, out, [norm(`${a[0]} ${op} ${b[0]}`, W)]);
          return;
        }
        const res: string[] = [];
        let carry = '';
        for (let j = 0; j < k; j++) {
          const t = `t${out}_${j}`;
          ctx.lines.push(`const ${t} = (${a[j]} >>> 0) ${op} (${b[j]} >>> 0)${carry};`);
          res.push(norm(t, top(j)));
          carry = op === '+' ? ` + (${t} > 4294967295 ? 1 : 0)` : ` - (${t} < 0 ? 1 : 0)`;
        }
        this.define(ctx, out, res);
        return;
      }
      case 'mul':
        this.emitMul(c, ctx, W);
        return;
      case 'shl':
      case 'shr':
      case 'sar':
        this.emitShift(c, ctx, W);
        return;
      case 'eq':
      case 'ne': {
        const a = A();
        const b = B();
        const parts = a.map((x, j) => `${x} === ${b[j]}`).join(' && ');
        this.define(ctx, out, [c.kind === 'eq' ? `((${parts}) ? 1 : 0)` : `((${parts}) ? 0 : 1)`]);
        return;
      }
      case 'lt':
      case 'le':
        this.define(ctx, out, [`(${this.compare(A(), B(), this.w(c.ins[0]!), !!c.signed, c.kind === 'le')} ? 1 : 0)`]);
        return;
      case 'redand': {
        const a = A();
        const wi = this.w(c.ins[0]!);
        const parts = a.map((x, j) => `${x} === ${maskLit(bitsInWord(wi, j))}`).join(' && ');
        this.define(ctx, out, [`((${parts}) ? 1 : 0)`]);
        return;
      }
      case 'redor':
        this.define(ctx, out, [`((${A().join(' | ')}) !== 0 ? 1 : 0)`]);
        return;
      case 'redxor':
        this.define(ctx, out, [`par(${A().join(' ^ ')})`]);
        return;
      case 'mux': {
        // Branch-free select: JS ternaries become branches, which mispredict
        // on data-dependent selects (decoders); f ^ ((t ^ f) & -s) does not.
        const s = val.get(c.ins[0]!)![0]!;
        const f = val.get(c.ins[1]!)!;
        const t = val.get(c.ins[2]!)!;
        const sel = (j: number): string => {
          if (t[j] === f[j]) return t[j]!;
          if (t[j] === '0') return `(${f[j]} & (${s} - 1))`;
          if (f[j] === '0') return `(${t[j]} & -${s})`;
          return `(${f[j]} ^ ((${t[j]} ^ ${f[j]}) & -${s}))`;
        };
        this.define(ctx, out, wordwise(sel));
        return;
      }
      case 'cat':
        this.emitCat(c, ctx, W);
        return;
      case 'slice': {
        const a = A();
        const wi = this.w(c.ins[0]!);
        this.define(ctx, out, wordwise((j) => bitsAt(a, wi, c.lo! + 32 * j, top(j))));
        return;
      }
      case 'zext': {
        const a = A();
        this.define(ctx, out, wordwise((j) => (j < a.length ? a[j]! : '0')));
        return;
      }
      case 'sext': {
        const a = A();
        const wi = this.w(c.ins[0]!);
        const ki = a.length;
        const sx = `x${out}`;
        ctx.lines.push(`const ${sx} = ${signedTop(a, wi)};`);
        this.define(
          ctx,
          out,
          wordwise((j) => {
            const e = j < ki - 1 ? a[j]! : j === ki - 1 ? sx : `(${sx} >> 31)`;
            return top(j) === 32 || j < ki - 1 ? e : `(${e} & ${maskLit(top(j))})`;
          }),
        );
        return;
      }
      case 'inst':
        this.emitPrimComb(c, ctx);
        return;
      default:
        throw new Error(`simulator: unexpected ${c.kind} in comb logic`);
    }
  }

  /** Boolean JS expression comparing word groups (lexicographic from the top). */
  private compare(a: string[], b: string[], w: number, signed: boolean, orEqual: boolean): string {
    const k = a.length;
    let e = '';
    for (let j = 0; j < k; j++) {
      const isTop = j === k - 1;
      let x: string;
      let y: string;
      if (isTop && signed) {
        x = signedTop(a, w);
        y = signedTop(b, w);
      } else if (bitsInWord(w, j) === 32) {
        x = `(${a[j]} >>> 0)`;
        y = `(${b[j]} >>> 0)`;
      } else {
        x = a[j]!;
        y = b[j]!;
      }
      if (j === 0) e = `${x} ${orEqual ? '<=' : '<'} ${y}`;
      else e = `(${x} < ${y} || (${a[j]} === ${b[j]} && ${e}))`;
    }
    return e;
  }

  /**
   * Concatenation, gathered bit by bit: each output bit is traced through
   * slices to the word it comes from, and runs of bits are emitted as one
   * term each: a copied field (one shift and mask), a repeated bit (`repl`,
   * the LUT-style select masks: -b), or a reversed field (rev32: the DSP
   * shifter's bit reversal). Part by part, a repl of one bit into 32 would
   * be 32 shifts and 31 ORs.
   */
  private emitCat(c: Cell, ctx: Ctx, W: number): void {
    const out = c.outs[0]!;
    // Bit sources, LSB first: a constant bit, or bit `bit` of net `net`.
    const src: { net: NetId; bit: number }[] = [];
    const constBit: (0 | 1 | undefined)[] = [];
    for (let i = c.ins.length - 1; i >= 0; i--) {
      const n = c.ins[i]!;
      const cv = this.constOf[n];
      const root = this.sliceRoot(n, ctx);
      for (let b = 0; b < this.w(n); b++) {
        constBit.push(cv === undefined ? undefined : Number((cv >> BigInt(b)) & 1n) as 0 | 1);
        src.push({ net: root.net, bit: root.lo + b });
      }
    }
    const words = Array.from({ length: wordsOf(W) }, (_, j) => {
      const terms: string[] = [];
      let lit = 0;
      const top = bitsInWord(W, j);
      for (let b = 0; b < top; ) {
        const g = 32 * j + b;
        const cb = constBit[g];
        if (cb !== undefined) {
          if (cb) lit |= 1 << b;
          b++;
          continue;
        }
        const { net, bit } = src[g]!;
        const same = (i: number, want: number): boolean =>
          b + i < top && constBit[g + i] === undefined && src[g + i]!.net === net && src[g + i]!.bit === want;
        let r = 1;
        let kind: 'copy' | 'fill' | 'rev' = 'copy';
        if (same(1, bit + 1)) while (same(r, bit + r)) r++;
        else if (same(1, bit)) {
          kind = 'fill';
          while (same(r, bit)) r++;
        } else if (same(1, bit - 1) && (bit >> 5) === ((bit - 1) >> 5)) {
          kind = 'rev';
          while (same(r, bit - r) && ((bit - r) >> 5) === (bit >> 5)) r++;
        }
        const words0 = ctx.val.get(net)!;
        const srcW = this.w(net);
        let e: string;
        if (kind === 'copy') e = bitsAt(words0, srcW, bit, r);
        else if (kind === 'fill') {
          const one = bitsAt(words0, srcW, bit, 1);
          e = r === 32 ? `(-${one})` : `(-${one} & ${maskLit(r)})`;
        } else {
          // Bit (bit - i) of the source word is bit 31 - (bit - i) of its reversal.
          const k = bit >> 5;
          const t = 31 - (bit - 32 * k);
          e = bitsAt([`rev32(${words0[k]})`], 32, t, r);
        }
        if (e !== '0') terms.push(b === 0 ? e : `(${e} << ${b})`);
        b += r;
      }
      if (lit !== 0) terms.push(String(lit | 0));
      return terms.length === 0 ? '0' : terms.length === 1 ? terms[0]! : `(${terms.join(' | ')})`;
    });
    this.define(ctx, out, words);
  }

  /** Follow slices (and buffers) back to a net whose value this chunk has: bits [lo, ..) of it. */
  private sliceRoot(n: NetId, ctx: Ctx): { net: NetId; lo: number } {
    let lo = 0;
    for (;;) {
      const d = this.driver[n]!;
      const cell = d >= 0 ? this.m.cells[d]! : undefined;
      if (!cell || (cell.kind !== 'slice' && cell.kind !== 'buf') || !ctx.val.has(cell.ins[0]!)) return { net: n, lo };
      if (cell.kind === 'slice') lo += cell.lo!;
      n = cell.ins[0]!;
    }
  }

  private emitMul(c: Cell, ctx: Ctx, W: number): void {
    const out = c.outs[0]!;
    const a = ctx.val.get(c.ins[0]!)!;
    const b = ctx.val.get(c.ins[1]!)!;
    const k = wordsOf(W);
    if (k === 1) {
      this.define(ctx, out, [norm(`Math.imul(${a[0]}, ${b[0]})`, W)]);
      return;
    }
    // Schoolbook on 16-bit limbs: column sums stay far below 2^53.
    const L = Math.ceil(W / 16);
    const limb = (x: string[], i: number): string => {
      const word = x[i >> 1] ?? '0';
      return i & 1 ? `(${word} >>> 16)` : `(${word} & 0xffff)`;
    };
    const p = `m${out}`;
    // Limbs of constant-zero words (e.g. zero-extended operands) drop out.
    const limbs = (x: string[], tag: string): string[] =>
      Array.from({ length: L }, (_, i) => {
        if ((x[i >> 1] ?? '0') === '0') return '0';
        ctx.lines.push(`const ${p}${tag}${i} = ${limb(x, i)};`);
        return `${p}${tag}${i}`;
      });
    const la = limbs(a, 'a');
    const lb = limbs(b, 'b');
    const r: string[] = [];
    for (let col = 0; col < L; col++) {
      const terms: string[] = [];
      for (let i = 0; i <= col; i++) if (la[i] !== '0' && lb[col - i] !== '0') terms.push(`${la[i]} * ${lb[col - i]}`);
      const carry = col === 0 ? '' : `(${p}t${col - 1} - ${p}r${col - 1}) / 65536`;
      const sum = [carry, ...terms].filter(Boolean).join(' + ') || '0';
      ctx.lines.push(`const ${p}t${col} = ${sum};`);
      ctx.lines.push(`const ${p}r${col} = ${p}t${col} & 0xffff;`);
      r.push(`${p}r${col}`);
    }
    const words = Array.from({ length: k }, (_, j) => {
      const lo = r[2 * j]!;
      const hi = r[2 * j + 1];
      const e = hi ? `(${lo} | (${hi} << 16))` : lo;
      return norm(e, bitsInWord(W, j));
    });
    this.define(ctx, out, words);
  }

  private emitShift(c: Cell, ctx: Ctx, W: number): void {
    const out = c.outs[0]!;
    const a = ctx.val.get(c.ins[0]!)!;
    const k = a.length;
    const top = (j: number): number => bitsInWord(W, j);
    const amtConst = this.constOf[c.ins[1]!];
    if (amtConst !== undefined) {
      const s = amtConst >= BigInt(W) ? W : Number(amtConst);
      let words: string[];
      if (c.kind === 'shl') words = Array.from({ length: k }, (_, j) => bitsAt(a, W, 32 * j - s, top(j)));
      else if (c.kind === 'shr') words = Array.from({ length: k }, (_, j) => bitsAt(a, W, 32 * j + s, top(j)));
      else {
        const sh = Math.min(s, W - 1);
        const sx = `x${out}`;
        ctx.lines.push(`const ${sx} = ${signedTop(a, W)} >> 31;`);
        words = Array.from({ length: k }, (_, j) => {
          // Logical shift, then OR the sign into the vacated top bits.
          const base = bitsAt(a, W, 32 * j + sh, top(j));
          const lo = Math.max(0, W - sh - 32 * j);
          const fillBits = top(j) - Math.min(top(j), lo);
          if (fillBits <= 0) return base;
          const fillMask = ((2 ** fillBits - 1) * 2 ** (top(j) - fillBits)) | 0;
          return `(${base} | (${sx} & ${fillMask}))`;
        });
      }
      this.define(ctx, out, words);
      return;
    }
    // Variable amount: a JS number, saturated to 2^32-1 when wider words are set.
    const bw = ctx.val.get(c.ins[1]!)!;
    const bW = this.w(c.ins[1]!);
    const am = `s${out}`;
    const low = bitsInWord(bW, 0) === 32 ? `(${bw[0]} >>> 0)` : bw[0]!;
    ctx.lines.push(bw.length === 1 ? `const ${am} = ${low};` : `const ${am} = (${bw.slice(1).join(' | ')}) !== 0 ? 4294967295 : ${low};`);
    if (k === 1) {
      let e: string;
      if (c.kind === 'shl') e = `(${am} >= ${W} ? 0 : ${norm(`${a[0]} << ${am}`, W)})`;
      else if (c.kind === 'shr') e = `(${am} >= ${W} ? 0 : ${W === 32 ? `((${a[0]} >>> ${am}) | 0)` : `(${a[0]} >>> ${am})`})`;
      else e = norm(`${signedTop(a, W)} >> (${am} > 31 ? 31 : ${am})`, W);
      this.define(ctx, out, [e]);
      return;
    }
    if (k === 2) {
      this.define(ctx, out, this.shift64(c.kind as 'shl' | 'shr' | 'sar', a, W, am, out, ctx));
      return;
    }
    const lines = ctx.lines;
    a.forEach((x, j) => lines.push(`T[${j}] = ${x};`));
    if (c.kind === 'sar') lines.push(`T[${k - 1}] = ${signedTop(a, W)};`);
    const fn = { shl: 'vshl', shr: 'vshr', sar: 'vsar' }[c.kind as 'shl' | 'shr' | 'sar'];
    const amExpr = c.kind === 'sar' ? `(${am} > ${W - 1} ? ${W - 1} : ${am})` : am;
    if (c.kind === 'sar') lines.push(`${fn}(T, ${k}, ${amExpr});`);
    else lines.push(`if (${am} < ${W}) ${fn}(T, ${k}, ${am}); else T.fill(0, ${k}, ${2 * k});`);
    this.define(
      ctx,
      out,
      Array.from({ length: k }, (_, j) => norm(`T[${k + j}]`, top(j))),
    );
  }

  /** Straight-line variable shifts for 33..64-bit values (the CPU's hot case). */
  private shift64(kind: 'shl' | 'shr' | 'sar', a: string[], W: number, am: string, out: number, ctx: Ctx): string[] {
    const [a0, a1] = a as [string, string];
    const th = bitsInWord(W, 1);
    const L = ctx.lines;
    const lo = `l${out}`;
    const hi = `h${out}`;
    if (kind === 'shl') {
      L.push(
        `const ${lo} = ${am} >= 32 ? 0 : ${a0} << ${am};`,
        `const ${hi} = ${am} >= ${W} ? 0 : ${am} >= 32 ? ${a0} << (${am} - 32) : ${am} === 0 ? ${a1} : (${a1} << ${am}) | (${a0} >>> (32 - ${am}));`,
      );
      return [`(${am} >= ${W} ? 0 : ${lo})`, norm(hi, th)];
    }
    if (kind === 'shr') {
      L.push(
        `const ${lo} = ${am} >= ${W} ? 0 : ${am} >= 32 ? ${a1} >>> (${am} - 32) : ${am} === 0 ? ${a0} : (${a0} >>> ${am}) | (${a1} << (32 - ${am}));`,
        `const ${hi} = ${am} >= 32 ? 0 : ${a1} >>> ${am};`,
      );
      return [`(${lo} | 0)`, norm(hi, th)];
    }
    const sx = `x${out}`;
    const s = `q${out}`;
    L.push(
      `const ${sx} = ${signedTop(a, W)};`,
      `const ${s} = ${am} > ${W - 1} ? ${W - 1} : ${am};`,
      `const ${lo} = ${s} >= 32 ? ${sx} >> (${s} - 32) : ${s} === 0 ? ${a0} : (${a0} >>> ${s}) | (${sx} << (32 - ${s}));`,
      `const ${hi} = ${s} >= 32 ? ${sx} >> 31 : ${sx} >> ${s};`,
    );
    return [`(${lo} | 0)`, norm(hi, th)];
  }

  private emitPrimComb(c: Cell, ctx: Ctx): void {
    const pi = this.primIndex.get(c)!;
    const p = this.prims[pi]!;
    for (const k of p.combIdx) ctx.lines.push(`P${pi}.ins[${k}] = ${ctx.val.get(c.ins[k]!)![0]};`);
    ctx.lines.push(`P${pi}.comb();`);
    c.outs.forEach((o, k) => {
      const nm = `n${o}`;
      ctx.lines.push(`const ${nm} = P${pi}.outs[${k}] & ${maskLit(this.w(o))};`);
      ctx.val.set(o, [nm]);
    });
  }

  // ---- clock edge ---------------------------------------------------------------
  private emitEdge(seq: number[], ctx: Ctx): void {
    const { m } = this;
    const L = ctx.lines;
    const v = (n: NetId): string[] => ctx.val.get(n)!;
    const isConst = (n: NetId, x: bigint): boolean => this.constOf[n] === x;
    // 1. Memory reads (old contents) into temporaries.
    const commits: string[] = [];
    for (const i of seq) {
      const c = m.cells[i]!;
      if (c.kind !== 'memrd') continue;
      const mem = m.mems[c.mem!]!;
      const k = wordsOf(mem.width);
      const s = this.slots.get(c.outs[0]!)!;
      const addr = v(c.ins[0]!)[0]!;
      const en = v(c.ins[1]!)[0]!;
      const inRange = mem.depth === 2 ** addrWidth(mem.depth) ? '' : ` && ${addr} < ${mem.depth}`;
      const tmp = `r${c.outs[0]}`;
      for (let j = 0; j < k; j++) {
        const rd = inRange ? `(${addr} < ${mem.depth} ? M${c.mem}[${addr} * ${k} + ${j}] : 0)` : `M${c.mem}[${addr} * ${k} + ${j}]`;
        L.push(`const ${tmp}_${j} = ${rd};`);
        commits.push(isConst(c.ins[1]!, 1n) ? `V[${s.offset + j}] = ${tmp}_${j};` : `if (${en}) V[${s.offset + j}] = ${tmp}_${j};`);
      }
      void inRange;
    }
    // 2. Register updates (every input is a local captured before any write).
    for (const i of seq) {
      const c = m.cells[i]!;
      if (c.kind !== 'dff') continue;
      const q = c.outs[0]!;
      const s = this.slots.get(q)!;
      const d = v(c.ins[0]!);
      const enOff = isConst(c.ins[1]!, 0n);
      const enOn = isConst(c.ins[1]!, 1n);
      const load = d.map((e, j) => `V[${s.offset + j}] = ${e};`).join(' ');
      const rst = c.ins.length === 3 ? v(c.ins[2]!)[0]! : undefined;
      const rstv = rst
        ? Array.from({ length: s.words }, (_, j) => `V[${s.offset + j}] = ${constWord(c.reset!, j)};`).join(' ')
        : '';
      if (rst && !isConst(c.ins[2]!, 0n)) {
        if (enOff) commits.push(`if (${rst}) { ${rstv} }`);
        else if (enOn) commits.push(`if (${rst}) { ${rstv} } else { ${load} }`);
        else commits.push(`if (${rst}) { ${rstv} } else if (${v(c.ins[1]!)[0]}) { ${load} }`);
      } else if (!enOff) {
        commits.push(enOn ? load : `if (${v(c.ins[1]!)[0]}) { ${load} }`);
      }
    }
    L.push(...commits);
    // 3. Primitive clock edges (their inputs are all settled now).
    this.prims.forEach((p, pi) => {
      p.cell.ins.forEach((n, k) => L.push(`P${pi}.ins[${k}] = ${v(n)[0]};`));
      L.push(`P${pi}.tick();`);
    });
    // 4. Memory writes, in port order (the last port wins on a collision).
    for (const i of seq) {
      const c = m.cells[i]!;
      if (c.kind !== 'memwr') continue;
      const mem = m.mems[c.mem!]!;
      const k = wordsOf(mem.width);
      const [addrN, dataN, enN, beN] = c.ins as [NetId, NetId, NetId, NetId];
      const addr = v(addrN)[0]!;
      const data = v(dataN);
      const be = v(beN);
      const conds: string[] = [];
      if (!isConst(enN, 1n)) conds.push(v(enN)[0]!);
      if (mem.depth !== 2 ** addrWidth(mem.depth)) conds.push(`${addr} < ${mem.depth}`);
      if (isConst(enN, 0n)) continue;
      const lanes = mem.width / mem.granularity;
      const g = mem.granularity;
      const allLanes = isConst(beN, (1n << BigInt(lanes)) - 1n);
      if (lanes === 1 && !allLanes) conds.push(be[0]!);
      const body: string[] = [];
      for (let j = 0; j < k; j++) {
        const idx = `M${c.mem}[${addr} * ${k} + ${j}]`;
        if (lanes === 1 || allLanes) {
          body.push(`${idx} = ${data[j]};`);
          continue;
        }
        // Word mask from the lanes overlapping this word.
        const terms: string[] = [];
        for (let l = 0; l < lanes; l++) {
          const lo = Math.max(l * g, 32 * j);
          const hi = Math.min((l + 1) * g, 32 * j + 32);
          if (lo >= hi) continue;
          const maskBits = (((2 ** (hi - lo)) - 1) * 2 ** (lo - 32 * j)) | 0;
          const beBit = `((${be[l >> 5]} >>> ${l & 31}) & 1)`;
          terms.push(`(${beBit} ? ${maskBits} : 0)`);
        }
        const mk = `w${c.outs.length}${i}_${j}`;
        body.push(`const ${mk} = ${terms.join(' | ')};`);
        body.push(`${idx} = (${idx} & ~${mk}) | (${data[j]} & ${mk});`);
      }
      L.push(conds.length ? `if (${conds.join(' && ')}) { ${body.join(' ')} }` : `{ ${body.join(' ')} }`);
      if (mem.readDuringWrite === 'undefined') this.poisonCollidingReads(seq, c, conds, ctx);
    }
  }

  /**
   * A memory whose read-during-write is undefined: a read port that read the
   * address this write port wrote on the same edge gets its word inverted,
   * so a design that relies on the value (which hardware does not give)
   * fails its tests instead of passing in simulation only.
   */
  private poisonCollidingReads(seq: number[], wr: Cell, wrConds: string[], ctx: Ctx): void {
    const { m } = this;
    const v = (n: NetId): string[] => ctx.val.get(n)!;
    for (const i of seq) {
      const rd = m.cells[i]!;
      if (rd.kind !== 'memrd' || rd.mem !== wr.mem) continue;
      const mem = m.mems[rd.mem!]!;
      const s = this.slots.get(rd.outs[0]!)!;
      const conds = [...wrConds, `${v(rd.ins[1]!)[0]} !== 0`, `${v(rd.ins[0]!)[0]} === ${v(wr.ins[0]!)[0]}`];
      const flips = Array.from({ length: wordsOf(mem.width) }, (_, j) => {
        const bits = Math.min(32, mem.width - 32 * j);
        return `V[${s.offset + j}] = ~V[${s.offset + j}] & ${maskLit(bits)};`;
      });
      ctx.lines.push(`if (${conds.join(' && ')}) { ${flips.join(' ')} }`);
    }
  }
}

/** Fewer cases than this stay an if/else chain. */
const MIN_SWITCH_CASES = 3;

/** Where a chunk's code goes and the expression of each net's words so far. */
interface Ctx {
  lines: string[];
  val: Map<NetId, string[]>;
}
