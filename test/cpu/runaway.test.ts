// Runaway programs on the simulated CPU (issue 15): a run that reaches the
// cycle limit names the pc it was looping at, and a long run reports
// progress instead of running silently.

import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/index.ts';
import { createSimEngine } from '../../src/engines/sim.ts';

describe('runaway programs on the simulated CPU', () => {
  it('the cycle-limit fault names the pc, and progress is reported on the way', async () => {
    const progress: [number, number][] = [];
    const engine = createSimEngine({
      maxInsns: 0, maxCycles: 20_000, progressCycles: 4096, onProgress: (cycles, insns) => progress.push([cycles, insns]),
    });
    const r = await engine.run(assemble('mov %r0, 0\nloop:\nmul %r0, 3\nja loop\nexit\n'), new Uint8Array(0));
    expect(r.kind).toBe('fault');
    expect(r.kind === 'fault' && r.message).toMatch(/^cycle limit of 20000 reached on sim at pc [12]: (mul %r0, 3|ja -2) .*after [1-9]\d* instructions$/);
    expect(r.kind === 'fault' && r.pc).toBeGreaterThanOrEqual(1);
    expect(progress.length).toBe(4);
    expect(progress[0]![0]).toBeGreaterThanOrEqual(4096);
    expect(progress[3]![1]).toBeGreaterThan(progress[0]![1]);
  });
});
