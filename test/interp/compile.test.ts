// The compiled path (src/interp/compile.ts) against the interpreter: every
// conformance program (tests/ and negative/) and thousands of random programs
// (src/engines/random-program.ts: faults, calls, loops, bad slots included),
// with frame isolation on and off and with budgets that stop runs mid-block.
// Results must be identical: kind, r0, registers, memory, instruction count,
// and for faults the code, pc, address and message.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDataFile, programFromDataFile } from '../../src/asm/data-file.ts';
import { makeConfig } from '../../hdl/cpu/config.ts';
import { ProgramGenerator } from '../../src/engines/random-program.ts';
import { compiledRun, runCompiled, Stop } from '../../src/interp/compile.ts';
import { Interpreter, type RunResult } from '../../src/interp/index.ts';
import type { LoadOptions } from '../../src/interp/types.ts';
import type { Program } from '../../src/program.ts';
import { CONFORMANCE_NEGATIVE, CONFORMANCE_TESTS } from '../../src/paths.ts';

function dataFiles(dir: string): string[] {
  if (!existsSync(dir)) throw new Error(`conformance data missing: ${dir}`);
  return readdirSync(dir).filter((f) => f.endsWith('.data')).sort().map((f) => join(dir, f));
}

/** Everything a result says, in a form toEqual compares exactly. */
function summary(r: RunResult): unknown {
  return r.kind === 'exit'
    ? { kind: r.kind, r0: r.r0, insns: r.insns, regs: r.regs, memory: [...r.memory] }
    : { kind: r.kind, code: r.code, pc: r.pc, insn: r.insn, message: r.message, address: r.address, insns: r.insns, regs: r.regs, memory: [...r.memory] };
}

function compare(program: Program, input: Uint8Array, load: LoadOptions, maxInsns: number, what: string): RunResult {
  const interp = new Interpreter(program, load);
  const expected = interp.run({ input, maxInsns });
  const got = runCompiled(interp, { input, maxInsns });
  expect(summary(got), what).toEqual(summary(expected));
  return expected;
}

describe('compiled path vs interpreter', () => {
  it('gives identical results on every conformance program, and at budgets that stop them early', () => {
    let compared = 0;
    for (const file of [...dataFiles(CONFORMANCE_TESTS), ...dataFiles(CONFORMANCE_NEGATIVE)]) {
      let data: ReturnType<typeof parseDataFile>;
      let program: Program;
      try {
        data = parseDataFile(readFileSync(file, 'utf8'), file);
        program = programFromDataFile(data, file);
      } catch {
        continue; // a negative file the assembler refuses: nothing to run
      }
      const input = data.mem ?? new Uint8Array(0);
      const full = compare(program, input, {}, 10_000_000, file);
      // Budgets inside the run: the budget fault must name the same pc and count.
      for (const budget of [0, 1, 3, Math.floor(full.insns / 2), full.insns - 1]) {
        if (budget >= 0 && budget < full.insns) compare(program, input, {}, budget, `${file} budget ${budget}`);
      }
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(350); // 313 of tests/ and the negative files that assemble
  });

  for (const isolateFrames of [true, false]) {
    it(`gives identical results on 3,000 random programs (isolateFrames ${isolateFrames})`, () => {
      const gen = new ProgramGenerator(makeConfig({ frameIsolation: isolateFrames }));
      const endings: Record<string, number> = {};
      for (let seed = 1; seed <= 3000; seed++) {
        const { program, input } = gen.generate(seed * 7919 + (isolateFrames ? 1 : 0));
        const r = compare(program, input, { memoryMap: gen.cfg.memoryMap, isolateFrames }, 5000, `seed ${seed}`);
        const key = r.kind === 'exit' ? 'exit' : r.code;
        endings[key] = (endings[key] ?? 0) + 1;
        if (seed % 10 === 0 && r.insns > 2) compare(program, input, { memoryMap: gen.cfg.memoryMap, isolateFrames }, r.insns >> 1, `seed ${seed} half budget`);
      }
      // The corpus must exercise the fault paths, not only clean exits.
      expect(endings.exit ?? 0).toBeGreaterThan(1000);
      expect(endings['out-of-bounds'] ?? 0).toBeGreaterThan(50);
      expect(Object.keys(endings).length).toBeGreaterThan(3);
    });
  }

  it('stops before an access the hook refuses, with pc and count at that access; r10 accesses skip the hook', () => {
    const program = programFromDataFile(parseDataFile([
      '-- asm', 'mov %r0, 1', 'stxdw [%r1+0], %r0', 'ldxdw %r0, [%r1+0]', 'stxdw [%r10-8], %r0', 'ldxdw %r0, [%r10-8]', 'exit', '-- result', '0x1',
    ].join('\n'), 'hook.data'), 'hook.data');
    const interp = new Interpreter(program);
    const seen: string[] = [];
    const run = (mode: 'writes' | 'all', refuse: number): [Stop, number, number] => {
      const m = interp.newMachine();
      m.restart(new Uint8Array(8));
      const stop = compiledRun(interp.loaded, mode)!(m, 100, (pc, _lo, _hi, off, bytes, write) => {
        seen.push(`${mode} ${pc} ${off} ${bytes} ${write}`);
        return pc !== refuse;
      });
      return [stop, m.pc, m.retired];
    };
    expect(run('writes', -1)).toEqual([Stop.ENDED, 5, 6]);
    expect(run('all', -1)).toEqual([Stop.ENDED, 5, 6]);
    expect(run('all', 2)).toEqual([Stop.HOOK, 2, 2]);
    // The frame accesses (pc 3 and 4) never reach the hook: with isolated frames they stay in the stack.
    expect(seen).toEqual(['writes 1 0 8 true', 'all 1 0 8 true', 'all 2 0 8 false', 'all 1 0 8 true', 'all 2 0 8 false']);
  });
});
