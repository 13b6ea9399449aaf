// The compiled simulator against the executable cell semantics
// (src/dsl/semantics.ts): random single cells of every combinational kind
// and widths 1..130, with edge-biased operand values.

import { describe, expect, it } from 'vitest';
import type { Cell, CellKind, ModuleIR } from '../../src/dsl/ir.ts';
import { evalComb } from '../../src/dsl/semantics.ts';
import { compileSim } from '../../sim/compile.ts';
import { Rng } from '../../src/random.ts';
import type { Expr } from '../../src/dsl/index.ts';

const KINDS: CellKind[] = [
  'add', 'sub', 'mul', 'and', 'or', 'xor', 'not', 'neg', 'shl', 'shr', 'sar', 'eq', 'ne', 'lt', 'le',
  'redand', 'redor', 'redxor', 'mux', 'cat', 'slice', 'zext', 'sext', 'buf',
];
const WIDTHS = [1, 2, 5, 8, 16, 31, 32, 33, 47, 63, 64, 65, 96, 127, 128, 130];

function rw(rng: Rng): number {
  return rng.chance(0.7) ? rng.pick(WIDTHS) : rng.int(1, 130);
}

/** A module with inputs a, b, c and one cell driving output y. */
function single(kind: CellKind, rng: Rng, constB: boolean): { m: ModuleIR; cell: Cell; inW: number[] } {
  const w = rw(rng);
  let inW: number[];
  let outW = w;
  const cell: Cell = { kind, ins: [], outs: [] };
  switch (kind) {
    case 'shl':
    case 'shr':
    case 'sar':
      inW = [w, rng.chance(0.5) ? rng.int(1, 8) : rw(rng)];
      break;
    case 'eq':
    case 'ne':
    case 'lt':
    case 'le':
      inW = [w, w];
      outW = 1;
      cell.signed = rng.chance(0.5);
      break;
    case 'redand':
    case 'redor':
    case 'redxor':
      inW = [w];
      outW = 1;
      break;
    case 'mux':
      inW = [1, w, w];
      break;
    case 'cat': {
      inW = Array.from({ length: rng.int(2, 4) }, () => rng.int(1, 48));
      outW = inW.reduce((s, x) => s + x, 0);
      break;
    }
    case 'slice': {
      inW = [w];
      const lo = rng.below(w);
      outW = rng.int(1, w - lo);
      cell.lo = lo;
      break;
    }
    case 'zext':
    case 'sext':
      inW = [w];
      outW = w + rng.int(1, 70);
      break;
    case 'not':
    case 'neg':
    case 'buf':
      inW = [w];
      break;
    default:
      inW = [w, w];
  }
  const m: ModuleIR = { name: 't', nets: [], cells: [], mems: [], inputs: [], outputs: [] };
  inW.forEach((iw, i) => {
    m.nets.push({ width: iw, signed: false, name: `i${i}`, kind: 'input' });
    m.inputs.push({ name: `i${i}`, net: i });
  });
  cell.ins = inW.map((_, i) => i);
  // Optionally make the second operand a constant (exercises literal paths).
  if (constB && inW.length >= 2) {
    m.nets.push({ width: inW[1]!, signed: false, kind: 'temp' });
    const cn = m.nets.length - 1;
    m.cells.push({ kind: 'const', ins: [], outs: [cn], value: rng.edgeBits(inW[1]!) });
    cell.ins[1] = cn;
  }
  m.nets.push({ width: outW, signed: false, name: 'y', kind: 'output' });
  cell.outs = [m.nets.length - 1];
  m.outputs.push({ name: 'y', net: m.nets.length - 1 });
  m.cells.push(cell);
  return { m, cell, inW };
}

function put(V: Int32Array, off: number, w: number, v: bigint): void {
  for (let j = 0; j < (w + 31) >> 5; j++) V[off + j] = Number((v >> BigInt(32 * j)) & 0xffffffffn) | 0;
}
function get(V: Int32Array, off: number, w: number): bigint {
  let v = 0n;
  for (let j = ((w + 31) >> 5) - 1; j >= 0; j--) v = (v << 32n) | BigInt(V[off + j]! >>> 0);
  return v;
}

