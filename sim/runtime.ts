// Helpers the generated simulator code calls. Kept tiny and monomorphic so V8
// inlines them. Wide variable shifts (> 64 bits) work on a scratch Int32Array
// T: input words in T[0..k), result in T[k..2k).

/** Parity of a 32-bit word. */
export function par(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  return (0x6996 >>> (x & 15)) & 1;
}

/** The 32 bits of x in reverse order (as an int32). */
export function rev32(x: number): number {
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  return (x >>> 16) | (x << 16);
}

export function vshl(T: Int32Array, k: number, am: number): void {
  const q = am >>> 5;
  const r = am & 31;
  for (let j = 0; j < k; j++) {
    const s = j - q;
    let v = 0;
    if (s >= 0) {
      v = T[s]! << r;
      if (r !== 0 && s >= 1) v |= T[s - 1]! >>> (32 - r);
    }
    T[k + j] = v;
  }
}

export function vshr(T: Int32Array, k: number, am: number): void {
  const q = am >>> 5;
  const r = am & 31;
  for (let j = 0; j < k; j++) {
    const s = j + q;
    let v = s < k ? T[s]! >>> r : 0;
    if (r !== 0 && s + 1 < k) v |= T[s + 1]! << (32 - r);
    T[k + j] = v | 0;
  }
}

/** T[k-1] must already be sign-extended to a full int32. */
export function vsar(T: Int32Array, k: number, am: number): void {
  const fill = T[k - 1]! >> 31;
  const q = am >>> 5;
  const r = am & 31;
  for (let j = 0; j < k; j++) {
    const s = j + q;
    const lo = s < k ? T[s]! : fill;
    let v = lo >>> r;
    if (r !== 0) v |= (s + 1 < k ? T[s + 1]! : fill) << (32 - r);
    T[k + j] = v | 0;
  }
}
