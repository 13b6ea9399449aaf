// The multi-cycle units (shifter, multiplier, divider), each elaborated
// alone, against the interpreter on edge values, with their cycle bounds.

import { describe, expect, it } from 'vitest';
import { Simulator } from '../../sim/simulator.ts';
import { enabledSpecs, makeConfig } from '../../hdl/cpu/config.ts';
import { controlFor, UNIT } from '../../hdl/cpu/control.ts';
import { makeDivider, makeDspMultiplier, makeMultiplier } from '../../hdl/cpu/muldiv.ts';
import { makeShifter, SHIFTER_MAX_CYCLES } from '../../hdl/cpu/shifter.ts';
import { makeSharedDivider } from '../../hdl/cpu/divider-shared.ts';
import { makeAlu } from '../../hdl/cpu/alu.ts';
import { ALU_FN } from '../../hdl/cpu/control.ts';
import { C, Module, mux } from '../../src/dsl/index.ts';
import type { InsnSpec } from '../../src/isa/table.ts';
import { EDGES_64, EDGES_IMM, EXIT, insnOf, lddw, runInterp } from './reference.ts';

const specs = enabledSpecs(makeConfig());
const movReg = specs.find((s) => s.id === 'mov64_reg')!;

function interp(spec: InsnSpec, a: bigint, b: bigint, imm: number): bigint {
  const isImm = spec.sem.kind === 'alu' && spec.sem.operand === 'imm';
  const op = isImm ? insnOf(spec, { dst: 1, imm }) : insnOf(spec, { dst: 1, src: 2 });
  const r = runInterp([...lddw(1, a), ...lddw(2, b), op, insnOf(movReg, { dst: 0, src: 1 }), EXIT]);
  if (r.kind !== 'exit') throw new Error(r.message);
  return r.r0;
}

/** Start the unit with `inputs`, step until done; returns the result and the cycles from start to done. */
function runUnit(sim: Simulator, inputs: Record<string, bigint | number>, limit = 200): { y: bigint; cycles: number } {
  // A unit with a `hold` output keeps no copy of its operands: after a cycle
  // with hold = 0 the core's ports move on, so scramble them to catch a read
  // the unit did not ask for.
  const holds = sim.has('hold');
  let keep = true;
  const step = (): void => {
    if (holds) keep = sim.peek('hold') === 1n;
    sim.step();
    if (!keep) for (const k of ['a', 'b']) sim.poke(k, 0x5a5a_5a5a_5a5a_5a5an);
  };
  for (const [k, v] of Object.entries(inputs)) sim.poke(k, v);
  sim.poke('start', 1);
  step();
  sim.poke('start', 0);
  for (let c = 1; c <= limit; c++) {
    if (sim.peek('done') === 1n) return { y: sim.peek('y'), cycles: c + 1 };
    step();
  }
  throw new Error(`unit did not finish within ${limit} cycles`);
}

type UnitInputs = (c: ReturnType<typeof controlFor>, a: bigint, b: bigint) => Record<string, bigint | number>;

/** Port names by unit: the shifter takes `amount`, the divider `fn` too. */
const defaultInputs = (unit: number): UnitInputs => (c, a, b): Record<string, bigint | number> => {
  if (unit === UNIT.SHIFT) return { a, amount: b, fn: c.fn, w32: c.w32 };
  return unit === UNIT.DIV ? { a, b, fn: c.fn, w32: c.w32 } : { a, b, w32: c.w32 };
};

function check(
  unit: number, make: () => Parameters<typeof Simulator.createSync>[0], maxCycles: (spec: InsnSpec, b: bigint) => number,
  inputsOf: UnitInputs = defaultInputs(unit),
): void {
  const sim = Simulator.createSync(make());
  sim.reset();
  const list = specs.filter((s) => controlFor(s).unit === unit);
  expect(list.length).toBeGreaterThan(0);
  for (const spec of list) {
    const c = controlFor(spec);
    const isImm = spec.sem.kind === 'alu' && spec.sem.operand === 'imm';
    for (const a of EDGES_64) {
      const bs = isImm ? EDGES_IMM.map((i) => BigInt.asUintN(64, BigInt(i))) : EDGES_64;
      for (const b of bs) {
        const want = interp(spec, a, b, Number(BigInt.asIntN(32, b)));
        const got = runUnit(sim, inputsOf(c, a, b));
        expect(got.y, `${spec.id} a=0x${a.toString(16)} b=0x${b.toString(16)}`).toBe(want);
        expect(got.cycles, `${spec.id} cycles`).toBeLessThanOrEqual(maxCycles(spec, b));
      }
    }
  }
}

