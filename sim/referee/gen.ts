// Random design generator. Produces recipes that use every operator and cell
// kind of the DSL: all binary/unary ops, shifts by constant and by signal,
// signed and unsigned comparisons, mux, concat, slice, extension, replicate,
// registers (reset, resetless, clock enable, If/Switch bodies), comb wires
// with statement bodies, memories with byte enables and init contents,
// sub-module instances and SB_MAC16 primitives. Widths span 1..128 with
// extra weight on 1, 31/32/33, 63/64/65, 127/128; constants favour edge values.

import type { Rng } from '../../src/random.ts';
import type { GStmt, Recipe, Ref, ValueNode } from './recipe.ts';
import { isSource } from './recipe.ts';

export interface GenOptions {
  /** Target number of combinational nodes. */
  nodes?: number;
  maxWidth?: number;
  memProb?: number;
  instProb?: number;
  macProb?: number;
}

const WIDTH_BUCKETS: [number, number, number][] = [
  [15, 1, 1],
  [28, 2, 8],
  [14, 9, 16],
  [8, 17, 30],
  [7, 31, 33],
  [8, 34, 62],
  [7, 63, 65],
  [6, 66, 126],
  [7, 127, 128],
];

export function randomWidth(rng: Rng, max = 128): number {
  const total = WIDTH_BUCKETS.reduce((s, b) => s + b[0], 0);
  let r = rng.below(total);
  for (const [wt, lo, hi] of WIDTH_BUCKETS) {
    if (r < wt) return Math.min(max, rng.int(lo, hi));
    r -= wt;
  }
  return 8;
}

class Gen {
  readonly r: Recipe = { values: [], mems: [], insts: [], outputs: [] };
  readonly W: number[] = [];
  readonly S: boolean[] = [];

  constructor(
    private readonly rng: Rng,
    private readonly o: Required<GenOptions>,
    private readonly depth: number,
  ) {}

  add(v: ValueNode, w: number, s: boolean): Ref {
    this.r.values.push(v);
    this.W.push(w);
    this.S.push(s);
    return this.r.values.length - 1;
  }

  /** A value index below `limit`, biased toward recent ones. */
  pick(limit = this.r.values.length): Ref {
    const rng = this.rng;
    if (limit <= 0) throw new Error('gen: nothing to pick');
    if (rng.chance(0.55)) return Math.max(0, limit - 1 - rng.below(Math.min(6, limit)));
    return rng.below(limit);
  }

  /** A value below limit whose width is at most maxW if one is easy to find. */
  pickNarrow(limit: number, maxW: number): Ref {
    for (let i = 0; i < 8; i++) {
      const x = this.pick(limit);
      if (this.W[x]! <= maxW) return x;
    }
    return this.pick(limit);
  }

  constValue(w: number): string {
    return this.rng.edgeBits(w).toString();
  }

