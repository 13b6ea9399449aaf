// Memory model: regions, entry registers, loads/stores, and out-of-bounds
// faults at both ends of each region with the exact address.

import { describe, expect, it } from 'vitest';
import { DEFAULT_MEMORY_MAP as MAP, stackTop } from '../../src/isa/memory-map.ts';
import { InputTooLargeError, runProgram } from '../../src/interp/index.ts';
import { asm, exitOf, faultOf, r0Of } from './run.ts';

const STACK_TOP = BigInt(stackTop(MAP));
const STACK_BASE = BigInt(MAP.stackBase);
const DATA = BigInt(MAP.dataBase);
const input16 = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

describe('entry state', () => {
  it('r1 = packet address, r2 = packet length, r10 = stack top, others 0', () => {
    const r = exitOf('mov %r0, 0\nexit', { input: input16 });
    expect(r.regs[1]).toBe(DATA);
    expect(r.regs[2]).toBe(16n);
    expect(r.regs[10]).toBe(STACK_TOP);
    for (const i of [3, 4, 5, 6, 7, 8, 9]) expect(r.regs[i]).toBe(0n);
  });
  it('the packet follows the globals, 8-byte aligned, and globals are readable', () => {
    const program = { ...asm('mov %r0, %r1\nexit'), globals: Uint8Array.of(1, 2, 3, 4, 5) };
    expect(r0Of(program, { input: input16 })).toBe(DATA + 8n);
    const read = { ...asm('ldxw %r0, [%r1-8]\nexit'), globals: Uint8Array.of(1, 2, 3, 4, 5) };
    expect(r0Of(read, { input: input16 })).toBe(0x04030201n);
    // The padding between globals and packet is accessible (and zero).
    const pad = { ...asm('ldxh %r0, [%r1-3]\nexit'), globals: Uint8Array.of(1, 2, 3, 4, 5) };
    expect(r0Of(pad, { input: input16 })).toBe(0n);
  });
  it('args override r1..r5', () => {
    const r = exitOf('mov %r0, %r3\nexit', { args: { r1: 7n, r3: -1n } });
    expect(r.r0).toBe(0xffffffffffffffffn);
    expect(r.regs[1]).toBe(7n);
  });
  it('an input larger than data memory is refused with a clear error', () => {
    expect(() => runProgram(asm('exit'), { input: new Uint8Array(MAP.dataSize + 1) })).toThrow(InputTooLargeError);
    expect(() => runProgram(asm('exit'), { input: new Uint8Array(MAP.dataSize + 1) })).toThrow(/does not fit data memory/);
  });
});

describe('loads and stores', () => {
  it('little-endian loads of every size', () => {
    expect(r0Of('ldxb %r0, [%r1+1]\nexit', { input: input16 })).toBe(0xa1n);
    expect(r0Of('ldxh %r0, [%r1+1]\nexit', { input: input16 })).toBe(0xa2a1n);
    expect(r0Of('ldxw %r0, [%r1+1]\nexit', { input: input16 })).toBe(0xa4a3a2a1n);
    expect(r0Of('ldxdw %r0, [%r1+1]\nexit', { input: input16 })).toBe(0xa8a7a6a5a4a3a2a1n);
  });
  it('sign-extending loads', () => {
    expect(r0Of('ldxsb %r0, [%r1+1]\nexit', { input: input16 })).toBe(0xffffffffffffffa1n);
    expect(r0Of('ldxsh %r0, [%r1+1]\nexit', { input: input16 })).toBe(0xffffffffffffa2a1n);
    expect(r0Of('ldxsw %r0, [%r1+1]\nexit', { input: input16 })).toBe(0xffffffffa4a3a2a1n);
    expect(r0Of('ldxsb %r0, [%r1+0]\nexit', { input: Uint8Array.of(0x7f) })).toBe(0x7fn);
  });
  it('stores of every size, imm (sign-extended) and register', () => {
    const src = `
      lddw %r2, 0x1122334455667788
      stxdw [%r1+0], %r2
      stxw [%r1+8], %r2
      stxh [%r1+12], %r2
      stxb [%r1+14], %r2
      stb [%r1+15], -1
      stdw [%r10-8], -2
      ldxdw %r0, [%r10-8]
      exit`;
    const r = exitOf(src, { input: new Uint8Array(16) });
    expect(r.r0).toBe(0xfffffffffffffffen);
    expect([...r.memory]).toEqual([0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x88, 0x77, 0x66, 0x55, 0x88, 0x77, 0x88, 0xff]);
  });
  it('a load into its own base register uses the old base', () => {
    expect(r0Of('mov %r0, %r1\nldxh %r0, [%r0+2]\nexit', { input: input16 })).toBe(0xa3a2n);
  });
  // Without frame isolation (the CPU's model today); frames.test.ts has the isolated one.
  it('the stack starts zeroed and the whole stack region is usable without frame isolation', () => {
    expect(r0Of('ldxdw %r0, [%r10-8]\nexit')).toBe(0n);
    expect(r0Of('stdw [%r10-4096], 7\nldxdw %r0, [%r10-4096]\nexit', { isolateFrames: false })).toBe(7n);
  });
});

