// The CPU's emitted Verilog under Verilator: the conformance suite, cycle
// counts identical to the TS simulator's, and a -Wall clean lint.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileDesign } from '../../src/dsl/index.ts';
import { primLibrary, verilatorLint, writeModuleFiles } from '../../sim/tools.ts';
import { makeConfig } from '../../hdl/cpu/config.ts';
import { presetConfig } from '../../hdl/cpu/presets.ts';
import { makeSystem } from '../../hdl/cpu/system.ts';
import { createVerilatorEngine } from '../../src/engines/verilator.ts';
import { checkRunsAreIndependent, conformanceWithCycleCheck } from './hdl-engine-helpers.ts';

describe('verilator engine', () => {
  it('passes the conformance suite with the same cycle counts as the TS simulator', async () => {
    await conformanceWithCycleCheck(createVerilatorEngine());
  });

  // The HX8K board build: its compact divider (divider-compact.ts) is in no other build Verilator runs.
  it("passes the conformance suite on the 'hx8k' board build, cycle for cycle with the TS simulator", async () => {
    const config = presetConfig('hx8k', { dataRam: 'bram' });
    await conformanceWithCycleCheck(createVerilatorEngine({ config }), config);
  });

  it('clears the stack between the runs of a batch', () => {
    checkRunsAreIndependent(createVerilatorEngine());
  });

  for (const [name, cfg] of [
    ['default build', makeConfig()],
    ['minimal build', makeConfig({ multiplier: 'none', divider: 'none', atomics: false, v4: false, callx: false, helperPort: false })],
    ['packet build', makeConfig({ packet: true })],
    ['DSP multiplier build', makeConfig({ multiplier: 'dsp' })],
    ["'hx8k' board build (compact divider)", presetConfig('hx8k', { dataRam: 'bram' })],
  ] as const) {
    it(`lints clean with verilator -Wall (${name})`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'bpfgate-lint-'));
      const files = writeModuleFiles(dir, compileDesign(makeSystem(cfg)));
      if (cfg.multiplier === 'dsp') {
        // The vendor model of SB_MAC16 is not our output: lint only the CPU.
        writeFileSync(join(dir, 'cells_sim.v'), primLibrary(['SB_MAC16']));
        writeFileSync(join(dir, 'lint.vlt'), '`verilator_config\nlint_off -file "*/cells_sim.v"\n');
        files.unshift(join(dir, 'lint.vlt'));
        files.push(join(dir, 'cells_sim.v'));
      }
      const lint = verilatorLint(files, 'bpfgate_cpu');
      rmSync(dir, { recursive: true, force: true });
      expect(lint.output).toBe('');
      expect(lint.ok).toBe(true);
    });
  }
});
