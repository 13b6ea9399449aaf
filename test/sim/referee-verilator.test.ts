// The referee against Verilator: 500 random designs x 1,000 cycles in one
// verilated model built with -Wall (so every design is also lint clean).
//   npx tsx sim/referee/cli.ts --sim verilator --designs 5000 --batch 500 --seed N

import { describe, expect, it } from 'vitest';
import { runReferee, shrinkFailure } from '../../sim/referee/referee.ts';

const SEED = Number(process.env.REFEREE_SEED ?? 20241);

describe('referee vs Verilator', () => {
  it('500 random designs x 1000 cycles, 0 mismatches, lint clean', async () => {
    const gen = { nodes: 14 };
    const results = await runReferee({ seed: SEED, designs: 500, cycles: 1000, sim: 'verilator', gen, log: (s) => console.log(s) });
    const failed = results.find((r) => r.mismatches.length > 0);
    const report = failed ? (await shrinkFailure(failed, SEED, gen, undefined, 60)).text : '';
    expect(report).toBe('');
    expect(results.reduce((s, r) => s + r.designs, 0)).toBe(500);
  });
});
