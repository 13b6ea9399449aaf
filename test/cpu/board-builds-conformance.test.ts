// The board CPU builds (board-builds.ts) against the conformance suite on
// the TS simulator: every program made only of instructions the build has
// must pass, and every other one must stop with an illegal-instruction
// fault, never a wrong answer.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { specEnabled } from '../../hdl/cpu/config.ts';
import { parseDataFile, programFromDataFile } from '../../src/asm/data-file.ts';
import { runConformanceFile } from '../../src/conformance/index.ts';
import { createSimEngine } from '../../src/engines/sim.ts';
import { decodeSpec } from '../../src/isa/lookup.ts';
import { CONFORMANCE_TESTS, requireConformanceData } from '../../src/paths.ts';
import { boardCpuBuilds } from './board-builds.ts';

describe('board CPU builds on the conformance suite', () => {
  for (const { name, cfg } of boardCpuBuilds()) {
    it(`'${name}': passes every program it has the instructions for, faults illegal on the rest`, async () => {
      requireConformanceData();
      const engine = createSimEngine({ config: cfg, maxInsns: Math.min(10_000_000, 2 ** cfg.counterBits - 1) });
      let runnable = 0;
      let leftOut = 0;
      for (const file of readdirSync(CONFORMANCE_TESTS).filter((f) => f.endsWith('.data')).sort()) {
        const path = join(CONFORMANCE_TESTS, file);
        const program = programFromDataFile(parseDataFile(readFileSync(path, 'utf8'), file), file);
        // lddw's second slot decodes as nothing: skip slots that are not instructions.
        const missing = program.insns.map(decodeSpec).some((d) => d.ok && !specEnabled(cfg, d.spec));
        const r = await runConformanceFile(path, engine);
        if (missing) {
          leftOut++;
          expect(r.outcome.kind === 'error' && r.outcome.message, file).toMatch(/illegal instruction/);
        } else {
          runnable++;
          expect(r.passed, `${file}: ${r.reason ?? ''}`).toBe(true);
        }
      }
      expect(runnable).toBeGreaterThan(150);
      if (name === 'hx8k') expect(leftOut).toBe(0);
    });
  }
});
