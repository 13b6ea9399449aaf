// The kernel differential (test/xdp/kernel-cases.ts) on the simulated bpfgate
// CPU: every program and packet of the interpreter's differential runs on the
// CPU system in the TS simulator (helpers answered on its extension port)
// and must match Linux's BPF_PROG_TEST_RUN: verdict, packet out (metadata
// included), and every map and the globals at the end. Each run must come
// from the CPU (it reports cycles, which the interpreter does not).
//
// Needs root for the bpf() syscall: without it these tests FAIL saying so.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelXdp } from '../../src/xdp/kernel/kernel-runner.ts';
import { createSimXdpEngine } from '../../src/xdp/cpu-engine.ts';
import type { XdpEngine } from '../../src/xdp/engine.ts';
import type { XdpRunResult } from '../../src/xdp/result.ts';
import { caseTitle, compareWithKernel, KERNEL_CASES } from './kernel-cases.ts';

let kernel: KernelXdp | undefined;
let engine: XdpEngine | undefined;
const totals = { programs: 0, packets: 0, cycles: 0 };

beforeAll(async () => {
  engine = createSimXdpEngine();
  kernel = await KernelXdp.open();
});
afterAll(() => kernel?.close());

describe('XDP programs on the simulated CPU match the Linux kernel (BPF_PROG_TEST_RUN)', () => {
  for (const c of KERNEL_CASES) {
    it(caseTitle(c), async () => {
      if (!kernel || !engine) throw new Error('the kernel referee or the CPU did not start (see the beforeAll error)');
      const notFromCpu: string[] = [];
      let cycles = 0;
      const onRun = (r: XdpRunResult): void => {
        if (r.kind === 'refused') return; // a frame the kernel refuses too never reaches the CPU
        if (r.cycles === undefined || r.cycles <= 0) notFromCpu.push(`a run reported no cycles (${r.kind})`);
        else cycles += r.cycles;
      };
      const { problems, packets } = await compareWithKernel(kernel, c, { session: { engine }, onRun });
      expect(notFromCpu.slice(0, 3)).toEqual([]);
      expect(problems.slice(0, 8), `${problems.length} mismatch(es) of ${packets} packets`).toEqual([]);
      totals.programs++;
      totals.packets += packets;
      totals.cycles += cycles;
    });
  }

  it('compared at least 25 programs and 5000 packets on the CPU', () => {
    expect(totals.programs).toBe(KERNEL_CASES.length);
    expect(totals.programs).toBeGreaterThanOrEqual(25);
    expect(totals.packets).toBeGreaterThanOrEqual(5000);
    expect(totals.cycles).toBeGreaterThan(totals.packets);
  });
});