  run(): Recipe {
    const { rng, o } = this;
    const nIn = rng.int(1, 4);
    for (let i = 0; i < nIn; i++) {
      const w = randomWidth(rng, o.maxWidth);
      const s = rng.chance(0.4);
      this.add({ k: 'in', w, s }, w, s);
    }
    for (let i = rng.int(0, 2); i > 0; i--) {
      const w = randomWidth(rng, o.maxWidth);
      const s = rng.chance(0.3);
      this.add({ k: 'const', w, s, v: this.constValue(w) }, w, s);
    }
    const regs: Ref[] = [];
    for (let i = rng.int(0, 3); i > 0; i--) {
      const w = randomWidth(rng, o.maxWidth);
      const s = rng.chance(0.3);
      const resetless = rng.chance(0.3);
      const init = this.constValue(w);
      regs.push(this.add({ k: 'reg', w, s, reset: resetless ? null : init, init, en: null, body: [] }, w, s));
    }
    const reads: Ref[] = [];
    if (rng.chance(o.memProb)) {
      const w = rng.chance(0.5) ? rng.pick([8, 16, 32, 64]) : randomWidth(rng, 72);
      const depth = rng.pick([1, 2, 3, 4, 5, 8, 16, 17, 32, 64, 100, 256]);
      const divs = [...Array(w).keys()].map((x) => x + 1).filter((g) => w % g === 0);
      const gran = rng.chance(0.5) && w % 8 === 0 ? 8 : rng.pick(divs);
      const init = rng.chance(0.6) ? Array.from({ length: rng.int(0, Math.min(depth, 8)) }, () => this.constValue(w)) : [];
      this.r.mems.push({ w, depth, gran, init, writes: [] });
      for (let p = rng.int(1, 2); p > 0; p--) reads.push(this.add({ k: 'memrd', mem: 0, addr: 0, en: null }, w, false));
    }
    const n = rng.int(Math.ceil(o.nodes / 2), o.nodes);
    for (let i = 0; i < n; i++) this.combNode();

    // Sequential parts may read any value.
    for (const ref of regs) {
      const v = this.r.values[ref] as Extract<ValueNode, { k: 'reg' }>;
      v.body = this.body(2, this.r.values.length);
      if (rng.chance(0.3)) v.en = this.pickNarrow(this.r.values.length, 4);
    }
    for (const ref of reads) {
      const v = this.r.values[ref] as Extract<ValueNode, { k: 'memrd' }>;
      v.addr = this.pickNarrow(this.r.values.length, 10);
      v.en = rng.chance(0.6) ? this.pickNarrow(this.r.values.length, 3) : null;
    }
    for (const mem of this.r.mems) {
      for (let p = rng.int(1, 2); p > 0; p--) {
        const all = this.r.values.length;
        mem.writes.push({
          addr: this.pickNarrow(all, 10),
          data: this.pick(all),
          en: this.pickNarrow(all, 3),
          be: rng.chance(0.6) ? this.pick(all) : null,
        });
      }
    }
    // Outputs: every value nobody reads, plus a few random ones.
    const uses = countUses(this.r);
    const outs: Ref[] = [];
    this.r.values.forEach((v, i) => {
      if (uses[i] === 0 && v.k !== 'const') outs.push(i);
    });
    for (let i = rng.int(1, 2); i > 0; i--) outs.push(this.pick());
    this.r.outputs = [...new Set(outs)].slice(-12);
    return this.r;
  }

