// ALU edge values with hand-computed expectations (RFC 9669 section 4.1/4.2).

import { describe, expect, it } from 'vitest';
import { r0Of } from './run.ts';

const INT64_MIN = 0x8000000000000000n;
const ALL64 = 0xffffffffffffffffn;

/** r0 after `lddw r0, a` + the instruction text (operating on r0, with r1 = b). */
function alu(a: bigint, insn: string, b = 0n): bigint {
  return r0Of(`lddw %r0, 0x${a.toString(16)}\nlddw %r1, 0x${b.toString(16)}\n${insn}\nexit`);
}

describe('division and modulo', () => {
  it('div by zero gives 0, 32 and 64 bit, imm and reg', () => {
    expect(alu(1234n, 'div %r0, %r1', 0n)).toBe(0n);
    expect(alu(1234n, 'div32 %r0, %r1', 0n)).toBe(0n);
    expect(alu(1234n, 'div %r0, 0')).toBe(0n);
    expect(alu(1234n, 'sdiv %r0, 0')).toBe(0n);
    expect(alu(1234n, 'sdiv32 %r0, %r1', 0n)).toBe(0n);
  });
  it('mod by zero leaves dst (64) or its zero-extended low half (32)', () => {
    expect(alu(0x1122334455667788n, 'mod %r0, %r1', 0n)).toBe(0x1122334455667788n);
    expect(alu(0x1122334455667788n, 'mod32 %r0, %r1', 0n)).toBe(0x55667788n);
    expect(alu(0x1122334455667788n, 'smod %r0, 0')).toBe(0x1122334455667788n);
    expect(alu(0xffffffff_fffffff3n, 'smod32 %r0, 0')).toBe(0xfffffff3n);
  });
  it('INT_MIN / -1 is INT_MIN and INT_MIN % -1 is 0', () => {
    expect(alu(INT64_MIN, 'sdiv %r0, -1')).toBe(INT64_MIN);
    expect(alu(INT64_MIN, 'sdiv %r0, %r1', ALL64)).toBe(INT64_MIN);
    expect(alu(INT64_MIN, 'smod %r0, -1')).toBe(0n);
    expect(alu(0x80000000n, 'sdiv32 %r0, -1')).toBe(0x80000000n);
    expect(alu(0x80000000n, 'smod32 %r0, %r1', 0xffffffffn)).toBe(0n);
  });
  it('signed division truncates toward zero; modulo takes the dividend sign', () => {
    expect(alu(BigInt.asUintN(64, -13n), 'sdiv %r0, 3')).toBe(BigInt.asUintN(64, -4n));
    expect(alu(BigInt.asUintN(64, -13n), 'smod %r0, 3')).toBe(BigInt.asUintN(64, -1n));
    expect(alu(13n, 'smod %r0, -3')).toBe(1n);
    expect(alu(0xfffffff3n, 'smod32 %r0, 3')).toBe(0xffffffffn); // -13 % 3 = -1, zero-extended
    expect(alu(0xfffffff3n, 'sdiv32 %r0, 3')).toBe(0xfffffffcn);
  });
  it('64-bit unsigned div/mod by imm use the imm sign-extended to 64 bits', () => {
    // (u64)-10 is huge: 0xffff...ffff / 0xffff...fff6 = 1
    expect(alu(ALL64, 'div %r0, -10')).toBe(1n);
    expect(alu(ALL64, 'mod %r0, -10')).toBe(9n);
  });
  it('32-bit unsigned div/mod by imm read the imm as u32', () => {
    expect(alu(0xfffffff0n, 'div32 %r0, -16')).toBe(1n); // 0xfffffff0 / 0xfffffff0
    expect(alu(0xffffffffn, 'mod32 %r0, -16')).toBe(0xfn);
  });
  it('32-bit forms ignore the upper halves of both operands', () => {
    expect(alu(0xdead_0000_0010n, 'div32 %r0, %r1', 0xbeef_0000_0004n)).toBe(4n);
  });
  it('64-bit division of values above 32 bits', () => {
    expect(alu(0x1234567890abcdefn, 'div %r0, %r1', 0x100000000n)).toBe(0x12345678n);
    expect(alu(0x1234567890abcdefn, 'mod %r0, %r1', 0x100000000n)).toBe(0x90abcdefn);
  });
});

describe('multiplication', () => {
  it('wraps at 64 and 32 bits', () => {
    expect(alu(0xffffffffn, 'mul %r0, %r1', 0xffffffffn)).toBe(0xfffffffe00000001n);
    expect(alu(INT64_MIN, 'mul %r0, -1')).toBe(INT64_MIN);
    expect(alu(0x80000000n, 'mul32 %r0, -1')).toBe(0x80000000n);
    expect(alu(0x123456789n, 'mul32 %r0, %r1', 0x100000003n)).toBe(0x69d0369bn);
    expect(alu(0x1234567890abcdefn, 'mul %r0, %r1', 0xfedcba0987654321n)).toBe(
      BigInt.asUintN(64, 0x1234567890abcdefn * 0xfedcba0987654321n),
    );
  });
});

