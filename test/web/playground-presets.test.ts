// The playground's engine room (web/src/playground.ts, the code the page
// runs) on every shipped build, in Node: each build's own limits apply (the
// 'minimal' build's 16-bit instruction budget once made every run throw),
// and its results are the conformance engines' own. The browser test
// (playground.test.ts) drives the page itself on 'hx8k' and 'up5k'; this one
// takes the two builds it leaves out with limits of their own (each build
// compiles in about a second, so not every build is here).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSimEngine } from '../../src/engines/sim.ts';
import { CONFORMANCE_TESTS, REPO_ROOT, requireConformanceData } from '../../src/paths.ts';
import { checkExample, insnBudget, loadAssembly, lockstep, PRESET_NAMES, readPackets, runCpu, runInterpOn, runXdp, simConfig, xdpObjectOf } from '../../web/src/playground.ts';

const PROGRAM = 'mov %r0, 0\nmov %r1, 10\nloop:\nadd %r0, %r1\nstxdw [%r10-8], %r0\nldxdw %r0, [%r10-8]\nsub %r1, 1\njne %r1, 0, loop\nexit\n';
const RUNAWAY = 'mov %r0, 0\nloop:\nadd %r0, 1\nja loop\nexit\n';

describe('playground engine room on every shipped build', () => {
  requireConformanceData();
  const packets = readPackets(readFileSync(join(REPO_ROOT, 'examples', 'xdp', 'sample.pcap')), 'sample.pcap');
  const xdp = xdpObjectOf({ program: loadAssembly(readFileSync(join(REPO_ROOT, 'web', 'examples', 'drop_short.s'), 'utf8'), 'drop_short.s').program, file: 'drop_short.s' });

  it('names every build the page offers', () => expect(PRESET_NAMES).toEqual(expect.arrayContaining(['hx8k', 'up5k', 'small', 'minimal'])));

  for (const preset of ['small', 'minimal']) {
    it(preset, async () => {
      const loaded = loadAssembly(PROGRAM);
      const node = createSimEngine({ config: simConfig(preset), maxInsns: insnBudget(preset) });
      const want = await node.run(loaded.program, loaded.input);
      const cpu = runCpu(preset, loaded);
      expect(want).toMatchObject({ kind: 'exit', r0: 55n });
      expect(cpu).toMatchObject({ kind: 'exit', r0: 55n, cycles: want.cycles });
      expect(runInterpOn(preset, loaded)).toMatchObject({ kind: 'exit', r0: 55n });
      expect(lockstep(preset, loaded).ok).toBe(true);

      // A runaway loop ends at the build's budget on both engines.
      if (insnBudget(preset) < 100_000) {
        const runaway = loadAssembly(RUNAWAY);
        const a = runInterpOn(preset, runaway);
        const b = runCpu(preset, runaway);
        expect([a.fault?.code, b.fault?.code]).toEqual(['budget', 'budget']);
        expect(b.insns).toBe(insnBudget(preset));
      }

      for (const name of ['add', 'ldxh', 'prime']) {
        const r = checkExample(preset, name, readFileSync(join(CONFORMANCE_TESTS, `${name}.data`), 'utf8'));
        expect(`${name}: ${r.verdict} ${r.detail}`).toMatch(new RegExp(`^${name}: (pass|not-in-build) `));
      }
      if (preset === 'minimal') {
        const verdicts = await runXdp(preset, xdp, packets);
        expect(verdicts.length).toBe(packets.length);
        expect(verdicts.filter((v) => !v.agree)).toEqual([]);
      }
    }, 60_000);
  }
});
