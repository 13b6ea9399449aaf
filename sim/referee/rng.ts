// Seeded PRNG (sfc32 seeded through splitmix32): fast, and identical on every
// platform so a seed reproduces a design and its stimulus exactly.

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.u32() / 4294967296) * n);
  }

  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.u32() / 4294967296 < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  /** Pick a key by weight. */
  weighted<K extends string>(w: Record<K, number>): K {
    const entries = Object.entries(w) as [K, number][];
    const total = entries.reduce((s, [, x]) => s + x, 0);
    let r = (this.u32() / 4294967296) * total;
    for (const [k, x] of entries) {
      r -= x;
      if (r < 0) return k;
    }
    return entries[entries.length - 1]![0];
  }

  /** Uniform random bits. */
  bits(w: number): bigint {
    let v = 0n;
    for (let i = 0; i < w; i += 32) v = (v << 32n) | BigInt(this.u32());
    return v & ((1n << BigInt(w)) - 1n);
  }

  /** Random value biased toward edge cases: 0, 1, all ones, MSB only, MSB-1 ones. */
  edgeBits(w: number): bigint {
    const m = (1n << BigInt(w)) - 1n;
    switch (this.int(8)) {
      case 0:
        return 0n;
      case 1:
        return 1n & m;
      case 2:
        return m;
      case 3:
        return 1n << BigInt(w - 1);
      case 4:
        return m >> 1n;
      default:
        return this.bits(w);
    }
  }
}
