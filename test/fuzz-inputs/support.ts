// One input-fuzz target in vitest: CASES seeded cases (10,000 in `make
// test`; FUZZ_INPUTS_CASES overrides), every crash printed with its shrunk
// reproducer and replay command, and the test fails on any.

import { expect, it } from 'vitest';
import { formatFailure, runTarget, type AnyTarget } from '../../src/fuzz-inputs/engine.ts';

export const CASES = Number(process.env.FUZZ_INPUTS_CASES ?? 10_000);
/** Fixed, so `make test` is reproducible; the by-hand runs take other seeds. */
export const SEED = Number(process.env.FUZZ_INPUTS_SEED ?? 1);

export function fuzzTest(target: AnyTarget): void {
  it(`${target.name}: ${CASES} cases without a crash (${target.describe})`, async () => {
    const summary = await runTarget(target, { cases: CASES, seed: SEED, shrinkRuns: 1500 });
    const report = summary.failures.map((f) => formatFailure(f, target)).join('\n');
    expect(report, report).toBe('');
    expect(summary.cases).toBe(CASES);
    // A target whose every case is refused (or none is) tests one path only.
    expect(summary.rejected).toBeGreaterThan(0);
    expect(summary.rejected).toBeLessThan(summary.cases);
  });
}
