// `lateBranch` (hdl/cpu/core.ts): a conditional jump retires as D predicted
// (backward taken, forward not taken) and a wrong guess is fixed the next
// cycle by squashing the instruction that followed the jump into E. Checked
// against the same core without it: the same results and faults, and
// exactly one cycle more per mispredicted jump, whatever the wrong-path
// instruction would have done (written a register, stored, faulted, halted,
// started a multi-cycle unit).

import { describe, expect, it } from 'vitest';
import { makeConfig } from '../../hdl/cpu/config.ts';
import { assemble } from '../../src/asm/index.ts';
import type { EngineResult } from '../../src/conformance/engine.ts';
import { createSimEngine } from '../../src/engines/sim.ts';
import { runProgram } from '../../src/interp/index.ts';

const base = { multiplier: 'iterative', divider: 'compact', atomics: true } as const;
const early = createSimEngine({ config: makeConfig({ ...base, lateBranch: false }) });
const late = createSimEngine({ config: makeConfig({ ...base, lateBranch: true }) });

interface Case {
  name: string;
  source: string;
  /** Conditional jumps that go against the static prediction while it runs. */
  mispredicts: number;
}

const CASES: Case[] = [
  { name: 'forward taken (predicted not taken)', source: 'mov r0, 1\njeq r0, 1, +1\nmov r0, 7\nexit', mispredicts: 1 },
  { name: 'forward not taken (predicted)', source: 'mov r0, 1\njeq r0, 2, +1\nmov r0, 7\nexit', mispredicts: 0 },
  // A loop of 5: the backward jump is taken 4 times (predicted) and falls
  // through once (mispredicted).
  { name: 'loop: backward taken, then falls out', source: 'mov r0, 0\nmov r1, 5\nadd r0, r1\nsub r1, 1\njne r1, 0, -3\nexit', mispredicts: 1 },
  { name: 'wrong path would store out of range', source: 'mov r0, 3\njgt r0, 2, +2\nmov r2, 0\nstxdw [r2+0], r0\nexit', mispredicts: 1 },
  { name: 'wrong path would halt', source: 'mov r0, 3\njset r0, 1, +1\nexit\nmov r0, 9\nexit', mispredicts: 1 },
  { name: 'wrong path would divide', source: 'mov r0, 100\nmov r1, 7\njslt r1, 8, +1\ndiv r0, r1\nexit', mispredicts: 1 },
  { name: 'wrong path is an lddw', source: 'mov r0, 1\njne r0, 0, +2\nlddw r0, 0x123456789\nexit', mispredicts: 1 },
  { name: 'wrong path would call', source: 'mov r0, 2\njeq r0, 2, +1\ncall 1\nexit', mispredicts: 1 },
  { name: 'jump32, then an atomic on the wrong path', source: 'mov r0, 4\nmov r2, r10\nstxdw [r10-8], r0\njle32 r0, 4, +1\nlock add [r2-8], r0\nldxdw r0, [r10-8]\nexit', mispredicts: 1 },
  { name: 'mispredicted jump to a bad target faults at the jump', source: 'mov r0, 1\njeq r0, 1, +5\nexit', mispredicts: 0 },
  { name: 'mispredicted backward fall-through off the end', source: 'mov r0, 1\njne r0, 1, -2', mispredicts: 0 },
];

describe('lateBranch: a mispredicted conditional jump fixed a cycle later', () => {
  it.each(CASES)('$name', ({ source, mispredicts }) => {
    const program = assemble(source, { file: 'late.s' });
    const want = runProgram(program, { input: new Uint8Array(0) });
    const a = early.run(program, new Uint8Array(0)) as EngineResult;
    const b = late.run(program, new Uint8Array(0)) as EngineResult;
    const outcome = (r: EngineResult): unknown => (r.kind === 'exit' ? { r0: r.r0 } : { code: r.code, pc: r.pc });
    expect(outcome(b)).toEqual(outcome(a));
    expect(want.kind).toBe(a.kind === 'exit' ? 'exit' : 'fault');
    if (a.kind === 'exit' && want.kind === 'exit') expect(a.r0).toBe(want.r0);
    expect(b.kind === a.kind && b.insns).toBe(a.insns);
    // A fault ends the run where it happens: a mispredicted jump that
    // faults is not fixed, and costs nothing more.
    expect((b.cycles ?? 0) - (a.cycles ?? 0)).toBe(a.kind === 'exit' ? mispredicts : 0);
  });

  it('the presets it measured faster on use it (README: up5k-div, hx8k)', async () => {
    const { presetConfig } = await import('../../hdl/cpu/presets.ts');
    for (const name of ['up5k-div', 'hx8k']) expect(presetConfig(name).lateBranch, name).toBe(true);
  });
});
