// 64-bit arithmetic on (lo, hi) int32 pairs, the register representation of
// the run loop. The common operations are inlined in the loop; this file has
// the ones that are too long to inline or rare enough to use BigInt.

/** High 32 bits of the unsigned 64-bit product of two uint32 values, via 16-bit limbs (exact in doubles). */
export function mulHighU32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const low = a0 * b0;
  const mid1 = a1 * b0 + (low >>> 16);
  const mid2 = a0 * b1 + (mid1 & 0xffff);
  return (a1 * b1 + (mid1 >>> 16) + (mid2 >>> 16)) | 0;
}

export function toU64(lo: number, hi: number): bigint {
  // One BigInt instead of three for a value below 2^32 (the usual r0).
  if (hi === 0) return BigInt(lo >>> 0);
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

export function toS64(lo: number, hi: number): bigint {
  return BigInt.asIntN(64, toU64(lo, hi));
}

/** Write a bigint (taken modulo 2^64) into v[i] (lo) and v[i+1] (hi). */
export function storeU64(v: Int32Array, i: number, value: bigint): void {
  const u = BigInt.asUintN(64, value);
  v[i] = Number(u & 0xffffffffn) | 0;
  v[i + 1] = Number(u >> 32n) | 0;
}

// Division and modulo: RFC 9669 section 4.1. Division by zero gives 0; modulo
// by zero leaves dst unchanged; signed forms truncate toward zero (C
// semantics), and INT64_MIN / -1 wraps to INT64_MIN (INT64_MIN % -1 = 0).
// 64-bit division is rare in eBPF programs, so values that do not fit 32 bits
// take a BigInt path; both fit -> plain doubles.

/** v[d] = v[d] / v[s], unsigned 64-bit. */
export function udiv64(v: Int32Array, d: number, s: number): void {
  const bLo = v[s]!, bHi = v[s + 1]!;
  if ((bLo | bHi) === 0) { v[d] = 0; v[d + 1] = 0; return; }
  const aLo = v[d]!, aHi = v[d + 1]!;
  if (aHi === 0 && bHi === 0) { v[d] = ((aLo >>> 0) / (bLo >>> 0)) | 0; return; }
  storeU64(v, d, toU64(aLo, aHi) / toU64(bLo, bHi));
}

/** v[d] = v[d] % v[s], unsigned 64-bit; unchanged when v[s] is 0. */
export function umod64(v: Int32Array, d: number, s: number): void {
  const bLo = v[s]!, bHi = v[s + 1]!;
  if ((bLo | bHi) === 0) return;
  const aLo = v[d]!, aHi = v[d + 1]!;
  if (aHi === 0 && bHi === 0) { v[d] = ((aLo >>> 0) % (bLo >>> 0)) | 0; return; }
  storeU64(v, d, toU64(aLo, aHi) % toU64(bLo, bHi));
}

/** v[d] = v[d] s/ v[s], signed 64-bit. */
export function sdiv64(v: Int32Array, d: number, s: number): void {
  const bLo = v[s]!, bHi = v[s + 1]!;
  if ((bLo | bHi) === 0) { v[d] = 0; v[d + 1] = 0; return; }
  storeU64(v, d, toS64(v[d]!, v[d + 1]!) / toS64(bLo, bHi));
}

/** v[d] = v[d] s% v[s], signed 64-bit; unchanged when v[s] is 0. */
export function smod64(v: Int32Array, d: number, s: number): void {
  const bLo = v[s]!, bHi = v[s + 1]!;
  if ((bLo | bHi) === 0) return;
  storeU64(v, d, toS64(v[d]!, v[d + 1]!) % toS64(bLo, bHi));
}

export function bswap32(x: number): number {
  return ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
}

export function hex64(value: bigint): string {
  return `0x${BigInt.asUintN(64, value).toString(16)}`;
}
