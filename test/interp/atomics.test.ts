// Atomic operations (RFC 9669 section 5.3), 32 and 64 bit.

import { describe, expect, it } from 'vitest';
import { exitOf, faultOf } from './run.ts';

const OLD = 0x123456789abcdef0n;

/**
 * Store OLD at [r10-8], put `src` in r1 (and `r0` in r0), run the atomic,
 * return memory, r0 and r1 after it.
 */
function atomic(op: string, src: bigint, r0 = 0n): { mem: bigint; r0: bigint; r1: bigint } {
  const r = exitOf(`
    lddw %r2, 0x${OLD.toString(16)}
    stxdw [%r10-8], %r2
    lddw %r1, 0x${src.toString(16)}
    lddw %r0, 0x${r0.toString(16)}
    ${op} [%r10-8], %r1
    ldxdw %r3, [%r10-8]
    exit`);
  return { mem: r.regs[3]!, r0: r.r0, r1: r.regs[1]! };
}

describe('64-bit atomics', () => {
  const SRC = 0x0f0f0f0f0f0f0f0fn;
  it('add/or/and/xor without fetch leave src alone', () => {
    expect(atomic('lock add', SRC)).toEqual({ mem: BigInt.asUintN(64, OLD + SRC), r0: 0n, r1: SRC });
    expect(atomic('lock or', SRC).mem).toBe(OLD | SRC);
    expect(atomic('lock and', SRC).mem).toBe(OLD & SRC);
    expect(atomic('lock xor', SRC).mem).toBe(OLD ^ SRC);
  });
  it('fetch forms return the old value in src', () => {
    expect(atomic('lock fetch add', SRC)).toEqual({ mem: BigInt.asUintN(64, OLD + SRC), r0: 0n, r1: OLD });
    expect(atomic('lock fetch or', SRC)).toEqual({ mem: OLD | SRC, r0: 0n, r1: OLD });
    expect(atomic('lock fetch and', SRC)).toEqual({ mem: OLD & SRC, r0: 0n, r1: OLD });
    expect(atomic('lock fetch xor', SRC)).toEqual({ mem: OLD ^ SRC, r0: 0n, r1: OLD });
  });
  it('add wraps at 64 bits', () => {
    expect(atomic('lock add', 0xffffffffffffffffn).mem).toBe(OLD - 1n);
  });
  it('xchg', () => {
    expect(atomic('lock xchg', SRC)).toEqual({ mem: SRC, r0: 0n, r1: OLD });
  });
  it('cmpxchg success: memory replaced, r0 = old', () => {
    expect(atomic('lock cmpxchg', SRC, OLD)).toEqual({ mem: SRC, r0: OLD, r1: SRC });
  });
  it('cmpxchg failure: memory unchanged, r0 = old', () => {
    expect(atomic('lock cmpxchg', SRC, OLD + 1n)).toEqual({ mem: OLD, r0: OLD, r1: SRC });
  });
});

describe('32-bit atomics act on the low 4 bytes and zero-extend fetched values', () => {
  const SRC = 0xffffffff_80000001n; // upper half must be ignored
  const hi = OLD & 0xffffffff00000000n;
  const lo = OLD & 0xffffffffn;
  it('add wraps within 32 bits and leaves the upper bytes', () => {
    expect(atomic('lock add32', SRC).mem).toBe(hi | ((lo + 0x80000001n) & 0xffffffffn));
  });
  it('fetch add/or/and/xor', () => {
    expect(atomic('lock fetch add32', SRC)).toEqual({ mem: hi | ((lo + 0x80000001n) & 0xffffffffn), r0: 0n, r1: lo });
    expect(atomic('lock fetch or32', SRC)).toEqual({ mem: hi | (lo | 0x80000001n), r0: 0n, r1: lo });
    expect(atomic('lock fetch and32', SRC)).toEqual({ mem: hi | (lo & 0x80000001n), r0: 0n, r1: lo });
    expect(atomic('lock fetch xor32', SRC)).toEqual({ mem: hi | (lo ^ 0x80000001n), r0: 0n, r1: lo });
  });
  it('non-fetch forms leave src', () => {
    expect(atomic('lock xor32', SRC).r1).toBe(SRC);
  });
  it('xchg32', () => {
    expect(atomic('lock xchg32', SRC)).toEqual({ mem: hi | 0x80000001n, r0: 0n, r1: lo });
  });
  it('cmpxchg32 compares the low 32 bits of r0 (success)', () => {
    expect(atomic('lock cmpxchg32', SRC, 0xdead_0000_0000n | lo)).toEqual({ mem: hi | 0x80000001n, r0: lo, r1: SRC });
  });
  it('cmpxchg32 failure leaves memory and zero-extends the old value into r0', () => {
    expect(atomic('lock cmpxchg32', SRC, lo + 1n)).toEqual({ mem: OLD, r0: lo, r1: SRC });
  });
});

describe('atomic faults', () => {
  it('out of bounds names the address', () => {
    const f = faultOf('mov %r2, 1\nlock add [%r10+0], %r2\nexit');
    expect(f.code).toBe('out-of-bounds');
    expect(f.pc).toBe(1);
    expect(f.address).toBe(0x10001000n);
  });
  it('a fetch into r10 is a bad-register fault', () => {
    const f = faultOf('lock fetch add [%r10-8], %r10\nexit');
    expect(f.code).toBe('bad-register');
  });
  it('works on the data region too', () => {
    const r = exitOf('mov %r2, 5\nlock fetch add32 [%r1+0], %r2\nmov %r0, %r2\nexit', { input: Uint8Array.of(1, 0, 0, 0) });
    expect(r.r0).toBe(1n);
    expect([...r.memory]).toEqual([6, 0, 0, 0]);
  });
});
