// The simulated CPU (TS simulator) against the bpf_conformance suite.

import { describe, expect, it } from 'vitest';
import { formatResultLine, runConformance } from '../../src/conformance/index.ts';
import { CONFORMANCE_NEGATIVE, requireConformanceData } from '../../src/paths.ts';
import { createSimEngine } from '../../src/engines/sim.ts';

describe('sim engine (CPU in the TS simulator)', () => {
  const engine = createSimEngine();

  it('passes every positive conformance test', async () => {
    const summary = await runConformance([requireConformanceData()], { engine });
    expect(summary.results.filter((r) => !r.passed).map(formatResultLine)).toEqual([]);
    expect(summary.passed).toBeGreaterThanOrEqual(313);
  });

  it('passes every negative conformance test', async () => {
    const summary = await runConformance([CONFORMANCE_NEGATIVE], { engine });
    expect(summary.results.filter((r) => !r.passed).map(formatResultLine)).toEqual([]);
    expect(summary.passed).toBeGreaterThan(0);
  });
});
