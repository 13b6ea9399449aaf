// The single-cycle ALU: add/sub/neg on one shared adder (also the branch
// comparator's subtractor), the bitwise operations, moves, sign/zero
// extension and byte swaps. Shifts, multiply and divide are separate
// multi-cycle units (shifter.ts, muldiv.ts).

import { C, cat, Module, mux, type Expr } from '../../src/dsl/index.ts';
import { ALU_FN } from './control.ts';

/**
 * Inputs a, b (64), fn (ALU_FN), size (log2 bytes for SEXT/ZEXT/BSWAP), w32.
 * Outputs y (the result, zero-extended from 32 bits when w32), and the raw
 * adder: sum (64), c32 / c64 — the carries out of bit 31 and 63 (for SUB,
 * carry = no borrow), which the branch unit turns into comparisons.
 */
export function makeAlu(): Module {
  const m = new Module('alu');
  const a = m.input('a', 64);
  const b = m.input('b', 64);
  const fn = m.input('fn', 4);
  const size = m.input('size', 2);
  const w32 = m.input('w32', 1);
  const y = m.output('y', 64);
  const sum = m.output('sum', 64);
  const c32 = m.output('c32', 1);
  const c64 = m.output('c64', 1);

  // One adder: a + b, a - b (a + ~b + 1), -a (0 + ~a + 1). The carry out of
  // the low half is exposed for the 32-bit compares.
  const isNeg = fn.eq(ALU_FN.NEG);
  const invert = fn.eq(ALU_FN.SUB).or(isNeg);
  const x = mux(isNeg, C(64, 0), a);
  const yIn = mux(isNeg, a, b).xor(invert.repl(64));
  const lo = x.slice(31, 0).zext(33).add(yIn.slice(31, 0).zext(33)).add(invert.zext(33));
  const carry32 = lo.bit(32);
  const hi = x.slice(63, 32).zext(33).add(yIn.slice(63, 32).zext(33)).add(carry32.zext(33));
  m.comb(sum, cat(hi.slice(31, 0), lo.slice(31, 0)));
  m.comb(c32, carry32);
  m.comb(c64, hi.bit(32));

  const r = m.wire('r', 64);
  m.Switch(fn)
    .Case([ALU_FN.ADD, ALU_FN.SUB, ALU_FN.NEG], () => m.comb(r, sum))
    .Case(ALU_FN.AND, () => m.comb(r, a.and(b)))
    .Case(ALU_FN.OR, () => m.comb(r, a.or(b)))
    .Case(ALU_FN.XOR, () => m.comb(r, a.xor(b)))
    .Case(ALU_FN.MOV, () => m.comb(r, b))
    .Case(ALU_FN.SEXT, () => m.comb(r, signExtend(b, size)))
    .Case(ALU_FN.ZEXT, () => m.comb(r, zeroExtend(a, size)))
    .Case(ALU_FN.BSWAP, () => m.comb(r, byteSwap(a, size)))
    .Default(() => m.comb(r, C(64, 0)));
  m.comb(y, mux(w32, r.slice(31, 0).zext(64), r));
  return m;
}

/** The low 1/2/4/8 bytes of v (size = log2 bytes), sign-extended to 64 bits. */
export function signExtend(v: Expr, size: Expr): Expr {
  return mux(size.eq(0), v.slice(7, 0).sext(64),
    mux(size.eq(1), v.slice(15, 0).sext(64),
      mux(size.eq(2), v.slice(31, 0).sext(64), v)));
}

/** The low 1/2/4/8 bytes of v, zero-extended. */
export function zeroExtend(v: Expr, size: Expr): Expr {
  return mux(size.eq(0), v.slice(7, 0).zext(64),
    mux(size.eq(1), v.slice(15, 0).zext(64),
      mux(size.eq(2), v.slice(31, 0).zext(64), v)));
}

/** The low 2/4/8 bytes of v in reverse order, zero-extended (size 1/2/3). */
export function byteSwap(v: Expr, size: Expr): Expr {
  const byte = (i: number): Expr => v.slice(8 * i + 7, 8 * i);
  const rev = (n: number): Expr => cat(...Array.from({ length: n }, (_, i) => byte(i))).zext(64);
  return mux(size.eq(1), rev(2), mux(size.eq(2), rev(4), rev(8)));
}
