// Bit and byte building blocks of the units: rotation by whole bytes,
// per-byte merge and extension of the low 2^size bytes (the load/store
// unit), bit reversal (the shifters).

import { cat, mux, type Expr } from '../../src/dsl/index.ts';

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

/** v with its bits in reverse order (bit 0 becomes the top bit). */
export function reverseBits(v: Expr): Expr {
  return cat(...Array.from({ length: v.width }, (_, i) => v.bit(i)));
}