describe('compiled simulator vs reference cell semantics', () => {
  for (const kind of KINDS) {
    it(`${kind}: 300 random cells`, () => {
      const rng = new Rng(KINDS.indexOf(kind) * 7919 + 1);
      let checked = 0;
      for (let t = 0; t < 300; t++) {
        const constB = rng.chance(0.3);
        const { m, cell } = single(kind, rng, constB);
        const sim = compileSim(m);
        const y = m.outputs[0]!.net;
        for (let k = 0; k < 6; k++) {
          const vals = m.inputs.map((p) => rng.edgeBits(m.nets[p.net]!.width));
          m.inputs.forEach((p, i) => put(sim.V, sim.slots.get(p.net)!.offset, m.nets[p.net]!.width, vals[i]!));
          sim.settle();
          const ins = cell.ins.map((n) => {
            const ii = m.inputs.findIndex((p) => p.net === n);
            return ii >= 0 ? vals[ii]! : m.cells.find((c) => c.outs[0] === n)!.value!;
          });
          const want = evalComb(cell, ins, cell.ins.map((n) => m.nets[n]!.width), m.nets[y]!.width);
          const got = get(sim.V, sim.slots.get(y)!.offset, m.nets[y]!.width);
          checked++;
          if (got !== want) {
            throw new Error(
              `${kind} widths ${cell.ins.map((n) => m.nets[n]!.width)} -> ${m.nets[y]!.width} signed=${cell.signed} lo=${cell.lo} ` +
                `ins ${ins.map((x) => x.toString(16))}: got ${got.toString(16)} want ${want.toString(16)}\n${sim.source}`,
            );
          }
        }
      }
      expect(checked).toBe(300 * 6);
    });
  }
});

describe('chunked code generation', () => {
  it('splitting a design into many functions gives the same results', async () => {
    const { benchCore } = await import('../../bench/sim-design.ts');
    const { Simulator } = await import('../../sim/simulator.ts');
    const one = Simulator.createSync(benchCore(3));
    const many = Simulator.createSync(benchCore(3), { chunkBudget: 12 });
    expect(one.compiled.chunks).toBe(1);
    expect(many.compiled.chunks).toBeGreaterThan(10);
    one.reset();
    many.reset();
    for (let i = 0; i < 200; i++) {
      one.step(50);
      many.step(50);
      expect(many.peek('checksum')).toBe(one.peek('checksum'));
      expect(many.peek('pc_out')).toBe(one.peek('pc_out'));
    }
  });
});

describe('concatenations gathered from slices', () => {
  // Copies, repeated bits (repl), reversed fields and constants, as the
  // code generator groups them (compile.ts emitCat), against the cells' semantics.
  it('300 random cats of slices and constants', () => {
    const rng = new Rng(4242);
    for (let t = 0; t < 300; t++) {
      const aw = rng.pick([1, 7, 32, 33, 64, 65, 96]);
      const m: ModuleIR = { name: 't', nets: [{ width: aw, signed: false, kind: 'input', name: 'a' }], cells: [], mems: [], inputs: [{ name: 'a', net: 0 }], outputs: [] };
      const net = (width: number): number => m.nets.push({ width, signed: false, kind: 'temp' }) - 1;
      const parts: number[] = [];
      const n = rng.int(1, 40);
      let lastBit = rng.int(0, aw - 1);
      for (let i = 0; i < n; i++) {
        const mode = rng.int(0, 4);
        if (mode === 0) {
          const value = rng.edgeBits(rng.int(1, 9));
          const o = net(value.toString(2).length);
          m.cells.push({ kind: 'const', ins: [], outs: [o], value });
          parts.push(o);
          continue;
        }
        // 1: the same bit again (a fill), 2: the next bit down (a copy, MSB first), 3: the next bit up (reversed), 4: any field
        const bit = mode === 1 ? lastBit : mode === 2 ? lastBit - 1 : mode === 3 ? lastBit + 1 : rng.int(0, aw - 1);
        const lo = Math.max(0, Math.min(aw - 1, bit));
        const w = mode === 4 ? rng.int(1, aw - lo) : 1;
        const o = net(w);
        m.cells.push({ kind: 'slice', ins: [0], outs: [o], lo });
        parts.push(o);
        lastBit = lo;
      }
      const width = parts.reduce((s, p) => s + m.nets[p]!.width, 0);
      const y = net(width);
      m.nets[y]!.name = 'y';
      m.cells.push({ kind: 'cat', ins: parts, outs: [y] });
      m.outputs.push({ name: 'y', net: y });
      const sim = compileSim(m);
      for (let k = 0; k < 4; k++) {
        const a = rng.edgeBits(aw);
        put(sim.V, sim.slots.get(0)!.offset, aw, a);
        sim.settle();
        const valueOf = (p: number): bigint => {
          const c = m.cells.find((x) => x.outs[0] === p)!;
          return c.kind === 'const' ? c.value! : evalComb(c, [a], [aw], m.nets[p]!.width);
        };
        const want = evalComb(m.cells.at(-1)!, parts.map(valueOf), parts.map((p) => m.nets[p]!.width), width);
        const got = get(sim.V, sim.slots.get(y)!.offset, width);
        if (got !== want) throw new Error(`cat case ${t}: a=${a.toString(16)} got ${got.toString(16)} want ${want.toString(16)}\n${sim.source}`);
      }
    }
  });
});

