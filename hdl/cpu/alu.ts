// The single-cycle ALU: add/sub/neg/mov on one shared adder (also the branch
// comparator's subtractor), the bitwise operations, sign/zero extension and
// byte swaps. Shifts, multiply and divide are separate multi-cycle units
// (shifter.ts, muldiv.ts).
//
// Laid out for iCE40 LUT4s: the result is an OR of three sources that are
// each zero unless selected, so every result bit is one LUT over (sum bit,
// logic bit, extension bit, select), and the logic bit is one LUT over
// (a, b, two op-select bits). MOV and NEG force operand A to 0 (in the
// same LUT that picks operand A): MOV is 0 | b, NEG is 0 - b. The
// 32-bit forms clear the upper half through the (global) select signals.

import { C, cat, Module, mux, type Expr } from '../../src/dsl/index.ts';
import { ALU_FN } from './control.ts';

/**
 * `movsx`: the build has the v4 sign-extending moves (else SEXT is left out).
 * Inputs a, b (64), alt (64) with use_alt (operand A is `alt`: atomics'
 * value read), fn (ALU_FN), size (log2 bytes for SEXT/ZEXT/BSWAP), w32.
 * NEG, ZEXT and BSWAP work on operand B (the core reads dst there for
 * them, control bDst). Outputs y (the result, zero-extended from 32 bits
 * when w32), and the raw adder: sum (64), c32 / c64 — the carries out of
 * bit 31 and 63 (for SUB, carry = no borrow), which the branch unit turns
 * into comparisons.
 */
export function makeAlu(opts: { readonly movsx?: boolean } = {}): Module {
  const m = new Module('alu');
  const a = m.input('a', 64);
  const b = m.input('b', 64);
  const alt = m.input('alt', 64);
  const useAlt = m.input('use_alt', 1);
  const fn = m.input('fn', 4);
  const size = m.input('size', 2);
  const w32 = m.input('w32', 1);
  const y = m.output('y', 64);
  const sum = m.output('sum', 64);
  const c32 = m.output('c32', 1);
  const c64 = m.output('c64', 1);

  const is = (...fns: number[]): Expr => fns.map((f) => fn.eq(f)).reduce((p, q) => p.or(q));
  // One adder: a + b, a - b (a + ~b + 1), NEG as 0 - b. MOV is 0 | b on the
  // logic path, off the carry chain (stores' values take it to the LSU).
  const zeroA = is(ALU_FN.MOV, ALU_FN.NEG);
  const invert = is(ALU_FN.SUB, ALU_FN.NEG);
  const x = mux(zeroA, C(64, 0), mux(useAlt, alt, a));
  const yIn = b.xor(invert.repl(64));
  const lo = x.slice(31, 0).zext(33).add(yIn.slice(31, 0).zext(33)).add(invert.zext(33));
  const carry32 = lo.bit(32);
  const hi = x.slice(63, 32).zext(33).add(yIn.slice(63, 32).zext(33)).add(carry32.zext(33));
  const s = cat(hi.slice(31, 0), lo.slice(31, 0));
  m.comb(sum, s);
  m.comb(c32, carry32);
  m.comb(c64, hi.bit(32));

  // Select signals, per half (the upper half's are off for 32-bit forms).
  const upper = w32.not();
  const sumSel = is(ALU_FN.ADD, ALU_FN.SUB, ALU_FN.NEG);
  const isAnd = is(ALU_FN.AND);
  const isOr = is(ALU_FN.OR, ALU_FN.MOV);
  const isXor = is(ALU_FN.XOR);
  // Two bits pick the logic function: 00 none, 01 and, 10 or, 11 xor.
  const g1 = isOr.or(isXor);
  const g0 = isAnd.or(isXor);
  const logic = (av: Expr, bv: Expr, s1: Expr, s0: Expr): Expr =>
    mux(s1, mux(s0, av.xor(bv), av.or(bv)), mux(s0, av.and(bv), C(av.width, 0)));
  const half = (h: 0 | 1, on: Expr): Expr => {
    const [top, bot] = h ? [63, 32] : [31, 0];
    const n = top - bot + 1;
    return s.slice(top, bot).and(sumSel.and(on).repl(n))
      .or(logic(x.slice(top, bot), b.slice(top, bot), g1.and(on).repl(n), g0.and(on).repl(n)));
  };
  const ext = extensions(b, fn, size, w32, opts.movsx ?? true);
  m.comb(y, cat(half(1, upper), half(0, C(1, 1))).or(ext));
  return m;
}

/**
 * SEXT (movsx: the low 1/2/4 bytes of b sign-extended), ZEXT (le: zero-
 * extended) and BSWAP (be/bswap: the low 2/4/8 bytes of b reversed),
 * zero for every other fn and, for 32-bit forms, in the upper half.
 */
function extensions(b: Expr, fn: Expr, size: Expr, w32: Expr, movsx: boolean): Expr {
  // Without movsx (a build leaving v4 out) SEXT never comes: no sign fill.
  const isSext = movsx ? fn.eq(ALU_FN.SEXT) : C(1, 0);
  const isExt = isSext.or(fn.eq(ALU_FN.ZEXT));
  const isSwap = fn.eq(ALU_FN.BSWAP);
  const sign = mux(size.eq(0), b.bit(7), mux(size.eq(1), b.bit(15), b.bit(31)));
  const fill = isSext.and(sign);
  const byte = (v: Expr, i: number): Expr => v.slice(8 * i + 7, 8 * i);
  // Extension: byte i is kept when i < 2^size bytes, else the fill.
  const keep = (i: number): Expr => (i === 0 ? C(1, 1) : i === 1 ? size.ne(0) : i < 4 ? size.geU(2) : size.eq(3));
  // Swap of n bytes: byte i of the result is byte n - 1 - i of b.
  const swapped = (i: number): Expr => {
    const from = (n: number): Expr => (i < n ? byte(b, n - 1 - i) : C(8, 0));
    return mux(size.eq(3), from(8), mux(size.eq(2), from(4), from(2)));
  };
  const bytes: Expr[] = [];
  for (let i = 7; i >= 0; i--) {
    const on = i >= 4 ? w32.not() : C(1, 1);
    const e = mux(keep(i), byte(b, i), fill.repl(8)).and(isExt.and(on).repl(8));
    bytes.push(e.or(swapped(i).and(isSwap.and(on).repl(8))));
  }
  return cat(...bytes);
}
