// A sample of the referee's random designs through yosys synth_ice40 (the
// hand-written designs are all synthesized in test/dsl/verilog.test.ts).
// Synthesis costs ~1 s per design, so CI takes a sample; a longer run:
//   REFEREE_SYNTH=500 npx vitest run test/sim/referee-synth.test.ts

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileDesign } from '../../src/dsl/passes/index.ts';
import { randomDut } from '../../sim/referee/referee.ts';
import { writeModuleFiles, yosysSynth } from '../../sim/tools.ts';

const COUNT = Number(process.env.REFEREE_SYNTH || 24);
// A count of 0 (or a typo) would make this test check nothing.
if (!Number.isInteger(COUNT) || COUNT < 1) throw new Error(`REFEREE_SYNTH must be a positive whole number (got '${process.env.REFEREE_SYNTH}')`);
const SEED = Number(process.env.REFEREE_SEED ?? 20242);
// Designs that crash yosys itself (not a wrong result of ours): seed 20242
// design 16 multiplies a sign-extended 90-bit operand and trips
// "Assert `nusers(O.extract_end(i)) <= 1' failed in passes/pmgen/ice40_dsp_pm.h"
// under synth_ice40 -dsp. Left out of the sample by name, so it stays visible.
const YOSYS_CRASHES = new Set(['20242:16']);

describe('random designs synthesize with yosys', () => {
  it(`${COUNT} random designs pass synth_ice40`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rsynth-'));
    const files = new Set<string>();
    const tops: string[] = [];
    for (let i = 0; tops.length < COUNT; i++) {
      if (YOSYS_CRASHES.has(`${SEED}:${i}`)) continue;
      const dut = randomDut(SEED, i, { nodes: 16 });
      const d = compileDesign(dut.build(), { flatten: dut.flatten });
      for (const f of writeModuleFiles(dir, d)) files.add(f);
      tops.push(d.top.name);
    }
    const r = await yosysSynth([...files], tops, { dsp: true });
    expect(r.output.split('\n').filter((l) => /ERROR/.test(l))).toEqual([]);
    expect(r.ok).toBe(true);
    expect(Object.keys(r.cells).length).toBe(COUNT);
  });
});
