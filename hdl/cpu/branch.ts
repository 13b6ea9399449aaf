// Conditional-jump decision from the ALU's subtractor (a - b): unsigned
// order from the carry, signed order from sign and overflow — for the 64-bit
// compare and (low halves, carry out of bit 31) the 32-bit JMP32 compare.
// Equality compares the operands directly.

import { Module, mux, type Expr } from '../../src/dsl/index.ts';
import { JMP_FN } from './control.ts';

/**
 * Inputs a, b (the operands), sum = a - b, c32/c64 (carries out of bits 31
 * and 63 of a + ~b + 1), fn (JMP_FN), w32. Output taken.
 */
export function makeBranch(): Module {
  const m = new Module('branch');
  const a = m.input('a', 64);
  const b = m.input('b', 64);
  const sum = m.input('sum', 64);
  const c32 = m.input('c32', 1);
  const c64 = m.input('c64', 1);
  const fn = m.input('fn', 4);
  const w32 = m.input('w32', 1);
  const taken = m.output('taken', 1);

  const top = (v: Expr): Expr => mux(w32, v.bit(31), v.bit(63));
  // Equality straight from the operands (a tree), not from the difference,
  // which waits for the adder's carry chain.
  const same = a.xor(b);
  const eq = mux(w32, same.slice(31, 0).eq(0), same.eq(0));
  const ltU = mux(w32, c32, c64).not();
  const sa = top(a);
  const sb = top(b);
  const sd = top(sum);
  const overflow = sa.xor(sb).and(sd.xor(sa));
  const ltS = sd.xor(overflow);
  const lt = mux(fn.bit(3), ltS, ltU);
  const anySet = mux(w32, a.slice(31, 0).and(b.slice(31, 0)).any(), a.and(b).any());

  const t = m.wire('t', 1);
  m.Switch(fn.slice(2, 0))
    .Case(JMP_FN.EQ, () => m.comb(t, eq))
    .Case(JMP_FN.NE, () => m.comb(t, eq.not()))
    .Case(JMP_FN.GT, () => m.comb(t, lt.or(eq).not()))
    .Case(JMP_FN.GE, () => m.comb(t, lt.not()))
    .Case(JMP_FN.LT, () => m.comb(t, lt))
    .Case(JMP_FN.LE, () => m.comb(t, lt.or(eq)))
    .Case(JMP_FN.SET, () => m.comb(t, anySet))
    .Default(() => m.comb(t, 0));
  m.comb(taken, t);
  return m;
}