  private combNode(): void {
    const { rng, o } = this;
    const kind = rng.weighted({
      bin: 20, mulw: 3, un: 7, shc: 5, shv: 6, cmp: 11, mux: 8, cat: 5, slice: 8, size: 8, repl: 2, wire: 6,
      inst: this.depth === 0 ? o.instProb * 100 : 0,
      mac: o.macProb * 100,
      const: 2,
    });
    const lim = this.r.values.length;
    const W = (x: Ref): number => this.W[x]!;
    const S = (x: Ref): boolean => this.S[x]!;
    switch (kind) {
      case 'bin': {
        const a = this.pick();
        const b = rng.chance(0.7) ? this.pickNarrow(lim, W(a)) : this.pick();
        const op = rng.pick(['add', 'sub', 'mul', 'and', 'or', 'xor'] as const);
        this.add({ k: 'bin', op, a, b }, Math.max(W(a), W(b)), S(a) && S(b));
        return;
      }
      case 'mulw': {
        const a = this.pickNarrow(lim, 64);
        const b = this.pickNarrow(lim, 64);
        this.add({ k: 'mulw', a, b }, W(a) + W(b), S(a) || S(b));
        return;
      }
      case 'un': {
        const a = this.pick();
        const op = rng.pick(['not', 'neg', 'any', 'all', 'xorReduce'] as const);
        const wide = op === 'not' || op === 'neg';
        this.add({ k: 'un', op, a }, wide ? W(a) : 1, wide ? S(a) : false);
        return;
      }
      case 'shc': {
        const a = this.pick();
        const n = rng.chance(0.15) ? rng.int(W(a), W(a) + 5) : rng.below(W(a));
        this.add({ k: 'shc', op: rng.pick(['shl', 'shr', 'sar'] as const), a, n }, W(a), S(a));
        return;
      }
      case 'shv': {
        const a = this.pick();
        const b = this.pickNarrow(lim, rng.chance(0.8) ? 8 : 128);
        this.add({ k: 'shv', op: rng.pick(['shl', 'shr', 'sar'] as const), a, b }, W(a), S(a));
        return;
      }
      case 'cmp': {
        const a = this.pick();
        const b = rng.chance(0.7) ? this.pickNarrow(lim, W(a)) : this.pick();
        const op = rng.pick(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'ltS', 'leS', 'gtS', 'geS', 'ltU', 'leU', 'gtU', 'geU'] as const);
        this.add({ k: 'cmp', op, a, b }, 1, false);
        return;
      }
      case 'mux': {
        const s = this.pickNarrow(lim, 1);
        const a = this.pick();
        const b = this.pick();
        this.add({ k: 'mux', s, a, b }, Math.max(W(a), W(b)), S(a) && S(b));
        return;
      }
      case 'cat': {
        const parts: Ref[] = [];
        let w = 0;
        for (let i = rng.int(2, 4); i > 0; i--) {
          const p = this.pick();
          if (w + W(p) > o.maxWidth) break;
          parts.push(p);
          w += W(p);
        }
        if (parts.length < 2) {
          const p = this.pickNarrow(lim, 8);
          parts.push(p, p);
          w = 2 * W(p);
        }
        this.add({ k: 'cat', parts }, w, false);
        return;
      }
      case 'slice': {
        const a = this.pick();
        const lo = rng.below(W(a));
        const hi = rng.int(lo, W(a) - 1);
        this.add({ k: 'slice', a, hi, lo }, hi - lo + 1, false);
        return;
      }
      case 'size': {
        const a = this.pick();
        const op = rng.pick(['zext', 'sext', 'ext', 'trunc', 'asSigned', 'asUnsigned'] as const);
        let w = W(a);
        if (op === 'trunc') w = rng.int(1, W(a));
        else if (op === 'zext' || op === 'sext' || op === 'ext') w = Math.min(o.maxWidth, W(a) + rng.int(0, 40));
        w = Math.max(w, op === 'trunc' ? 1 : W(a));
        const s = op === 'sext' || op === 'asSigned' ? true : op === 'zext' || op === 'asUnsigned' ? false : S(a);
        this.add({ k: 'size', op, a, w }, w, s);
        return;
      }
      case 'repl': {
        const a = this.pickNarrow(lim, 16);
        const n = rng.int(1, Math.max(1, Math.floor(o.maxWidth / W(a))));
        this.add({ k: 'repl', a, n }, W(a) * n, false);
        return;
      }
      case 'wire': {
        const w = randomWidth(rng, o.maxWidth);
        const s = rng.chance(0.3);
        const dflt = rng.chance(0.5) ? this.constValue(w) : null;
        this.add({ k: 'wire', w, s, dflt, body: this.body(2, lim) }, w, s);
        return;
      }
      case 'const': {
        const w = randomWidth(rng, o.maxWidth);
        this.add({ k: 'const', w, s: false, v: this.constValue(w) }, w, false);
        return;
      }
      case 'mac': {
        const a = this.pickNarrow(lim, 16);
        const b = this.pickNarrow(lim, 16);
        this.add({ k: 'mac', a, b, signed: rng.chance(0.5) }, 32, false);
        return;
      }
      case 'inst': {
        const child = new Gen(rng, { ...o, nodes: Math.max(3, o.nodes >> 2), memProb: o.memProb / 2 }, this.depth + 1).run();
        const nIns = child.values.filter((v) => v.k === 'in').length;
        const ins = Array.from({ length: nIns }, () => this.pick(lim));
        const idx = this.r.insts.length;
        this.r.insts.push({ child, ins });
        child.outputs.forEach((ref, port) => {
          const cw = childWidth(child, ref);
          this.add({ k: 'instout', inst: idx, port }, cw, false);
        });
        return;
      }
    }
  }

  /** A statement body reading values below `limit`. */
  private body(depth: number, limit: number): GStmt[] {
    const { rng } = this;
    const out: GStmt[] = [];
    for (let i = rng.int(1, 3); i > 0; i--) {
      const kind = depth <= 0 ? 'set' : rng.weighted({ set: 5, if: 3, sw: 2 });
      if (kind === 'set') out.push({ k: 'set', v: this.pick(limit) });
      else if (kind === 'if') {
        const br: { c: Ref | null; body: GStmt[] }[] = [];
        for (let b = rng.int(1, 3); b > 0; b--) br.push({ c: this.pickNarrow(limit, 4), body: this.body(depth - 1, limit) });
        if (rng.chance(0.5)) br.push({ c: null, body: this.body(depth - 1, limit) });
        out.push({ k: 'if', br });
      } else {
        const sel = this.pickNarrow(limit, 6);
        const sw = this.W[sel]!;
        const cases = [];
        for (let c = rng.int(1, 4); c > 0; c--) {
          const vals: string[] = [];
          for (let v = rng.int(1, 2); v > 0; v--) {
            if (rng.chance(0.25)) {
              let p = '';
              for (let b = 0; b < sw; b++) p += rng.pick(['0', '1', '-']);
              vals.push('p' + p);
            } else vals.push(this.rng.edgeBits(sw).toString());
          }
          cases.push({ vals, body: this.body(depth - 1, limit) });
        }
        out.push({ k: 'sw', sel, cases, dflt: rng.chance(0.5) ? this.body(depth - 1, limit) : undefined });
      }
    }
    return out;
  }
}

