// Divider ('compact', CpuConfig.divider): radix-2 restoring division on the
// core's ALU like the 'shared' one (divider-shared.ts), but with no adder of
// its own at all. The magnitudes and the result's sign go through the ALU
// and the register file in extra E steps, which execute.ts sequences:
//
//   step 0  start: the signs, divide-by-zero and "divisor fits 32 bits" are
//           taken from the operands; E re-reads dst on port B
//   step 1  load: the ALU forms |dividend| (NEG or MOV of port B, with the
//           immediate select off) and the unit takes it as the quotient
//           register's start value; E re-reads src (the divisor) on port B
//   step 2  one quotient bit per cycle on the ALU (operand A = the shifted
//           remainder `alt`, a - b, or a + b for a negative signed divisor),
//           then `done`: E writes the unsigned result (y) to dst and, when
//           `fix` says its sign must flip, re-reads dst on port B
//   step 3  (signed results only) the ALU's NEG of dst is written back
//
// That is about 330 LUT4 less than the 'shared' divider (its incrementer,
// operand muxes and byte skip), for one or two cycles more per division.
//
// Small dividends finish early: the dividend's magnitude is consumed from
// bit 7, 15, 31 or 63, the top of the smallest of 8/16/32/64 bits that holds
// it, so 8, 16, 32 or 64 steps (the quotient bits above are zero). The
// divisor does not matter: the comparison stays at the operation's width.
// RFC 9669 section 4.1: x / 0 = 0, x % 0 = x, signed forms truncate (the
// remainder has the dividend's sign), INT_MIN / -1 wraps to INT_MIN and
// INT_MIN % -1 = 0 on their own.

import { C, cat, Module, mux, type Expr } from '../../src/dsl/index.ts';
import { ALU_FN } from './control.ts';

/**
 * Inputs: start (step 0), load (step 1), a (dividend, at start), b (divisor:
 * at start and every step), fn (DIV_FN bits), w32, mag (the ALU's result at
 * load: |dividend|), and the ALU's sum (a +- b) and carries c32 / c64.
 * Outputs, all straight from flip-flops where they steer the ALU (they sit
 * in front of its carry chain, the core's longest path): busy (steps 1 to
 * 3: the ALU is the divider's), alu_fn (its function then: MOV or NEG of
 * port B at load, SUB or ADD while stepping, NEG for the sign fix), b_reg
 * (port B is the register, not the immediate: load and sign fix), alt (ALU
 * operand A while stepping), hold (stepping), done (one cycle), fix (with
 * done: negate the result), y (64; zero but with done).
 */
