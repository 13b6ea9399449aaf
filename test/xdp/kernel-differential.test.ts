// The Linux kernel as the referee for bpfgate's XDP mode on the reference
// interpreter: every program of KERNEL_CASES (test/xdp/kernel-cases.ts) is
// compiled by clang, loaded into the kernel and into a bpfgate session, and
// both run the same packets (BPF_PROG_TEST_RUN vs the interpreter). The
// verdict, the packet out (metadata included) and, at the end, every map and
// the global variables must be identical.
//
// Needs root for the bpf() syscall: without it these tests FAIL saying so.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelXdp } from '../../src/xdp/kernel/kernel-runner.ts';
import { caseTitle, compareWithKernel, KERNEL_CASES } from './kernel-cases.ts';

let kernel: KernelXdp | undefined;
const totals = { programs: 0, packets: 0 };

beforeAll(async () => {
  kernel = await KernelXdp.open();
});
afterAll(() => kernel?.close());

describe('XDP programs on bpfgate match the Linux kernel (BPF_PROG_TEST_RUN)', () => {
  for (const c of KERNEL_CASES) {
    it(caseTitle(c), async () => {
      if (!kernel) throw new Error('the kernel referee did not start (see the beforeAll error)');
      const { problems, packets } = await compareWithKernel(kernel, c);
      expect(problems.slice(0, 8), `${problems.length} mismatch(es) of ${packets} packets`).toEqual([]);
      totals.programs++;
      totals.packets += packets;
    });
  }

  it('compared at least 25 programs and 5000 packets', () => {
    expect(totals.programs).toBe(KERNEL_CASES.length);
    expect(totals.programs).toBeGreaterThanOrEqual(25);
    expect(totals.packets).toBeGreaterThanOrEqual(5000);
  });
});