describe('multi-cycle units', () => {
  for (const kind of ['fast', 'small'] as const) {
    it(`shifter (${kind}): every shift entry, at most ${SHIFTER_MAX_CYCLES[kind]} cycles`, () => {
      check(UNIT.SHIFT, () => makeShifter(kind), () => SHIFTER_MAX_CYCLES[kind]);
    });
  }
  it('multiplier: every mul entry, 1 + bits of the multiplier + 1 cycles', () => {
    check(UNIT.MUL, makeMultiplier, (spec, b) => {
      const w32 = controlFor(spec).w32 === 1;
      const m = w32 ? b & 0xffffffffn : b;
      return 2 + m.toString(2).length;
    });
  });
  it('divider: every div/mod entry, 34 cycles for 32-bit operands, 66 for 64-bit', () => {
    check(UNIT.DIV, makeDivider, (spec) => (controlFor(spec).w32 ? 34 : 66));
  });
  it('shared divider on the real ALU (wired as in core.ts): every div/mod entry, 34 / 66 cycles', () => {
    check(UNIT.DIV, sharedDividerWithAlu, (spec) => (controlFor(spec).w32 ? 34 : 66));
  });
  it('divider: 32-bit division takes at most 34 cycles', () => {
    const sim = Simulator.createSync(makeDivider());
    sim.reset();
    const div32 = specs.find((s) => s.id === 'div32_reg')!;
    const got = runUnit(sim, { a: 0xffffffffn, b: 7n, w32: 1, fn: controlFor(div32).fn });
    expect(got.y).toBe(0xffffffffn / 7n);
    expect(got.cycles).toBeLessThanOrEqual(34);
  });
});

describe('dsp multiplier (SB_MAC16)', () => {
  it('matches the interpreter on every mul entry in at most 6 cycles (4 for 32-bit)', () => {
    check(UNIT.MUL, makeDspMultiplier, (spec) => (controlFor(spec).w32 ? 4 : 6));
  });
  // Shifter 'dsp': the same blocks shift (a * 2^n, reversed for right shifts).
  it('with shifts: every shift entry in at most 6 cycles (4 for 32-bit), whatever the amount', () => {
    check(UNIT.SHIFT, () => makeDspMultiplier({ shifts: true }), (spec) => (controlFor(spec).w32 ? 4 : 6),
      (c, a, b) => ({ a, b, w32: c.w32, shift: 1, sfn: c.fn }));
  });
  it('with shifts: still multiplies every mul entry', () => {
    check(UNIT.MUL, () => makeDspMultiplier({ shifts: true }), (spec) => (controlFor(spec).w32 ? 4 : 6),
      (c, a, b) => ({ a, b, w32: c.w32, shift: 0, sfn: 0 }));
  });
});

/** The shared divider and the ALU it borrows, connected as the core connects them. */
function sharedDividerWithAlu(): Module {
  const m = new Module('divider_with_alu');
  const ins = { start: m.input('start', 1), a: m.input('a', 64), b: m.input('b', 64), fn: m.input('fn', 4), w32: m.input('w32', 1) };
  const alt = m.wire('alt', 64);
  const add = m.wire('add', 1);
  const alu = m.instance('u_alu', makeAlu(), {
    a: C(64, 0), b: ins.b, alt, use_alt: 1, fn: mux(add, C(4, ALU_FN.ADD), C(4, ALU_FN.SUB)), size: C(2, 0), w32: ins.w32,
  });
  const div = m.instance('u_div', makeSharedDivider(), { ...ins, sum: alu.o.sum, c32: alu.o.c32, c64: alu.o.c64 });
  m.comb(alt, div.o.alt);
  m.comb(add, div.o.alu_add);
  for (const name of ['done', 'hold', 'y'] as const) m.comb(m.output(name, name === 'y' ? 64 : 1), div.o[name]!);
  return m;
}