export function makeCompactDivider(): Module {
  const m = new Module('compact_divider');
  const start = m.input('start', 1);
  const load = m.input('load', 1);
  const a = m.input('a', 64);
  const b = m.input('b', 64);
  const fn = m.input('fn', 4);
  const w32 = m.input('w32', 1);
  const mag = m.input('mag', 64);
  const sum = m.input('sum', 64);
  const c32 = m.input('c32', 1);
  const c64 = m.input('c64', 1);
  const busyOut = m.output('busy', 1);
  const aluFnOut = m.output('alu_fn', 4);
  const bRegOut = m.output('b_reg', 1);
  const altOut = m.output('alt', 64);
  const holdOut = m.output('hold', 1);
  const done = m.output('done', 1);
  const fixOut = m.output('fix', 1);
  const y = m.output('y', 64);

  const rem = m.reg('rem', 64);
  const quo = m.reg('quo', 64);
  const count = m.reg('count', 7);
  const stepping = m.reg('stepping', 1);
  const finishing = m.reg('finishing', 1);
  const narrow = m.reg('narrow', 1);
  // Which bit the dividend is consumed from: 0 bit 7, 1 bit 15, 2 bit 31, 3 bit 63.
  const from = m.reg('from', 2);
  const busy = m.reg('busy_q', 1);
  const aluFn = m.reg('alu_fn_q', 4);
  const bReg = m.reg('b_reg_q', 1);
  const addDivisor = m.reg('add_divisor', 1);
  const fix = m.reg('fix_sign', 1);
  const wantMod = m.reg('want_mod', 1);
  const byZero = m.reg('by_zero', 1);

  const signed = fn.bit(1);
  const top = (v: Expr): Expr => mux(w32, v.bit(31), v.bit(63));
  const aNeg = signed.and(top(a));
  const bNeg = signed.and(top(b));

  // One step: shift the next dividend bit into the remainder, keep r - |d| if it fits.
  const nextBit = mux(from.bit(1), mux(from.bit(0), quo.bit(63), quo.bit(31)), mux(from.bit(0), quo.bit(15), quo.bit(7)));
  const shiftedRem = cat(rem.slice(62, 0), nextBit);
  // The shifted remainder has one bit more than the ALU: when it is set the
  // remainder exceeds |d| for certain and the ALU's low bits are exact.
  const overflowBit = mux(narrow, rem.bit(31), rem.bit(63));
  // Dividing by zero nothing fits: the quotient stays 0 and the remainder
  // ends as the dividend (x / 0 = 0, x % 0 = x).
  const fits = mux(narrow, c32, c64).or(overflowBit).and(byZero.not());

  const fnCode = (f: number): Expr => C(4, f);
  m.If(start, () => {
    m.sync(busy, 1);
    m.sync(bReg, 1);
    m.sync(aluFn, mux(aNeg, fnCode(ALU_FN.NEG), fnCode(ALU_FN.MOV)));
    m.sync(narrow, w32);
    m.sync(addDivisor, bNeg);
    // The remainder takes the dividend's sign, the quotient the product of both.
    m.sync(fix, mux(fn.bit(0), aNeg, aNeg.xor(bNeg)));
    m.sync(wantMod, fn.bit(0));
    m.sync(byZero, mux(w32, b.slice(31, 0).eq(0), b.eq(0)));
  }).Elif(load, () => {
    const fits8 = mag.slice(63, 8).eq(0);
    const fits16 = mag.slice(63, 16).eq(0);
    const fits32 = mag.slice(63, 32).eq(0);
    const at = mux(fits8, C(2, 0), mux(fits16, C(2, 1), mux(fits32, C(2, 2), C(2, 3))));
    m.sync(quo, mag);
    m.sync(rem, 0);
    m.sync(from, at);
    m.sync(count, C(7, 8).shl(at));
    m.sync(stepping, 1);
    m.sync(bReg, 0);
    m.sync(aluFn, mux(addDivisor, fnCode(ALU_FN.ADD), fnCode(ALU_FN.SUB)));
  }).Elif(stepping, () => {
    const left = count.sub(1);
    m.sync(count, left);
    m.If(left.eq(0), () => {
      m.sync(stepping, 0);
      m.sync(finishing, 1);
    });
    m.sync(rem, mux(fits, sum, shiftedRem));
    m.sync(quo, cat(quo.slice(62, 0), fits));
  }).Elif(finishing, () => {
    // The sign fix (step 3) negates port B's dst; without it the division ends here.
    m.sync(finishing, 0);
    m.sync(busy, fix);
    m.sync(bReg, fix);
    m.sync(aluFn, fnCode(ALU_FN.NEG));
  }).Elif(busy, () => {
    m.sync(busy, 0);
    m.sync(bReg, 0);
  });

  m.comb(busyOut, busy);
  m.comb(aluFnOut, aluFn);
  m.comb(bRegOut, bReg);
  m.comb(altOut, shiftedRem);
  m.comb(holdOut, stepping);
  m.comb(done, finishing);
  m.comb(fixOut, fix);
  // Above the bit it started from, the quotient register holds the
  // dividend's shifted-out bits (and a 32-bit form's remainder may hold the
  // ALU's upper-half junk), and the result is zero there: mask it.
  const result = mux(wantMod, rem, quo);
  const keep = (fromAtLeast: number): Expr => finishing.and(from.geU(fromAtLeast)).repl(fromAtLeast === 3 ? 32 : fromAtLeast === 2 ? 16 : 8);
  m.comb(y, cat(
    result.slice(63, 32).and(keep(3)), result.slice(31, 16).and(keep(2)),
    result.slice(15, 8).and(keep(1)), result.slice(7, 0).and(finishing.repl(8)),
  ));
  return m;
}