describe('out-of-bounds faults name the exact address', () => {
  const cases: [string, string, bigint, Uint8Array?][] = [
    ['byte just above the stack', 'ldxb %r0, [%r10+0]', STACK_TOP],
    ['byte just below the stack', `ldxb %r0, [%r10-${STACK_TOP - STACK_BASE + 1n}]`, STACK_BASE - 1n],
    ['dword straddling the stack top', 'ldxdw %r0, [%r10-7]', STACK_TOP - 7n],
    ['store straddling the stack bottom', `stxdw [%r10-${STACK_TOP - STACK_BASE + 4n}], %r1`, STACK_BASE - 4n],
    ['byte just past the packet', 'ldxb %r0, [%r1+16]', DATA + 16n, input16],
    ['byte just before the data region', 'ldxb %r0, [%r1-1]', DATA - 1n, input16],
    ['word straddling the packet end', 'ldxw %r0, [%r1+13]', DATA + 13n, input16],
    ['store straddling the packet end', 'sth [%r1+15], 1', DATA + 15n, input16],
    ['any access with an empty packet and no globals', 'ldxb %r0, [%r1+0]', DATA, new Uint8Array(0)],
    ['a null pointer', 'mov %r2, 0\nldxb %r0, [%r2+0]', 0n],
  ];
  for (const [what, insn, address, input] of cases) {
    it(what, () => {
      const f = faultOf(`${insn}\nexit`, { input });
      expect(f.code).toBe('out-of-bounds');
      expect(f.address).toBe(address);
      expect(f.message).toContain(`0x${address.toString(16)}`);
      expect(f.message).toMatch(/^pc \d+: /);
    });
  }
  it('the boundary bytes themselves are accessible (the stack region\'s without frame isolation)', () => {
    expect(r0Of(`ldxb %r0, [%r10-${STACK_TOP - STACK_BASE}]\nldxb %r0, [%r10-1]\nexit`, { isolateFrames: false })).toBe(0n);
    expect(r0Of('ldxb %r0, [%r1+0]\nldxb %r0, [%r1+15]\nexit', { input: input16 })).toBe(0xafn);
  });
  it('an address beyond 32 bits faults with its full 64-bit value', () => {
    const f = faultOf('lddw %r2, 0x100000000\nadd %r2, %r1\nldxb %r0, [%r2+0]\nexit', { input: input16 });
    expect(f.address).toBe(0x1_0000_0000n + DATA);
    expect(f.pc).toBe(3);
  });
  it('negative offsets wrap in 64 bits', () => {
    const f = faultOf('mov %r2, 0\nldxb %r0, [%r2-1]\nexit');
    expect(f.address).toBe(0xffffffffffffffffn);
  });
  it('a fault does not retire the instruction and leaves memory as it was', () => {
    const f = faultOf('stb [%r1+0], 9\nstb [%r1+16], 1\nexit', { input: input16 });
    expect(f.insns).toBe(1);
    expect(f.pc).toBe(1);
    expect(f.memory[0]).toBe(9);
  });
});
