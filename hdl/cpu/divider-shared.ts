// Divider ('shared', CpuConfig.divider): radix-2 restoring division whose
// trial subtraction runs on the core's ALU, which is idle while E divides.
// The unit keeps the partial remainder and the quotient (the dividend
// shifted out of it, most significant bit first) and one incrementer for
// the magnitudes; it has no subtractor of its own, and no copy of the
// divisor: the core keeps re-reading the src register (`hold`), as for the
// DSP multiplier, or the immediate stays in E.
//
// Each step the ALU computes r - |d| from operand A = the shifted remainder
// r (output `alt`) and operand B = the raw divisor d: a - b when d is
// non-negative, a + b when a signed division's d is negative (output
// `alu_add`); both give "r >= |d|" as the adder's carry. The shifted
// remainder has one bit more than the ALU (bit 64, or 32 for 32-bit
// forms, which then run on the ALU's 32-bit path): when it is set, r > |d|
// for certain and the ALU's low bits are the exact difference.
//
// Cycles: start (magnitude of the dividend), one per quotient bit (32 for
// 32-bit forms and for 64-bit ones whose operands fit 32 bits, else 64), skipping a whole zero byte of dividend in
// one step while the remainder is 0 (small dividends finish early), then
// one for the result (its sign applied). RFC 9669 section 4.1: x / 0 = 0,
// x % 0 = x, signed forms truncate (the remainder has the dividend's
// sign), INT_MIN / -1 wraps to INT_MIN and INT_MIN % -1 = 0 on their own.

import { C, cat, Module, mux, type Expr } from '../../src/dsl/index.ts';
import { DIV_FN } from './control.ts';

/**
 * Inputs: start, a (dividend), b (divisor; the same value every cycle while
 * `hold`), fn (DIV_FN bits), w32, and the ALU's sum (a +- b) and carries
 * c32 / c64. Outputs: alt (ALU operand A while dividing), alu_add (the ALU
 * adds instead of subtracting), hold, done (one cycle), y (64; zero while
 * idle).
 */
export function makeSharedDivider(): Module {
  const m = new Module('shared_divider');
  const start = m.input('start', 1);
  const a = m.input('a', 64);
  const b = m.input('b', 64);
  const fn = m.input('fn', 4);
  const w32 = m.input('w32', 1);
  const sum = m.input('sum', 64);
  const c32 = m.input('c32', 1);
  const c64 = m.input('c64', 1);
  const altOut = m.output('alt', 64);
  const aluAddOut = m.output('alu_add', 1);
  const holdOut = m.output('hold', 1);
  const done = m.output('done', 1);
  const y = m.output('y', 64);

  const rem = m.reg('rem', 64);
  const quo = m.reg('quo', 64);
  const count = m.reg('count', 7);
  const stepping = m.reg('stepping', 1);
  const finishing = m.reg('finishing', 1);
  const narrow = m.reg('narrow', 1);
  const addDivisor = m.reg('add_divisor', 1);
  const negQ = m.reg('neg_q', 1);
  const negR = m.reg('neg_r', 1);
  const wantMod = m.reg('want_mod', 1);
  const byZero = m.reg('by_zero', 1);

  const signed = fn.bit(1);
  const top = (v: Expr): Expr => mux(w32, v.bit(31), v.bit(63));
  const negA = signed.and(top(a));
  const negB = signed.and(top(b));

  // One incrementer: |a| on start, the signed result when finishing.
  // (v ^ s) + s is -v when s is 1, v when it is 0.
  // (For 32-bit forms the low half of (a ^ s) + s is right whatever the upper half holds.)
  const result = mux(wantMod, rem, quo);
  const negIn = mux(start, a, result);
  const negate = mux(start, negA, mux(wantMod, negR, negQ));
  const magnitude = negIn.xor(negate.repl(64)).add(negate.zext(64));

  // One step: shift the next dividend bit into the remainder, keep r - |d| if it fits.
  const shiftedRem = cat(rem.slice(62, 0), quo.bit(63));
  const overflowBit = mux(narrow, rem.bit(31), rem.bit(63));
  // Dividing by zero nothing fits: the quotient stays 0 and the remainder
  // ends as the dividend (x / 0 = 0, x % 0 = x).
  const fits = mux(narrow, c32, c64).or(overflowBit).and(byZero.not());
  // For 32-bit forms the upper half of the remainder may hold junk from the
  // ALU's upper half: only the low 33 bits of a step and the low 32 of the
  // result count, and junk only ever stops a byte skip.
  const difference = sum;
  const skipByte = rem.eq(0).and(quo.slice(63, 56).eq(0)).and(count.geU(8));

  // A 64-bit division whose magnitudes both fit 32 bits needs only 32 steps
  // (the ALU still works at 64 bits). For the divisor, whose magnitude is
  // never formed, "fits" is judged conservatively from its raw upper half.
  const bHigh = b.slice(63, 32);
  const bSmall = bHigh.eq(0).or(signed.and(bHigh.all()).and(b.bit(31)));
  const short = w32.or(magnitude.slice(63, 32).eq(0).and(bSmall));
  m.If(start, () => {
    m.sync(quo, mux(short, cat(magnitude.slice(31, 0), C(32, 0)), magnitude));
    m.sync(rem, 0);
    m.sync(count, mux(short, C(7, 32), C(7, 64)));
    m.sync(stepping, 1);
    m.sync(finishing, 0);
    m.sync(narrow, w32);
    m.sync(addDivisor, negB);
    m.sync(negQ, negA.xor(negB));
    m.sync(negR, negA);
    m.sync(wantMod, fn.bit(0));
    m.sync(byZero, mux(w32, b.slice(31, 0).eq(0), b.eq(0)));
  }).Elif(stepping, () => {
    const left = count.sub(mux(skipByte, C(7, 8), C(7, 1)));
    m.sync(count, left);
    m.If(left.eq(0), () => {
      m.sync(stepping, 0);
      m.sync(finishing, 1);
    });
    m.If(skipByte, () => m.sync(quo, cat(quo.slice(55, 0), C(8, 0)))).Else(() => {
      m.sync(rem, mux(fits, difference, shiftedRem));
      m.sync(quo, cat(quo.slice(62, 0), fits));
    });
  }).Elif(finishing, () => m.sync(finishing, 0));

  m.comb(altOut, shiftedRem);
  m.comb(aluAddOut, addDivisor);
  m.comb(holdOut, start.or(stepping));
  m.comb(done, finishing);
  const out = cat(magnitude.slice(63, 32).and(narrow.not().repl(32)), magnitude.slice(31, 0));
  m.comb(y, out.and(finishing.repl(64)));
  return m;
}