describe('memoized regions', () => {
  // The CPU's decoder is a costly pure function of the fetched word: step()
  // caches it (sim/memo.ts). With and without the cache the outputs must
  // agree on every cycle, hits and misses, colliding entries included.
  it('the decoder behind a register gives the same outputs with and without its cache', async () => {
    const { Module, cat } = await import('../../src/dsl/index.ts');
    const { makeDecoder } = await import('../../hdl/cpu/decode.ts');
    const { makeConfig } = await import('../../hdl/cpu/config.ts');
    const { ISA } = await import('../../src/isa/table.ts');
    const { Simulator } = await import('../../sim/simulator.ts');
    const build = () => {
      const m = new Module('dec_top');
      const word = m.input('word', 64);
      const r = m.reg('r', 64);
      m.sync(r, word);
      const dec = m.instance('u_dec', makeDecoder(makeConfig()), { insn: r });
      // Registered, so the values come from step() (peek's settle() evaluates without the cache).
      const fields = Object.values(dec.o.ctl as Record<string, Expr>);
      const flat = cat(...fields, dec.o.fault as Expr);
      const q = m.reg('decoded', flat.width);
      m.sync(q, flat);
      m.comb(m.output('decoded_out', flat.width), q);
      return m;
    };
    // Two entries only: most lookups evict another word.
    const cached = Simulator.createSync(build(), { memoIndexBits: 1 });
    const plain = Simulator.createSync(build(), { memoize: false });
    expect(cached.compiled.source).toMatch(/const Q0 = Q\[0\];/);
    expect(plain.compiled.source).not.toMatch(/Q\[0\]/);
    const rng = new Rng(99);
    // A small pool (so entries hit), real encodings and random words (illegal ones among them).
    const pool = Array.from({ length: 64 }, (_, i) => {
      if (i % 4 === 3) return rng.edgeBits(64);
      const spec = ISA[rng.int(0, ISA.length - 1)]!;
      return BigInt(spec.opcode) | (BigInt(rng.int(0, 15)) << 8n) | (BigInt(rng.int(0, 15)) << 12n) | (rng.chance(0.5) ? 0n : rng.edgeBits(48) << 16n);
    });
    for (const s of [cached, plain]) s.reset();
    for (let i = 0; i < 3000; i++) {
      const w = pool[rng.int(0, pool.length - 1)]!;
      for (const s of [cached, plain]) {
        s.poke('word', w);
        s.step();
      }
      expect(cached.peek('decoded')).toBe(plain.peek('decoded'));
    }
  });
});

describe('switch chains', () => {
  // A DSL Switch becomes a chain of muxes on `subject === k`; the code
  // generator emits it as a JS switch (compile.ts emitSwitch). Checked
  // against the same function written in plain TS, with 8- and 32-bit
  // subjects (32-bit constants are negative int32 literals in the code).
  for (const width of [8, 32]) {
    it(`${width}-bit subject: every case, the default and nested switches`, async () => {
      const { Module, C } = await import('../../src/dsl/index.ts');
      const { Simulator } = await import('../../sim/simulator.ts');
      const keys = width === 8 ? [0, 1, 2, 3, 7, 200, 255] : [0, 5, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
      const m = new Module('sw');
      const sel = m.input('sel', width);
      const a = m.input('a', 32);
      const b = m.input('b', 32);
      const inner = m.input('inner', 2);
      const y = m.output('y', 32);
      const sw = m.Switch(sel);
      keys.forEach((k, i) => sw.Case(k, () => {
        if (i === 2) {
          // A nested switch inside one case.
          m.Switch(inner).Case(0, () => m.comb(y, a.add(1))).Case(1, () => m.comb(y, b.sub(a))).Case(2, () => m.comb(y, a.xor(b))).Default(() => m.comb(y, C(32, 77)));
        } else m.comb(y, a.add(b.shl(i)).xor(C(32, k)));
      }));
      sw.Default(() => m.comb(y, a.and(b)));
      const model = (s: number, av: number, bv: number, iv: number): number => {
        const i = keys.indexOf(s);
        if (i < 0) return (av & bv) >>> 0;
        if (i === 2) return [(av + 1) >>> 0, (bv - av) >>> 0, (av ^ bv) >>> 0, 77][iv]!;
        return ((av + ((bv << i) >>> 0)) ^ keys[i]!) >>> 0;
      };
      const sim = Simulator.createSync(m);
      expect(sim.compiled.source).toMatch(/switch \(/);
      const rng = new Rng(width);
      for (let t = 0; t < 2000; t++) {
        const s = rng.chance(0.7) ? keys[rng.int(0, keys.length - 1)]! : Number(rng.edgeBits(width));
        const av = Number(rng.edgeBits(32));
        const bv = Number(rng.edgeBits(32));
        const iv = rng.int(0, 3);
        sim.poke('sel', s);
        sim.poke('a', av);
        sim.poke('b', bv);
        sim.poke('inner', iv);
        expect(Number(sim.peek('y')), `sel ${s} a ${av} b ${bv} inner ${iv}`).toBe(model(s, av, bv, iv));
      }
    });
  }
});
