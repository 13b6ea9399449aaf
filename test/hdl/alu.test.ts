// The ALU and the branch unit, elaborated alone, against the interpreter on
// edge values for every single-cycle ALU entry and every conditional jump.

import { describe, expect, it } from 'vitest';
import { Module } from '../../src/dsl/index.ts';
import { Simulator } from '../../sim/simulator.ts';
import { makeAlu } from '../../hdl/cpu/alu.ts';
import { makeBranch } from '../../hdl/cpu/branch.ts';
import { enabledSpecs, makeConfig } from '../../hdl/cpu/config.ts';
import { ALU_FN, controlFor, UNIT } from '../../hdl/cpu/control.ts';
import { EDGES_64, EDGES_IMM, EXIT, insnOf, lddw, runInterp } from './reference.ts';

const specs = enabledSpecs(makeConfig());

function interpAlu(spec: (typeof specs)[number], a: bigint, b: bigint | number): bigint {
  const op = spec.sem.kind === 'alu' && spec.sem.operand === 'imm'
    ? insnOf(spec, { dst: 1, imm: b as number })
    : insnOf(spec, { dst: 1, src: 2 });
  const r = runInterp([...lddw(1, a), ...lddw(2, typeof b === 'bigint' ? b : 0n), op, insnOf(specs.find((s) => s.id === 'mov64_reg')!, { dst: 0, src: 1 }), EXIT]);
  if (r.kind !== 'exit') throw new Error(`interp faulted: ${r.message}`);
  return r.r0;
}

describe('alu', () => {
  const sim = Simulator.createSync(makeAlu());
  const aluSpecs = specs.filter((s) => controlFor(s).unit === UNIT.ALU);

  it('covers every single-cycle ALU entry of the table', () => {
    expect(aluSpecs.length).toBeGreaterThan(30);
  });

  it('matches the interpreter on edge values', () => {
    let checked = 0;
    for (const spec of aluSpecs) {
      const c = controlFor(spec);
      const imm = spec.sem.kind === 'alu' && spec.sem.operand === 'imm';
      for (const a of EDGES_64) {
        for (const b of imm ? EDGES_IMM.map((x) => x as bigint | number) : EDGES_64.slice(0, 20)) {
          const bv = typeof b === 'number' ? BigInt.asUintN(64, BigInt(b)) : b;
          sim.poke('a', a);
          // Unary operations read dst on port B (control bDst).
          sim.poke('b', c.bDst ? a : bv);
          sim.poke('fn', c.fn);
          sim.poke('size', c.size);
          sim.poke('w32', c.w32);
          const want = interpAlu(spec, a, b);
          expect(sim.peek('y'), `${spec.id} a=${a} b=${b}`).toBe(want);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(10000);
  });
});

describe('branch (with the ALU subtractor)', () => {
  const m = new Module('branch_tb');
  const a = m.input('a', 64);
  const b = m.input('b', 64);
  const fn = m.input('fn', 4);
  const w32 = m.input('w32', 1);
  const alu = m.instance('alu', makeAlu(), { a, b, alt: 0, use_alt: 0, fn: ALU_FN.SUB, size: 0, w32 });
  const br = m.instance('br', makeBranch(), { a, b, sum: alu.o.sum, c32: alu.o.c32, c64: alu.o.c64, fn, w32 });
  m.comb(m.output('taken', 1), br.o.taken);
  const sim = Simulator.createSync(m);
  const jumps = specs.filter((s) => s.sem.kind === 'jmp');

  it('decides every conditional jump like the interpreter', () => {
    const movImm = specs.find((s) => s.id === 'mov64_imm')!;
    for (const spec of jumps) {
      const c = controlFor(spec);
      const imm = spec.sem.kind === 'jmp' && spec.sem.operand === 'imm';
      for (const x of EDGES_64) {
        for (const y of imm ? EDGES_IMM.map((v) => BigInt.asUintN(64, BigInt(v))) : EDGES_64) {
          const jump = imm ? insnOf(spec, { dst: 1, off: 2, imm: Number(BigInt.asIntN(32, y)) }) : insnOf(spec, { dst: 1, src: 2, off: 2 });
          const r = runInterp([...lddw(1, x), ...lddw(2, y), jump, insnOf(movImm, { dst: 0, imm: 0 }), EXIT, insnOf(movImm, { dst: 0, imm: 1 }), EXIT]);
          if (r.kind !== 'exit') throw new Error(r.message);
          sim.poke('a', x);
          sim.poke('b', y);
          sim.poke('fn', c.fn);
          sim.poke('w32', c.w32);
          expect(sim.peek('taken'), `${spec.id} ${x} ${y}`).toBe(r.r0);
        }
      }
    }
  });
});