function childWidth(child: Recipe, ref: Ref): number {
  // Recomputed by the builder; the generator only needs a plausible width.
  const v = child.values[ref]!;
  if ('w' in v && typeof v.w === 'number' && v.k !== 'size') return v.w;
  return 8;
}

export function countUses(r: Recipe): number[] {
  const uses = r.values.map(() => 0);
  const bump = (x: Ref): void => {
    uses[x]!++;
  };
  const walk = (body: GStmt[]): void => {
    for (const s of body) {
      if (s.k === 'set') bump(s.v);
      else if (s.k === 'if') for (const b of s.br) {
        if (b.c !== null) bump(b.c);
        walk(b.body);
      }
      else {
        bump(s.sel);
        s.cases.forEach((c) => walk(c.body));
        if (s.dflt) walk(s.dflt);
      }
    }
  };
  for (const v of r.values) {
    switch (v.k) {
      case 'bin':
      case 'mulw':
      case 'cmp':
      case 'shv':
      case 'mac':
        bump(v.a);
        bump(v.b);
        break;
      case 'un':
      case 'shc':
      case 'slice':
      case 'size':
      case 'repl':
        bump(v.a);
        break;
      case 'mux':
        bump(v.s);
        bump(v.a);
        bump(v.b);
        break;
      case 'cat':
        v.parts.forEach(bump);
        break;
      case 'wire':
        walk(v.body);
        break;
      case 'reg':
        walk(v.body);
        if (v.en !== null) bump(v.en);
        break;
      case 'memrd':
        bump(v.addr);
        if (v.en !== null) bump(v.en);
        break;
      default:
        break;
    }
  }
  for (const m of r.mems) for (const w of m.writes) [w.addr, w.data, w.en, ...(w.be !== null ? [w.be] : [])].forEach(bump);
  for (const i of r.insts) i.ins.forEach(bump);
  return uses;
}

export function genRecipe(rng: Rng, opts: GenOptions = {}): Recipe {
  const o: Required<GenOptions> = {
    nodes: opts.nodes ?? 24,
    maxWidth: opts.maxWidth ?? 128,
    memProb: opts.memProb ?? 0.35,
    instProb: opts.instProb ?? 0.04,
    macProb: opts.macProb ?? 0.01,
  };
  return new Gen(rng, o, 0).run();
}

export { isSource };
