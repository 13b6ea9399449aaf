// The CPU system's host port and run control through the sim engine: memory
// and register access, the helper extension port, budgets, limits, VCD.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/index.ts';
import { DEFAULT_MEMORY_MAP, stackTop } from '../../src/isa/memory-map.ts';
import type { Helper } from '../../src/interp/types.ts';
import { runProgram } from '../../src/interp/index.ts';
import { HOST_REG, HOST_REGION } from '../../src/abi/cpu-port.ts';
import { CpuSim } from '../../src/engines/cpu-sim.ts';
import { buildImage } from '../../src/engines/image.ts';
import { createSimEngine } from '../../src/engines/sim.ts';
import { createEngine } from '../../src/engines/registry.ts';

const ADD = assemble('mov %r0, %r1\nadd %r0, %r2\nexit\n');

describe('CPU system host port', () => {
  const cpu = new CpuSim();

  it('reads back program memory, data memory and registers it wrote', () => {
    cpu.hostWrite(HOST_REGION.PROG, 5, 0x1122334455667788n);
    cpu.hostWrite(HOST_REGION.DATA, 3, 0xfeedfacecafebeefn);
    cpu.hostWrite(HOST_REGION.REGS, 7, 0x0123456789abcdefn);
    expect(cpu.hostRead(HOST_REGION.PROG, 5)).toBe(0x1122334455667788n);
    expect(cpu.hostRead(HOST_REGION.DATA, 3)).toBe(0xfeedfacecafebeefn);
    expect(cpu.hostRead(HOST_REGION.REGS, 7)).toBe(0x0123456789abcdefn);
    // r10 is the frame pointer and cannot be written.
    cpu.hostWrite(HOST_REGION.REGS, 10, 5);
    expect(cpu.hostRead(HOST_REGION.REGS, 10)).toBe(BigInt(stackTop(DEFAULT_MEMORY_MAP)));
    // Run parameters are write-only.
    cpu.hostWrite(HOST_REGION.CONTROL, HOST_REG.DATA_LIMIT, 1234);
    expect(cpu.hostRead(HOST_REGION.CONTROL, HOST_REG.DATA_LIMIT)).toBe(0n);
  });

  it('runs a program started through the host port and reports status and counters', () => {
    const r = cpu.run(buildImage(cpu.cfg, ADD, new Uint8Array(5)), { maxCycles: 1000 });
    expect(r.kind).toBe('exit');
    expect(r.r0).toBe(BigInt(DEFAULT_MEMORY_MAP.dataBase + 5));
    expect(r.insns).toBe(3);
    expect(r.cycles).toBeGreaterThanOrEqual(3);
    expect(cpu.hostRead(HOST_REGION.CONTROL, HOST_REG.RETIRED)).toBe(3n);
  });

  it('faults with the instruction budget like the interpreter (maxInsns)', () => {
    const loop = assemble('mov %r0, 0\nl: add %r0, 1\nja l\n');
    const r = cpu.run(buildImage(cpu.cfg, loop, new Uint8Array(0)), { maxCycles: 10_000, maxInsns: 101 });
    const ref = runProgram(loop, { maxInsns: 101 });
    expect(ref.kind).toBe('fault');
    expect(r).toMatchObject({ kind: 'fault', faultCode: 'budget', insns: ref.insns, faultPc: ref.kind === 'fault' ? ref.pc : -1 });
  });

  it('stops at the cycle limit and recovers for the next run', () => {
    const loop = assemble('l: ja l\n');
    expect(cpu.run(buildImage(cpu.cfg, loop, new Uint8Array(0)), { maxCycles: 200 }).kind).toBe('timeout');
    cpu.sim.reset();
    expect(cpu.run(buildImage(cpu.cfg, ADD, new Uint8Array(0)), { maxCycles: 100 }).kind).toBe('exit');
  });
});

describe('helper extension port', () => {
  const prog = assemble('mov %r1, 6\nmov %r2, 7\ncall 9\nexit\n');

  it('answers unknown helpers with a bad-helper fault', () => {
    const r = createSimEngine().run(prog, new Uint8Array(0));
    expect(r).toMatchObject({ kind: 'fault', code: 'bad-helper', pc: 2 });
  });

  it('calls a helper from the table with r1-r5 and returns its r0', () => {
    const mul: Helper = (a, b) => a * b;
    const stopper: Helper = (_a, _b, _c, _d, _e, ctx) => {
      ctx.stop(99n);
      return 0n;
    };
    const engine = createSimEngine({ helpers: new Map([[9, mul], [11, stopper]]) });
    expect(engine.run(prog, new Uint8Array(0))).toMatchObject({ kind: 'exit', r0: 42n });
    const stop = assemble('call 11\nmov %r0, 1\nexit\n');
    expect(engine.run(stop, new Uint8Array(0))).toMatchObject({ kind: 'exit', r0: 99n, insns: 1 });
  });
});

describe('the sim engine from the registry', () => {
  it('runs on the sim engine and writes a VCD of the run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfgate-vcd-'));
    const vcd = join(dir, 'run.vcd');
    const r = await (await createEngine('sim', { vcd })).run(ADD, new Uint8Array(2));
    expect(r).toMatchObject({ kind: 'exit', r0: BigInt(DEFAULT_MEMORY_MAP.dataBase + 2) });
    expect(r.cycles).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(existsSync(vcd)).toBe(true);
    expect(readFileSync(vcd, 'utf8')).toMatch(/\$var wire 1 \S+ retire \$end/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a program too large for program memory as a fault, not a crash', async () => {
    const big = { insns: Array.from({ length: 5000 }, () => ADD.insns[0]!), entry: 0 };
    const r = await (await createEngine('sim')).run(big, new Uint8Array(0));
    expect(r.kind).toBe('fault');
    expect(r.kind === 'fault' && r.message).toMatch(/program memory holds 4096/);
  });
});
