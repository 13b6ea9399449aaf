// The kernel differential (test/xdp/kernel-cases.ts) on the CPU's emitted
// Verilog under Verilator: the corpus's programs that call no helpers (the
// Verilator bench cannot answer helper calls), every packet of theirs, must
// match Linux's BPF_PROG_TEST_RUN: verdict and packet out (metadata included).
//
// Batching: a session runs its packets one after the other, each waiting for
// the last, which would cost a simulator process per packet. Here every
// packet gets its own session and all of them run at once, so the engine
// puts them through as few Verilator processes as it can. That is only the
// same as one session over all packets if no run changes state a later run
// could see: without helpers a program cannot reach its maps, and the test
// checks that no run changed the globals (on bpfgate and in the kernel).
//
// Needs root for the bpf() syscall and verilator: without them these tests
// FAIL saying so.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelXdp } from '../../src/xdp/kernel/kernel-runner.ts';
import { loadIntoKernel } from '../../src/xdp/kernel/kernel-program-loader.ts';
import type { KernelRunResult } from '../../src/xdp/kernel/kernel-runner.ts';
import { loadXdpObject, type XdpObject } from '../../src/xdp/object.ts';
import { XdpSession } from '../../src/xdp/session.ts';
import { createVerilatorXdpEngine, type VerilatorXdpEngine } from '../../src/xdp/verilator-engine.ts';
import { compileC, compileFixture } from './compile.ts';
import { caseTitle, KERNEL_CASES, type KernelCase } from './kernel-cases.ts';
import { concat, type Bytes } from '../../src/xdp/packet-builder.ts';

interface Selected {
  readonly c: KernelCase;
  readonly obj: XdpObject;
  readonly packets: Bytes[];
  readonly kernel: KernelRunResult[];
}

let kernel: KernelXdp | undefined;
let engine: VerilatorXdpEngine | undefined;
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

beforeAll(async () => {
  engine = createVerilatorXdpEngine();
  engine.hdl.build(); // ~11 s the first time, then cached
  kernel = await KernelXdp.open();
});
afterAll(() => kernel?.close());

describe('helper-free XDP programs on the CPU under Verilator match the Linux kernel (BPF_PROG_TEST_RUN)', () => {
  it('every packet of the corpus programs that call no helpers, in batched Verilator runs', async () => {
    if (!kernel || !engine) throw new Error('the kernel referee or Verilator did not start (see the beforeAll error)');
    const k = kernel;
    const eng = engine;

    // The subset, with the kernel's answers (one program in the kernel at a time).
    const selected: Selected[] = [];
    for (const c of KERNEL_CASES) {
      const { bytes } = c.source ? await compileC(c.source) : await compileFixture(c.name);
      const obj = loadXdpObject(bytes, { file: `${c.name}.o` });
      if (obj.helpersCalled.size > 0) continue;
      const referee = await loadIntoKernel(k, obj);
      for (const w of c.setup ?? []) await referee.update(w.map, w.key, w.value);
      const packets = c.packets();
      const results = await Promise.all(packets.map((p) => referee.run(p)));
      const globals = await referee.globals();
      // Runs must not have changed state, else batching them would not be the kernel's order.
      if (globals !== undefined) expect(hex(globals), `${caseTitle(c)}: the kernel's globals changed`).toBe(hex(obj.program.globals!));
      selected.push({ c, obj, packets, kernel: results });
    }

    // Every packet of every selected program, each in a fresh session, all at once.
    const processesBefore = eng.processes;
    const runs = selected.flatMap((s) =>
      s.packets.map((packet) => {
        const session = new XdpSession(s.obj, { engine: eng });
        for (const w of s.c.setup ?? []) session.map(w.map).update(w.key, w.value);
        return session.run(packet).then((result) => ({ result, globals: session.globalData() }));
      }),
    );
    const got = await Promise.all(runs);
    const processes = eng.processes - processesBefore;

    const problems: string[] = [];
    let i = 0;
    let packets = 0;
    for (const s of selected) {
      for (const [n, packet] of s.packets.entries()) {
        const { result, globals } = got[i++]!;
        const want = s.kernel[n]!;
        const what = `${caseTitle(s.c)} packet ${n} (${packet.length} bytes: ${hex(packet.subarray(0, 48))}${packet.length > 48 ? '...' : ''})`;
        packets++;
        if (result.kind !== 'exit') {
          problems.push(`${what}: bpfgate ${result.kind === 'fault' ? 'faulted' : 'refused it'} (${result.message}); the kernel returned ${want.retval}`);
          continue;
        }
        if (result.cycles === undefined || result.cycles <= 0) problems.push(`${what}: the run reported no cycles (not from the CPU)`);
        if (result.action !== want.retval) problems.push(`${what}: verdict ${result.action} (${result.actionName}), kernel ${want.retval}`);
        else if (hex(concat(result.meta, result.packet)) !== hex(want.output)) {
          problems.push(`${what}: output ${hex(concat(result.meta, result.packet))}, kernel ${hex(want.output)}`);
        }
        if (hex(globals) !== hex(s.obj.program.globals ?? new Uint8Array(0))) problems.push(`${what}: the run changed the globals`);
      }
    }
    console.log(
      `verilator XDP differential: ${selected.map((s) => `${s.c.name} (${s.packets.length})`).join(', ')}: ` +
        `${packets} packets in ${processes} Verilator process(es), ${problems.length} mismatch(es)`,
    );
    expect(problems.slice(0, 8), `${problems.length} mismatch(es) of ${packets} packets`).toEqual([]);

    // It cannot go green by running nothing, nor by a process per packet.
    expect(selected.length).toBeGreaterThanOrEqual(3);
    expect(packets).toBeGreaterThanOrEqual(200);
    expect(processes).toBeGreaterThanOrEqual(1);
    expect(processes).toBeLessThanOrEqual(Math.ceil(packets / 100));
  });
});
