// The whole bpf_conformance suite on the reference interpreter: every file of
// tests/ must pass (v4 files included, nothing skipped) and every file of
// negative/ must be rejected.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDataFile, programFromDataFile } from '../../src/asm/data-file.ts';
import { formatReport, interpreterEngine, runConformance } from '../../src/conformance/index.ts';
import { Interpreter, type TraceStep } from '../../src/interp/index.ts';
import { CONFORMANCE_NEGATIVE, CONFORMANCE_TESTS } from '../../src/paths.ts';

const TESTS = CONFORMANCE_TESTS;
const NEGATIVE = CONFORMANCE_NEGATIVE;

function dataFiles(dir: string): string[] {
  if (!existsSync(dir)) throw new Error(`conformance data missing: ${dir} (bpfgate expects shared/conformance beside the checkout, or BPFGATE_SHARED)`);
  return readdirSync(dir).filter((f) => f.endsWith('.data')).sort().map((f) => join(dir, f));
}

describe('conformance suite on the interpreter', () => {
  it('passes all 313 files of tests/', async () => {
    const summary = await runConformance([TESTS], { engine: interpreterEngine });
    const failures = summary.results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.reason}`);
    expect(failures).toEqual([]);
    expect(summary.results).toHaveLength(313);
    expect(summary.passed).toBe(313);
    expect(formatReport(summary).trimEnd().split('\n').at(-1)).toBe('313 passed, 0 failed');
  });

  it('rejects all 60 files of negative/', async () => {
    const summary = await runConformance([NEGATIVE], { engine: interpreterEngine });
    const failures = summary.results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.reason}`);
    expect(failures).toEqual([]);
    expect(summary.results).toHaveLength(60);
    expect(summary.results.every((r) => r.negative)).toBe(true);
    // The one valid negative program is judged by its (deliberately wrong) result.
    const ran = summary.results.filter((r) => r.outcome.kind === 'exit').map((r) => r.name);
    expect(ran).toEqual(['negative/incorrect_return_value_high_bits.data']);
  });

  it('the interpreter alone rejects every invalid raw slot of negative/ (strict decode)', () => {
    const raws = dataFiles(NEGATIVE).filter((f) => /^-- raw$/m.test(readFileSync(f, 'utf8')));
    expect(raws.length).toBeGreaterThan(40);
    for (const file of raws) {
      const program = programFromDataFile(parseDataFile(readFileSync(file, 'utf8'), file), file);
      const result = new Interpreter(program).run();
      expect(result.kind === 'fault' ? result.code : `exit ${result.kind}`, file).toBe('illegal-instruction');
      expect(result.kind === 'fault' && result.pc, file).toBe(0);
    }
  });

  it('tracing every test program gives the same result and one step per retired instruction', () => {
    for (const file of dataFiles(TESTS)) {
      const data = parseDataFile(readFileSync(file, 'utf8'), file);
      const interp = new Interpreter(programFromDataFile(data, file));
      const input = data.mem ?? new Uint8Array(0);
      const plain = interp.run({ input });
      const steps: TraceStep[] = [];
      const traced = interp.run({ input, trace: (s) => steps.push(s) });
      expect(traced, file).toEqual(plain);
      expect(steps.length, file).toBe(plain.insns);
      if (plain.kind === 'exit') expect(steps.at(-1)!.regs[0], file).toBe(plain.r0);
    }
  });
});
