// The compiled simulator against the executable cell semantics
// (src/dsl/semantics.ts): random single cells of every combinational kind
// and widths 1..130, with edge-biased operand values.

import { describe, expect, it } from 'vitest';
import type { Cell, CellKind, ModuleIR } from '../../src/dsl/ir.ts';
import { evalComb } from '../../src/dsl/semantics.ts';
import { compileSim } from '../../sim/compile.ts';
import { Rng } from '../../src/random.ts';

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
