// bpf_csum_diff as Linux 6.13 and later compute it (net/core/filter.c, made
// the same on every architecture then; checked against 6.18 by test/xdp):
//
//   ret = seed
//   from and to:  ret = csum_sub(csum_partial(to, seed), csum_partial(from, 0))
//   only to:      ret = csum_partial(to, seed)
//   only from:    ret = ~csum_partial(from, ~seed)
//   return csum_from32to16(ret)
//
// Sizes need not be multiples of 4 (older kernels refused those with
// -EINVAL and returned the unfolded, architecture-dependent 32-bit sum).
// csum_partial is the 32-bit one's complement sum of the bytes as
// little-endian words (a short tail zero-padded), which is 0 only when
// everything summed was 0.

const M = 0xffffffff;

/** csum_partial(bytes, len, seed) on a little-endian machine. */
export function csumPartial(bytes: Uint8Array, seed: number): number {
  let total = seed >>> 0;
  const whole = bytes.length & ~3;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < whole; i += 4) total += view.getUint32(i, true);
  let tail = 0;
  for (let i = bytes.length - 1; i >= whole; i--) tail = tail * 256 + bytes[i]!;
  total += tail;
  if (total === 0) return 0;
  const r = total % M;
  return r === 0 ? M : r;
}

/** 32-bit one's complement addition (end-around carry). */
function csumAdd(a: number, b: number): number {
  const sum = a + b;
  return sum > M ? sum - M : sum;
}

const not32 = (x: number): number => ~x >>> 0;

/** Fold a 32-bit sum to 16 bits, as csum_from32to16. */
export function csumFrom32To16(sum: number): number {
  const rotated = ((sum << 16) | (sum >>> 16)) >>> 0;
  return ((sum + rotated) % 0x100000000) >>> 16;
}

export function csumDiff(from: Uint8Array, to: Uint8Array, seed: number): number {
  let ret = seed >>> 0;
  if (from.length > 0 && to.length > 0) ret = csumAdd(csumPartial(to, ret), not32(csumPartial(from, 0)));
  else if (to.length > 0) ret = csumPartial(to, ret);
  else if (from.length > 0) ret = not32(csumPartial(from, not32(ret)));
  return csumFrom32To16(ret);
}
