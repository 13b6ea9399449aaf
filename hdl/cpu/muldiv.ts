// Multi-cycle multiply and divide units (RFC 9669 section 4.1 semantics).
//
// Multiplier ('dsp'): SB_MAC16 blocks, 5 cycles (see makeDspMultiplier).
//
// Multiplier ('iterative'): radix-2 shift-add; it stops as soon as the
// remaining multiplier bits are zero, so small multipliers (constants) are
// fast. The low 64 bits of the product are the same signed or unsigned.
//
// Divider ('iterative'): radix-2 restoring division on magnitudes, 32 steps
// when both magnitudes fit 32 bits (every 32-bit division) else 64; while
// the partial remainder is zero, a zero top byte of the dividend is skipped
// in one step (its quotient bits are zero), so small dividends finish early. Signed
// forms negate the quotient when the signs differ and give the remainder the
// dividend's sign (C truncation). x / 0 = 0 and x % 0 = x, decided without
// iterating. INT_MIN / -1 wraps to INT_MIN and INT_MIN % -1 = 0 on their own.

import { C, cat, Module, mux, type Expr } from '../../src/dsl/index.ts';
import { reverseBits } from './bytes.ts';
import { mac16Mul } from '../../src/dsl/primitives/index.ts';
import { DIV_FN, SHIFT_FN } from './control.ts';

/** Inputs start, a, b (64), w32. Outputs done (one cycle), y (64; zero while idle). */
export function makeMultiplier(): Module {
  const m = new Module('multiplier');
  const start = m.input('start', 1);
  const a = m.input('a', 64);
  const b = m.input('b', 64);
  const w32 = m.input('w32', 1);
  const done = m.output('done', 1);
  const y = m.output('y', 64);

  const acc = m.reg('acc', 64);
  const mcand = m.reg('mcand', 64);
  const mplier = m.reg('mplier', 64);
  const active = m.reg('active', 1);
  const narrow = m.reg('narrow', 1);

  m.If(start, () => {
    m.sync(acc, 0);
    m.sync(mcand, mux(w32, a.slice(31, 0).zext(64), a));
    m.sync(mplier, mux(w32, b.slice(31, 0).zext(64), b));
    m.sync(active, 1);
    m.sync(narrow, w32);
  }).Elif(active, () => {
    m.If(mplier.eq(0), () => m.sync(active, 0)).Else(() => {
      m.If(mplier.bit(0), () => m.sync(acc, acc.add(mcand)));
      m.sync(mcand, mcand.shl(1));
      m.sync(mplier, mplier.shr(1));
    });
  });
  m.comb(done, active.and(mplier.eq(0)));
  m.comb(y, gated(acc, narrow, active));
  return m;
}

/**
 * Multiplier ('dsp'): four SB_MAC16 blocks as 16x16 multipliers. Each cycle
 * multiplies one 16-bit limb of a (most significant first) by the four limbs
 * of b, and acc = (acc << 16) + that row, so the low 64 bits of the product
 * build up in 4 cycles (2 for 32-bit operands); done comes the cycle after.
 *
 * The unit keeps no copy of its operands: while `hold` is 1 the core must
 * present the same a and b in the next cycle too (it re-reads the registers
 * on its ports), which saves 128 flip-flops. Otherwise the same ports as the
 * iterative multiplier.
 *
 * With `shifts` (CpuConfig.shifter 'dsp') the same blocks shift too, and the
 * build needs no shifter of its own: a << n is a * 2^n, so b is replaced by
 * the one-hot 2^n (input `shift`, `sfn` the SHIFT_FN). A right shift is the
 * left shift of the bit-reversed value, reversed back (rsh(a, n) =
 * rev(rev(a) << n)); arsh of a negative value is the complement of rsh of
 * its complement. Both the reversal and the complement are folded into the
 * limb select on the way in and into the output mux on the way out, so a
 * shift costs about as many LUTs as one step mux of a shifter register
 * would, and takes the multiplier's 5 cycles (3 for 32-bit) whatever n is.
 */
