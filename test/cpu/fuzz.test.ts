// Lockstep fuzzing in CI: 10,000 random programs on the simulated CPU and the
// reference interpreter, compared after every retired instruction, plus a
// variant build and every board build (src/toolchain/soc-build.ts).

import { describe, expect, it } from 'vitest';
import { enabledSpecs, makeConfig } from '../../hdl/cpu/config.ts';
import { CpuSim } from '../../src/engines/cpu-sim.ts';
import { configFromFlags, formatFailure, fuzz, type FuzzOptions, type FuzzReport } from '../../src/engines/fuzz.ts';
import { runLockstep } from '../../src/engines/lockstep.ts';
import { ProgramGenerator } from '../../src/engines/random-program.ts';
import { boardCpuBuilds } from './board-builds.ts';
import { PROBES } from '../../src/abi/probes.ts';

const PROGRAMS = 10_000;

/**
 * fuzz() in chunks of 500 programs with a turn of the event loop between
 * them: the same programs (seeds are consecutive), but the test worker
 * answers vitest's RPC in time. One synchronous block over 60 s (10,000
 * programs on a loaded 2-core machine) ends the run with "Timeout calling
 * onTaskUpdate" even though every test passed.
 */
async function fuzzInChunks(opts: FuzzOptions): Promise<FuzzReport> {
  const total: FuzzReport = { programs: 0, insns: 0, cycles: 0, endings: {}, coverage: {}, failures: [] };
  const add = (into: Record<string, number>, from: Record<string, number>): void => {
    for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
  };
  for (let done = 0; done < opts.programs && total.failures.length === 0; done += 500) {
    const r = fuzz({ ...opts, programs: Math.min(500, opts.programs - done), seed: opts.seed + done });
    total.programs += r.programs;
    total.insns += r.insns;
    total.cycles += r.cycles;
    add(total.endings, r.endings);
    add(total.coverage, r.coverage);
    total.failures.push(...r.failures);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return total;
}

describe('lockstep fuzzing (sim CPU vs interpreter)', () => {
  const cpu = new CpuSim();

  it(`runs ${PROGRAMS} random programs without a divergence, retiring every instruction the build has`, async () => {
    const report = await fuzzInChunks({ programs: PROGRAMS, seed: 20240601, cpu, stopOnFirst: true });
    expect(report.failures.map(formatFailure)).toEqual([]);
    expect(report.programs).toBe(PROGRAMS);
    const missing = enabledSpecs(cpu.cfg).filter((s) => !report.coverage[s.id]).map((s) => s.id);
    expect(missing).toEqual([]);
    // Runs must end in many ways, not just one.
    expect(report.endings.exit ?? 0).toBeGreaterThan(PROGRAMS / 3);
    for (const code of ['out-of-bounds', 'illegal-instruction', 'bad-register', 'bad-helper', 'bad-jump', 'call-depth']) {
      expect(report.endings[code] ?? 0, code).toBeGreaterThan(0);
    }
  });

  it('runs 3,000 programs on a variant build (DSP multiplier, packet group, tiny memory map, no helper port)', async () => {
    const variant = new CpuSim(makeConfig(configFromFlags(['--dsp', '--packet', '--small-memory', '--no-helper-port'])));
    const report = await fuzzInChunks({ programs: 3000, seed: 777, cpu: variant });
    expect(report.failures.map(formatFailure)).toEqual([]);
    expect(report.endings.exit ?? 0).toBeGreaterThan(600);
    expect(Object.keys(report.coverage).length).toBeGreaterThan(enabledSpecs(variant.cfg).length * 0.9);
  });

  for (const { name, cfg } of boardCpuBuilds()) {
    it(`runs 1,500 programs on the '${name}' board build`, async () => {
      const build = new CpuSim(cfg);
      const report = await fuzzInChunks({ programs: 1500, seed: 4242, cpu: build });
      expect(report.failures.map(formatFailure)).toEqual([]);
      expect(Object.keys(report.coverage).length).toBeGreaterThan(enabledSpecs(build.cfg).length * 0.9);
    });
  }

  it('generates the same program from the same seed', () => {
    const gen = new ProgramGenerator(cpu.cfg);
    expect(gen.generate(12345)).toEqual(gen.generate(12345));
    expect(gen.generate(12345)).not.toEqual(gen.generate(12346));
  });

  it('reports a divergence: a register corrupted behind the interpreter\'s back', () => {
    const gen = new ProgramGenerator(cpu.cfg);
    const rf = cpu.probe.memory(PROBES.registers);
    let found = false;
    for (let seed = 1; seed < 50 && !found; seed++) {
      const { program, input } = gen.generate(seed);
      let n = 0;
      const r = runLockstep(cpu, program, input, {
        onRetire: () => {
          if (++n === 3) rf.words[0] = rf.words[0]! ^ 0x10; // flip a bit of r0
        },
      });
      if (n >= 3) {
        expect(r.ok).toBe(false);
        expect(r.divergence!.what).toMatch(/registers differ \(r0\)/);
        found = true;
      }
    }
    expect(found).toBe(true);
  });
});
