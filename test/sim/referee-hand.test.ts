// Hand-written designs (counter, FIFO, UART, ALU, docs example, SB_MAC16)
// against Icarus and Verilator with random stimulus, 0 mismatches, and the
// Verilator build runs -Wall (any lint warning fails it).

import { describe, expect, it } from 'vitest';
import { HAND_DESIGNS } from '../../sim/referee/hand/index.ts';
import { namedSpecs, runBatch } from '../../sim/referee/referee.ts';

describe('referee on hand-written designs', () => {
  for (const sim of ['icarus', 'verilator'] as const) {
    it(`agrees with ${sim} for 3000 cycles`, async () => {
      const res = await runBatch(namedSpecs(HAND_DESIGNS), { seed: 11, cycles: 3000, sim });
      expect(res.mismatches, JSON.stringify(res.mismatches, null, 1)).toEqual([]);
    });
  }
});