export function makeDspMultiplier(opts: { readonly shifts?: boolean } = {}): Module {
  const m = new Module('dsp_multiplier');
  const start = m.input('start', 1);
  const a = m.input('a', 64);
  const b = m.input('b', 64);
  const w32 = m.input('w32', 1);
  const shift = opts.shifts ? m.input('shift', 1) : C(1, 0);
  const sfn = opts.shifts ? m.input('sfn', 2) : C(2, 0);
  const done = m.output('done', 1);
  const hold = m.output('hold', 1);
  const y = m.output('y', 64);

  const acc = m.reg('acc', 64);
  const limb = m.reg('limb', 2);
  const active = m.reg('active', 1);
  const finished = m.reg('finished', 1);
  const narrow = m.reg('narrow', 1);

  // The limb multiplied this cycle: the top one on start (3, or 1 for 32-bit).
  const cur = mux(start, mux(w32, C(2, 1), C(2, 3)), limb);
  const wide = mux(start, w32.not(), narrow.not());
  const limbOf = (v: Expr, i: Expr): Expr => mux(i.eq(0), v.slice(15, 0), mux(i.eq(1), v.slice(31, 16), mux(i.eq(2), v.slice(47, 32), v.slice(63, 48))));
  let aLimb = limbOf(a, cur);
  let bIn: Expr = b;
  let fixOutput = (v: Expr): Expr => v;
  if (opts.shifts) {
    // Shift flags, from the inputs on start and registered for the rest.
    const revIn = shift.and(sfn.ne(SHIFT_FN.LSH));
    const invIn = shift.and(sfn.eq(SHIFT_FN.ARSH)).and(mux(w32, a.bit(31), a.bit(63)));
    const revReg = m.reg('rev', 1);
    const invReg = m.reg('inv', 1);
    m.If(start, () => {
      m.sync(revReg, revIn);
      m.sync(invReg, invIn);
    });
    const rev = mux(start, revIn, revReg);
    const inv = mux(start, invIn, invReg);
    // Limb i of rev(a) is limb 3 - i of a (1 - i for 32 bits) bit-reversed.
    const mirror = mux(wide, cur.not(), cur.xor(C(2, 1)));
    aLimb = mux(rev, reverseBits(limbOf(a, mirror)), aLimb).xor(inv.repl(16));
    // The one-hot 2^n from two one-hot halves of n (n < 32 for 32-bit shifts).
    const n = mux(w32, b.slice(4, 0).zext(6), b.slice(5, 0));
    const hiHot = Array.from({ length: 8 }, (_, i) => n.slice(5, 3).eq(i));
    const loHot = Array.from({ length: 8 }, (_, i) => n.slice(2, 0).eq(i));
    const hot = cat(...Array.from({ length: 64 }, (_, k) => hiHot[(63 - k) >> 3]!.and(loHot[(63 - k) & 7]!)));
    bIn = mux(shift, hot, b);
    fixOutput = (v: Expr): Expr => {
      const back = mux(narrow, reverseBits(v.slice(31, 0)).zext(64), reverseBits(v));
      return mux(revReg, back, v).xor(invReg.repl(64));
    };
  }
  const bLimb = (j: number): Expr => (j < 2 ? bIn.slice(16 * j + 15, 16 * j) : bIn.slice(16 * j + 15, 16 * j).and(wide.repl(16)));
  const p = [0, 1, 2, 3].map((j) => m.instance(`mac${j}`, mac16Mul(), { A: aLimb, B: bLimb(j) }).o.O as Expr);
  // The row a_i * b (mod 2^64): even partial products side by side, odd ones shifted by 16.
  const even = cat(p[2]!, p[0]!);
  const odd = cat(p[3]!.slice(15, 0), p[1]!, C(16, 0));
  const shifted = mux(start, C(64, 0), cat(acc.slice(47, 0), C(16, 0)));
  const next = shifted.add(even).add(odd);

  m.sync(finished, 0);
  m.If(start.or(active), () => {
    m.sync(acc, next);
    m.sync(limb, cur.sub(1));
    m.sync(active, cur.ne(0));
    m.sync(finished, cur.eq(0));
  });
  m.If(start, () => m.sync(narrow, w32));
  m.comb(hold, start.or(active).and(cur.ne(0)));
  m.comb(done, finished);
  m.comb(y, gated(fixOutput(acc), narrow, finished));
  return m;
}


