// Frame isolation in hardware (CpuConfig.frameIsolation, the LSU's check):
// the programs of test/interp/frames.test.ts on the simulated CPU, which
// must end as the interpreter ends them (same r0, or the same fault at the
// same pc), with isolation on, and like the one-region interpreter with it off.

import { describe, expect, it } from 'vitest';
import { makeConfig } from '../../hdl/cpu/config.ts';
import { assemble } from '../../src/asm/assembler.ts';
import { createSimEngine } from '../../src/engines/sim.ts';
import { runProgram } from '../../src/interp/index.ts';
import { DEFAULT_MEMORY_MAP as MAP } from '../../src/isa/memory-map.ts';
import { BELOW_THE_FRAME, CALLEE_WRITES_CALLER, POINTER_INTO_CALLER, RETURNED_CALLEE_FRAME } from '../interp/frame-programs.ts';

const PROGRAMS: Record<string, string> = {
  "callee's [r10+504] store into the caller's frame": CALLEE_WRITES_CALLER,
  'the whole frame through r10': `stdw [%r10-${MAP.frameSize}], 5\nldxdw %r0, [%r10-${MAP.frameSize}]\nstb [%r10-1], 7\nldxb %r1, [%r10-1]\nadd %r0, %r1\nexit`,
  'one byte below the frame through r10': `ldxb %r0, [%r10-${MAP.frameSize + 1}]\nexit`,
  'a word running past r10': 'ldxw %r0, [%r10-2]\nexit',
  'an atomic at r10+0': 'mov %r0, 0\nlock add [%r10+0], %r0\nexit',
  "a pointer into the caller's frame": POINTER_INTO_CALLER,
  "a returned callee's frame through a copy of r10": RETURNED_CALLEE_FRAME,
  'the unused stack below the frame': BELOW_THE_FRAME,
};

const summary = (r: { kind: string; r0?: bigint; code?: string; pc?: number }): string =>
  r.kind === 'exit' ? `exit r0=${r.r0}` : `fault ${r.code} at pc ${r.pc}`;

describe.each([true, false])('the CPU with frameIsolation %s', (isolate) => {
  const engine = createSimEngine({ config: makeConfig({ frameIsolation: isolate }) });
  for (const [what, src] of Object.entries(PROGRAMS)) {
    it(`ends ${what} as the interpreter does`, async () => {
      const program = assemble(src, { file: 'frames.s' });
      const want = runProgram(program, { isolateFrames: isolate });
      const got = await engine.run(program, new Uint8Array(0));
      expect(summary(got)).toBe(summary(want));
    });
  }

  it(isolate ? 'faults where the one-region model does not' : 'lets a callee write its caller\'s slot', async () => {
    const r = await engine.run(assemble(CALLEE_WRITES_CALLER, { file: 'f.s' }), new Uint8Array(0));
    if (isolate) expect(r).toMatchObject({ kind: 'fault', code: 'out-of-bounds' });
    else expect(r).toMatchObject({ kind: 'exit', r0: 222n });
  });
});