describe('shifts mask the amount', () => {
  it('64-bit: by 63, 64 (= 0) and -1 (= 63)', () => {
    expect(alu(1n, 'lsh %r0, 63')).toBe(INT64_MIN);
    expect(alu(1n, 'lsh %r0, 64')).toBe(1n);
    expect(alu(1n, 'lsh %r0, %r1', ALL64)).toBe(INT64_MIN);
    expect(alu(INT64_MIN, 'rsh %r0, 63')).toBe(1n);
    expect(alu(INT64_MIN, 'arsh %r0, 63')).toBe(ALL64);
    expect(alu(INT64_MIN, 'arsh %r0, %r1', 64n)).toBe(INT64_MIN);
    expect(alu(0x8000000000000001n, 'rsh %r0, 32')).toBe(0x80000000n);
    expect(alu(0x8000000000000001n, 'arsh %r0, 32')).toBe(0xffffffff80000000n);
  });
  it('32-bit: by 31, 32 (= 0) and -1 (= 31); result zero-extended', () => {
    expect(alu(0xffff_ffff_0000_0001n, 'lsh32 %r0, 31')).toBe(0x80000000n);
    expect(alu(0xffff_ffff_0000_0001n, 'lsh32 %r0, 32')).toBe(1n);
    expect(alu(0x80000000n, 'arsh32 %r0, %r1', ALL64)).toBe(0xffffffffn);
    expect(alu(0x80000000n, 'rsh32 %r0, -1')).toBe(1n);
    expect(alu(0x80000000n, 'arsh32 %r0, 4')).toBe(0xf8000000n);
  });
});

describe('immediates and 32-bit results', () => {
  it('64-bit ALU sign-extends imm', () => {
    expect(alu(0n, 'mov %r0, -1')).toBe(ALL64);
    expect(alu(0n, 'add %r0, -2')).toBe(ALL64 - 1n);
    expect(alu(0n, 'or %r0, 0x80000000')).toBe(0xffffffff80000000n);
    expect(alu(ALL64, 'and %r0, 0x7fffffff')).toBe(0x7fffffffn);
    expect(alu(0n, 'xor %r0, -1')).toBe(ALL64);
  });
  it('32-bit ALU zero-extends every result', () => {
    expect(alu(ALL64, 'mov32 %r0, -1')).toBe(0xffffffffn);
    expect(alu(ALL64, 'add32 %r0, 1')).toBe(0n);
    expect(alu(0x1_0000_0000n, 'sub32 %r0, 1')).toBe(0xffffffffn);
    expect(alu(ALL64, 'or32 %r0, 0')).toBe(0xffffffffn);
    expect(alu(ALL64, 'mov32 %r0, %r1', 0x1234_5678_9abc_def0n)).toBe(0x9abcdef0n);
  });
  it('neg', () => {
    expect(alu(1n, 'neg %r0')).toBe(ALL64);
    expect(alu(0n, 'neg %r0')).toBe(0n);
    expect(alu(INT64_MIN, 'neg %r0')).toBe(INT64_MIN);
    expect(alu(0x1_0000_0000n, 'neg %r0')).toBe(0xffffffff00000000n);
    expect(alu(0x80000000n, 'neg32 %r0')).toBe(0x80000000n);
    expect(alu(0xffff_ffff_0000_0001n, 'neg32 %r0')).toBe(0xffffffffn);
  });
});

describe('movsx', () => {
  it('sign-extends 8/16/32 bits into 64', () => {
    expect(alu(0n, 'movsx864 %r0, %r1', 0xffff_ff80n)).toBe(0xffffffffffffff80n);
    expect(alu(0n, 'movsx864 %r0, %r1', 0x17fn)).toBe(0x7fn);
    expect(alu(0n, 'movsx1664 %r0, %r1', 0x8001n)).toBe(0xffffffffffff8001n);
    expect(alu(0n, 'movsx3264 %r0, %r1', 0x1_8000_0001n)).toBe(0xffffffff80000001n);
    expect(alu(0n, 'movsx3264 %r0, %r1', 0xffff_ffff_7fff_ffffn)).toBe(0x7fffffffn);
  });
  it('32-bit forms sign-extend into 32 and zero the upper half', () => {
    expect(alu(ALL64, 'movsx832 %r0, %r1', 0x80n)).toBe(0xffffff80n);
    expect(alu(ALL64, 'movsx1632 %r0, %r1', 0x7fffn)).toBe(0x7fffn);
    expect(alu(ALL64, 'movsx1632 %r0, %r1', 0xdead_8000n)).toBe(0xffff8000n);
  });
});

describe('byte order (host is little-endian)', () => {
  const X = 0x0123456789abcdefn;
  it('le truncates and zero-extends; le64 is the identity', () => {
    expect(alu(X, 'le16 %r0')).toBe(0xcdefn);
    expect(alu(X, 'le32 %r0')).toBe(0x89abcdefn);
    expect(alu(X, 'le64 %r0')).toBe(X);
  });
  it('be swaps the low 16/32/64 bits and zero-extends', () => {
    expect(alu(X, 'be16 %r0')).toBe(0xefcdn);
    expect(alu(X, 'be32 %r0')).toBe(0xefcdab89n);
    expect(alu(X, 'be64 %r0')).toBe(0xefcdab8967452301n);
  });
  it('bswap (ALU64) swaps unconditionally, same widths', () => {
    expect(alu(X, 'bswap16 %r0')).toBe(0xefcdn);
    expect(alu(X, 'bswap32 %r0')).toBe(0xefcdab89n);
    expect(alu(X, 'bswap64 %r0')).toBe(0xefcdab8967452301n);
    expect(alu(0x80n, 'bswap64 %r0')).toBe(0x8000000000000000n);
  });
});
