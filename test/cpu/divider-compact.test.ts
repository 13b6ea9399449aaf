// The 'compact' divider (hdl/cpu/divider-compact.ts) runs its magnitudes and
// signs through the core's ALU and register file, so it is checked inside
// the CPU rather than alone: every div/mod entry on edge operands (register
// and immediate forms, dst == src too) against the interpreter, and the
// cycles a division costs over the mov it replaces.

import { describe, expect, it } from 'vitest';
import { controlFor, DIV_FN, UNIT } from '../../hdl/cpu/control.ts';
import { enabledSpecs } from '../../hdl/cpu/config.ts';
import { presetConfig } from '../../hdl/cpu/presets.ts';
import type { EngineResult } from '../../src/conformance/engine.ts';
import { createSimEngine } from '../../src/engines/sim.ts';
import { runProgram } from '../../src/interp/index.ts';
import type { Insn } from '../../src/isa/encoding.ts';
import type { InsnSpec } from '../../src/isa/table.ts';
import { specById } from '../../src/isa/lookup.ts';
import { EXIT, insnOf, lddw } from '../hdl/reference.ts';

const cfg = presetConfig('hx8k', { dataRam: 'bram' });
const EDGES = [
  0n, 1n, 7n, 0x7fn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x123456789abcdef0n,
  0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffffffffffn, 0xffffffff80000000n, 0xfffffffffffffff9n,
];
const IMMS = [0, 1, -1, 7, -7, 0x7fffffff, -0x80000000];

/**
 * The cycles one division takes: start, load, one per quotient bit (8, 16,
 * 32 or 64: the smallest that holds |dividend|), finish, and a sign fix
 * when a signed result is negative.
 */
function expectedCycles(spec: InsnSpec, a: bigint, b: bigint): number {
  const c = controlFor(spec);
  const signed = (c.fn & DIV_FN.SIGNED) !== 0;
  const bits = c.w32 ? 32 : 64;
  const [x, y] = [BigInt.asUintN(bits, a), BigInt.asUintN(bits, b)];
  const neg = (v: bigint): boolean => signed && v >> BigInt(bits - 1) === 1n;
  const mag = (v: bigint): bigint => (neg(v) ? (1n << BigInt(bits)) - v : v);
  const steps = [8, 16, 32, 64].find((n) => mag(x) >> BigInt(n) === 0n)!;
  // The remainder takes the dividend's sign, the quotient the product of
  // both signs (the fix runs even when the magnitude is 0).
  const flips = (c.fn & DIV_FN.MOD) !== 0 ? neg(x) : neg(x) !== neg(y);
  return 3 + steps + (flips ? 1 : 0);
}

describe("the 'compact' divider in the CPU (hx8k build)", () => {
  const engine = createSimEngine({ config: cfg });
  const divs = enabledSpecs(cfg).filter((s) => controlFor(s).unit === UNIT.DIV);
  const mov = specById('mov64_reg');

  it('is the divider of the hx8k build, and the build has every div/mod entry', () => {
    expect(cfg.divider).toBe('compact');
    expect(divs.map((s) => s.mnemonic).sort()).toEqual(expect.arrayContaining(['div', 'div32', 'mod', 'mod32', 'sdiv', 'sdiv32', 'smod', 'smod32']));
  });

  it('matches the interpreter on every div/mod entry and edge operand, in the cycles its design gives', () => {
    let runs = 0;
    for (const spec of divs) {
      const isImm = spec.sem.kind === 'alu' && spec.sem.operand === 'imm';
      const divisors = isImm ? IMMS.map((i) => BigInt.asUintN(64, BigInt(i))) : EDGES;
      for (const a of EDGES) {
        for (const b of divisors) {
          // r1 = a, r2 = b; the division in r1 (r2 / r2 for dst == src), then r0 = r1.
          for (const same of isImm ? [false] : [false, true]) {
            const op = isImm ? insnOf(spec, { dst: 1, imm: Number(BigInt.asIntN(32, b)) }) : insnOf(spec, { dst: same ? 2 : 1, src: 2 });
            const head: Insn[] = [...lddw(1, a), ...lddw(2, b)];
            const tail: Insn[] = [insnOf(mov, { dst: 0, src: same ? 2 : 1 }), EXIT];
            const program = { insns: [...head, op, ...tail], entry: 0 };
            const baseline = { insns: [...head, insnOf(mov, { dst: 3, src: 3 }), ...tail], entry: 0 };
            const label = `${spec.id} a=0x${a.toString(16)} b=0x${b.toString(16)}${same ? ' (dst == src)' : ''}`;
            const want = runProgram(program, { input: new Uint8Array(0) });
            const got = engine.run(program, new Uint8Array(0)) as EngineResult;
            expect(got.kind, label).toBe('exit');
            expect(got.kind === 'exit' ? got.r0 : got.code, label).toBe(want.kind === 'exit' ? want.r0 : 'interpreter fault');
            const base = engine.run(baseline, new Uint8Array(0)) as EngineResult;
            const extra = (got.cycles ?? 0) - (base.cycles ?? 0);
            expect(extra + 1, `${label}: cycles`).toBe(expectedCycles(spec, same ? b : a, b));
            runs++;
          }
        }
      }
    }
    expect(runs).toBeGreaterThan(1000);
  });
});
