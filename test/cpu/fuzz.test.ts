// Lockstep fuzzing in CI: 10,000 random programs on the simulated CPU and the
// reference interpreter, compared after every retired instruction, plus a
// variant build and every board build (src/toolchain/soc-build.ts).

import { describe, expect, it } from 'vitest';
import { enabledSpecs, makeConfig } from '../../hdl/cpu/config.ts';
import { CpuSim } from '../../src/engines/cpu-sim.ts';
import { configFromFlags, formatFailure, fuzz } from '../../src/engines/fuzz.ts';
import { runLockstep } from '../../src/engines/lockstep.ts';
import { ProgramGenerator } from '../../src/engines/random-program.ts';
import { boardCpuBuilds } from './board-builds.ts';

const PROGRAMS = 10_000;

describe('lockstep fuzzing (sim CPU vs interpreter)', () => {
  const cpu = new CpuSim();

  it(`runs ${PROGRAMS} random programs without a divergence, retiring every instruction the build has`, () => {
    const report = fuzz({ programs: PROGRAMS, seed: 20240601, cpu, stopOnFirst: true });
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

  it('runs 3,000 programs on a variant build (DSP multiplier, packet group, tiny memory map, no helper port)', () => {
    const variant = new CpuSim(makeConfig(configFromFlags(['--dsp', '--packet', '--small-memory', '--no-helper-port'])));
    const report = fuzz({ programs: 3000, seed: 777, cpu: variant });
    expect(report.failures.map(formatFailure)).toEqual([]);
    expect(report.endings.exit ?? 0).toBeGreaterThan(600);
    expect(Object.keys(report.coverage).length).toBeGreaterThan(enabledSpecs(variant.cfg).length * 0.9);
  });

  for (const { name, cfg } of boardCpuBuilds()) {
    it(`runs 1,500 programs on the '${name}' board build`, () => {
      const build = new CpuSim(cfg);
      const report = fuzz({ programs: 1500, seed: 4242, cpu: build });
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
    const rf = cpu.probe.memory('u_core.u_regs.regs');
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