/** Inputs start, a (dividend), b (divisor), fn (DIV_FN bits), w32. Outputs done (one cycle), y (64; zero while idle). */
export function makeDivider(): Module {
  const m = new Module('divider');
  const start = m.input('start', 1);
  const a = m.input('a', 64);
  const b = m.input('b', 64);
  const fn = m.input('fn', 4);
  const w32 = m.input('w32', 1);
  const done = m.output('done', 1);
  const y = m.output('y', 64);

  const quo = m.reg('quo', 64);
  const rem = m.reg('rem', 64);
  const divisor = m.reg('divisor', 64);
  const count = m.reg('count', 7);
  const active = m.reg('active', 1);
  const negQ = m.reg('neg_q', 1);
  const negR = m.reg('neg_r', 1);
  const wantMod = m.reg('want_mod', 1);
  const narrow = m.reg('narrow', 1);
  const byZero = m.reg('by_zero', 1);

  // Magnitudes of the operands at their width.
  const signed = fn.bit(1);
  const negA = signed.and(mux(w32, a.bit(31), a.bit(63)));
  const negB = signed.and(mux(w32, b.bit(31), b.bit(63)));
  const magA = magnitude(a, negA, w32);
  const magB = magnitude(b, negB, w32);
  const short = magA.slice(63, 32).eq(0).and(magB.slice(63, 32).eq(0));

  // One restoring step: shift the next dividend bit into the remainder and
  // subtract the divisor when it fits. Dividing by zero every step fits, so
  // the remainder ends as the dividend (x % 0 = x) and the quotient, all
  // ones, is masked to 0 at the end.
  const shifted = cat(rem, quo.bit(63));
  const diff = shifted.sub(divisor.zext(65));
  const fits = diff.bit(64).not();

  m.If(start, () => {
    m.sync(quo, mux(short, magA.shl(32), magA));
    m.sync(rem, C(64, 0));
    m.sync(divisor, magB);
    m.sync(count, mux(short, C(7, 32), C(7, 64)));
    m.sync(active, 1);
    m.sync(negQ, negA.xor(negB));
    m.sync(negR, negA);
    m.sync(wantMod, fn.bit(0));
    m.sync(narrow, w32);
    m.sync(byZero, magB.eq(0));
  }).Elif(active, () => {
    m.If(count.eq(0), () => m.sync(active, 0))
      .Elif(rem.eq(0).and(quo.slice(63, 56).eq(0)).and(count.geU(8)), () => {
        m.sync(quo, quo.shl(8));
        m.sync(count, count.sub(8));
      })
      .Else(() => {
        m.sync(rem, mux(fits, diff.slice(63, 0), shifted.slice(63, 0)));
        m.sync(quo, cat(quo.slice(62, 0), fits));
        m.sync(count, count.sub(1));
      });
  });

  const quotient = quo.and(byZero.not().repl(64));
  const result = magnitude(mux(wantMod, rem, quotient), mux(wantMod, negR, negQ), narrow);
  m.comb(done, active.and(count.eq(0)));
  m.comb(y, result.and(active.repl(64)));
  return m;
}

/** A result zero-extended from 32 bits when `narrow`, and zero unless `valid` (units are ORed together). */
function gated(v: Expr, narrow: Expr, valid: Expr): Expr {
  return cat(v.slice(63, 32).and(narrow.not().and(valid).repl(32)), v.slice(31, 0).and(valid.repl(32)));
}

/**
 * v or -v (when `negate`), at 32 bits zero-extended (w32) or 64 bits: one
 * adder, (v ^ -negate) + negate.
 */
function magnitude(v: Expr, negate: Expr, w32: Expr): Expr {
  const r = v.xor(negate.repl(64)).add(negate.zext(64));
  return cat(r.slice(63, 32).and(w32.not().repl(32)), r.slice(31, 0));
}
