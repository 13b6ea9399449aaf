// Bit and byte building blocks of the units: rotation by whole bytes,
// per-byte merge and extension of the low 2^size bytes (the load/store
// unit), bit reversal (the shifters).

import { C, cat, mux, type Expr } from '../../src/dsl/index.ts';

/** Rotate a 64-bit value left by `by` (3 bits) bytes: three levels of 2:1 muxes. */
export function rotateBytesLeft(v: Expr, by: Expr): Expr {
  let x = v;
  for (const level of [0, 1, 2]) {
    const n = 8 << level; // bits
    const r = cat(x.slice(63 - n, 0), x.slice(63, 64 - n));
    x = mux(by.bit(level), r, x);
  }
  return x;
}

/** Bytes of `hi` where `lanes` has a 1, else bytes of `lo`. */
export function mergeBytes(lo: Expr, hi: Expr, lanes: Expr): Expr {
  const bytes: Expr[] = [];
  for (let i = 7; i >= 0; i--) bytes.push(mux(lanes.bit(i), hi.slice(8 * i + 7, 8 * i), lo.slice(8 * i + 7, 8 * i)));
  return cat(...bytes);
}

/** The low 2^size bytes of v, zero- or sign-extended: per byte group, keep or fill. */
export function extend(v: Expr, size: Expr, signed: Expr): Expr {
  const sign = mux(size.eq(0), v.bit(7), mux(size.eq(1), v.bit(15), v.bit(31)));
  const fill = signed.and(sign);
  const group = (hi: number, lo: number, keep: Expr): Expr => mux(keep, v.slice(hi, lo), fill.repl(hi - lo + 1));
  return cat(group(63, 32, size.eq(3)), group(31, 16, size.geU(2)), group(15, 8, size.ne(0)), v.slice(7, 0));
}

/**
 * extend(v, size, signed), but v as it is when `raw` and zero when `zero`
 * (which wins): folded into one keep and one fill signal per byte, so each
 * result bit is one LUT over (v bit, keep, fill).
 */
export function extendOrZero(v: Expr, size: Expr, signed: Expr, raw: Expr, zero: Expr): Expr {
  const sign = mux(size.eq(0), v.bit(7), mux(size.eq(1), v.bit(15), v.bit(31)));
  const live = zero.not();
  const fill = signed.and(sign).and(raw.not()).and(live);
  const bytes: Expr[] = [];
  for (let i = 7; i >= 0; i--) {
    const inSize = i === 0 ? C(1, 1) : i === 1 ? size.ne(0) : i < 4 ? size.geU(2) : size.eq(3);
    const keep = inSize.or(raw).and(live);
    bytes.push(v.slice(8 * i + 7, 8 * i).and(keep.repl(8)).or(keep.not().and(fill).repl(8)));
  }
  return cat(...bytes);
}

/** v with its bits in reverse order (bit 0 becomes the top bit). */
export function reverseBits(v: Expr): Expr {
  return cat(...Array.from({ length: v.width }, (_, i) => v.bit(i)));
}
