// The simulated SoC with the real bpfgate CPU, driven through its UART pins
// by the host client: conformance programs, faults, the instruction budget
// and a host-side stop, each compared with the reference interpreter.

import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { socCpuConfig } from '../../hdl/soc/cpu-system.ts';
import { assemble } from '../../src/asm/index.ts';
import { createInterpreterEngine, runConformanceFile } from '../../src/conformance/index.ts';
import { runOnBoard } from '../../src/host/run-program.ts';
import { createSocSimEngine } from '../../src/host/engines.ts';
import type { HostEngine } from '../../src/host/engine.ts';
import { CONFORMANCE_TESTS, requireConformanceData } from '../../src/paths.ts';

let engine: HostEngine;

beforeAll(async () => {
  requireConformanceData();
  engine = await createSocSimEngine();
});

/** A spread over the instruction groups: ALU, jumps, memory, lddw, calls, atomics, mul/div, byte swaps. */
const FILES = [
  'add.data', 'alu64-arith.data', 'arsh64-reg-neg.data', 'be64.data', 'call_local.data', 'div64-negative-reg.data',
  'jsle32-reg.data', 'lddw2.data', 'ldxh-all2.data', 'lock_fetch_add.data', 'mul64-reg.data', 'prime.data',
  'stack.data', 'callx.data',
];

describe('soc-sim engine (CPU + UART + host link, simulated)', () => {
  it('identifies the CPU build', async () => {
    const cfg = socCpuConfig();
    expect(await engine.client.identify()).toMatchObject({
      progWords: cfg.progWords, dataBytes: cfg.memoryMap.dataSize, dataBase: cfg.memoryMap.dataBase, faultSet: 1, baud: 3_000_000,
    });
  });

  for (const file of FILES) {
    it(`passes ${file} with the interpreter's result`, async () => {
      const path = join(CONFORMANCE_TESTS, file);
      const onSoc = await runConformanceFile(path, engine);
      const onInterp = await runConformanceFile(path, createInterpreterEngine());
      expect(onSoc.reason).toBeUndefined();
      expect(onSoc.passed).toBe(true);
      expect(onSoc.outcome).toMatchObject(onInterp.outcome.kind === 'exit' ? { kind: 'exit', r0: onInterp.outcome.r0 } : { kind: 'error' });
    });
  }

  it('reports a fault with the interpreter\'s name and pc', async () => {
    const program = assemble('mov r0, 1\nldxdw r0, [r1+4096]\nexit\n', { file: 'oob.s' });
    const soc = await engine.run(program, new Uint8Array(16));
    const interp = createInterpreterEngine().run(program, new Uint8Array(16));
    expect(interp).toMatchObject({ kind: 'fault', code: 'out-of-bounds', pc: 1 });
    expect(soc).toMatchObject({ kind: 'fault', code: 'out-of-bounds', pc: 1, message: 'pc 1: out-of-bounds' });
  });

  it('ends a runaway program with a budget fault when given an instruction budget', async () => {
    const program = assemble('mov r0, 0\nloop:\nadd r0, 1\nja loop\n', { file: 'loop.s' });
    const r = await runOnBoard(engine.client, program, { maxInsns: 1000, runTimeoutMs: 50, pollMs: 0.05 });
    expect(r).toMatchObject({ kind: 'fault', name: 'budget', insns: 1000n });
  });

  it('stops a runaway program at the run timeout, and runs the next one normally', async () => {
    const loop = assemble('mov r0, 0\nloop:\nadd r0, 1\nja loop\n', { file: 'loop.s' });
    const r = await runOnBoard(engine.client, loop, { runTimeoutMs: 0.5, pollMs: 0.05 });
    expect(r).toMatchObject({ kind: 'fault', name: 'timeout', code: 0 });
    expect(r.kind === 'fault' && r.message).toMatch(/^still running after 0.5 ms \([1-9]\d* cycles, [1-9]\d* instructions\); stopped by the host/);
    // A stopped core reads back zero counters; the run's own are reported (issue 15: `0 cycles`, `insns: 0`).
    expect(r.cycles).toBeGreaterThan(0n);
    expect(r.insns).toBeGreaterThan(0n);
    expect((await engine.client.status()).state).toBe('stopped');
    const next = await engine.run(assemble('mov r0, 42\nexit\n', { file: 'ok.s' }), new Uint8Array(0));
    expect(next).toEqual({ kind: 'exit', r0: 42n, insns: 2, cycles: 3 });
  });

  it('passes r1..r5 overrides and the input through', async () => {
    const program = assemble('mov r0, r3\nadd r0, r4\nldxb r5, [r1+1]\nadd r0, r5\nadd r0, r2\nexit\n', { file: 'args.s' });
    const r = await runOnBoard(engine.client, program, { input: Uint8Array.of(7, 9, 11), args: { r3: 100n, r4: 20n }, pollMs: 0.05 });
    expect(r).toMatchObject({ kind: 'exit', r0: 100n + 20n + 9n + 3n, insns: 6n });
  });
});
