// The internal signals the engines read by name (src/abi/probes.ts) exist
// in every shipped CPU build, with the widths the readers assume.

import { describe, expect, it } from 'vitest';
import { PROBES } from '../../src/abi/probes.ts';
import { CpuSim } from '../../src/engines/cpu-sim.ts';
import { boardCpuBuilds } from './board-builds.ts';

describe('probe names', () => {
  for (const { name, cfg } of boardCpuBuilds()) {
    it(`are all present in the '${name}' build`, () => {
      const cpu = new CpuSim(cfg);
      for (const signal of [PROBES.runState, PROBES.lastRetiredPc, PROBES.callDepth]) expect(cpu.probe.reader32(signal)()).toBe(0);
      for (const signal of [PROBES.cycleCount, PROBES.retireCount]) expect(cpu.probe.readerBig(signal)()).toBe(0n);
      expect(cpu.probe.memory(PROBES.registers).depth).toBeGreaterThanOrEqual(11);
    });
  }

  it('a name the HDL does not have is refused, not read as 0', () => {
    const cpu = new CpuSim(boardCpuBuilds()[0]!.cfg);
    expect(() => cpu.probe.reader32('u_core.no_such_register')).toThrow(/no stored signal named 'u_core.no_such_register'/);
  });
});
