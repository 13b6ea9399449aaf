// A narrow multi-cycle shifter instead of a ~950-LUT barrel shifter. Left
// shifts run as right shifts of the bit-reversed value (reversed on the way
// in and out), so each bit needs only a small step mux; the vacated bits
// fill with zero, or the sign for arsh. 32-bit shifts pre-extend the low
// half (zero, or sign for arsh) and shift as 64-bit; the result is
// truncated. Two builds (CpuConfig.shifter):
//
//   fast   each cycle moves right by 32, 8 or 1 bits (the largest step that
//          fits the remaining amount), the first step in the start cycle:
//          at most 1 + 3 + 7 steps.
//   small  the start cycle only loads; then steps of 8 or 1 bits: at most
//          1 + 7 + 7 cycles, for ~150 fewer LUTs (the step mux has two
//          inputs instead of four).

import { C, cat, Module, mux, type Expr } from '../../src/dsl/index.ts';
import { reverseBits } from './bytes.ts';
import type { ShifterKind } from './config.ts';
import { SHIFT_FN } from './control.ts';

/** The shifters of their own (the 'dsp' kind shifts on the multiplier, muldiv.ts). */
export type OwnShifterKind = Exclude<ShifterKind, 'dsp'>;

/** Most cycles from start to done, by build ('dsp': the DSP multiplier's, 5). */
export const SHIFTER_MAX_CYCLES: Readonly<Record<ShifterKind, number>> = { fast: 12, small: 16, dsp: 5 };

/**
 * Inputs: start (load a new shift this cycle), a (64), amount (64; masked to
 * 6 or 5 bits), fn (SHIFT_FN), w32. Outputs: done (one cycle, the result is
 * on y), y (64; zero while the unit is idle).
 */
export function makeShifter(kind: OwnShifterKind = 'fast'): Module {
  const m = new Module('shifter');
  const start = m.input('start', 1);
  const a = m.input('a', 64);
  const amount = m.input('amount', 64);
  const fn = m.input('fn', 2);
  const w32 = m.input('w32', 1);
  const done = m.output('done', 1);
  const y = m.output('y', 64);

  const sh = m.reg('sh', 64);
  const left = m.reg('left', 6);
  const active = m.reg('active', 1);
  const reversed = m.reg('reversed', 1);
  const fillReg = m.reg('fill', 1);
  const narrow = m.reg('narrow', 1);

  const isLeft = fn.eq(SHIFT_FN.LSH);
  const arith = fn.eq(SHIFT_FN.ARSH);
  const pre = mux(w32, cat(arith.and(a.bit(31)).repl(32), a.slice(31, 0)), a);
  const loaded = mux(isLeft, reverseBits(pre), pre);
  const fillIn = arith.and(mux(w32, a.bit(31), a.bit(63)));
  const amountIn = mux(w32, amount.slice(4, 0).zext(6), amount.slice(5, 0));
  const load = (): void => {
    m.sync(active, 1);
    m.sync(reversed, isLeft);
    m.sync(fillReg, fillIn);
    m.sync(narrow, w32);
  };

  if (kind === 'fast') {
    const value = mux(start, loaded, sh);
    const fill = mux(start, fillIn, fillReg);
    const k = mux(start, amountIn, left);
    const big = k.geU(32);
    const mid = k.geU(8);
    const some = k.ne(0);
    const right = (s: number): Expr => cat(fill.repl(s), value.slice(63, s));
    const next = mux(big, right(32), mux(mid, right(8), mux(some, right(1), value)));
    const step = mux(big, C(6, 32), mux(mid, C(6, 8), mux(some, C(6, 1), C(6, 0))));
    m.If(start, () => {
      m.sync(sh, next);
      m.sync(left, k.sub(step));
      load();
    }).Elif(active, () => {
      m.sync(sh, next);
      m.sync(left, k.sub(step));
      m.If(left.eq(0), () => m.sync(active, 0));
    });
  } else {
    const mid = left.geU(8);
    const right = (s: number): Expr => cat(fillReg.repl(s), sh.slice(63, s));
    m.If(start, () => {
      m.sync(sh, loaded);
      m.sync(left, amountIn);
      load();
    }).Elif(active.and(left.ne(0)), () => {
      m.sync(sh, mux(mid, right(8), right(1)));
      m.sync(left, left.sub(mux(mid, C(6, 8), C(6, 1))));
    }).Elif(active, () => m.sync(active, 0));
  }
  const out = mux(reversed, reverseBits(sh), sh);
  m.comb(done, active.and(left.eq(0)));
  // Zero while idle, so the core can OR the multi-cycle units' results.
  m.comb(y, cat(out.slice(63, 32).and(narrow.not().and(active).repl(32)), out.slice(31, 0).and(active.repl(32))));
  return m;
}
