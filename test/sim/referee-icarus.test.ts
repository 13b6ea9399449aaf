// The referee against Icarus Verilog: 2,000 random designs x 1,000 cycles in
// one testbench, every output compared every cycle with the TS simulator.
// A failure prints the first mismatch shrunk to a small design. Longer runs:
//   npx tsx sim/referee/cli.ts --sim icarus --designs 20000 --seed N

import { describe, expect, it } from 'vitest';
import { runReferee, shrinkFailure } from '../../sim/referee/referee.ts';

const SEED = Number(process.env.REFEREE_SEED ?? 20240);

describe('referee vs Icarus Verilog', () => {
  it('2000 random designs x 1000 cycles, 0 mismatches', async () => {
    const gen = { nodes: 12 };
    const results = await runReferee({ seed: SEED, designs: 2000, cycles: 1000, sim: 'icarus', gen, log: (s) => console.log(s) });
    const failed = results.find((r) => r.mismatches.length > 0);
    const report = failed ? (await shrinkFailure(failed, SEED, gen, undefined, 150)).text : '';
    expect(report).toBe('');
    expect(results.reduce((s, r) => s + r.designs, 0)).toBe(2000);
  });
});
