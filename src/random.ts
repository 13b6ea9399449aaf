// The project's one seeded PRNG (mulberry32): small, fast and identical on
// every platform, so a seed reproduces a fuzz case, a random design, a test
// input or an XDP run's bpf_get_prandom_u32 sequence exactly. Not for secrets.

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform 32-bit unsigned integer (the raw mulberry32 output). */
  u32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform float in [0, 1), like Math.random(). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Integer in [lo, hi] (both included). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)]!;
  }

  /** A key drawn with probability proportional to its weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((s, [, x]) => s + x, 0);
    let r = this.next() * total;
    for (const [k, x] of entries) {
      r -= x;
      if (r < 0) return k;
    }
    return entries[entries.length - 1]![0];
  }

  /** Uniform unsigned 64-bit value. */
  u64(): bigint {
    return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
  }

  /** Uniform value of `w` bits (unsigned). */
  bits(w: number): bigint {
    let v = 0n;
    for (let i = 0; i < w; i += 32) v = (v << 32n) | BigInt(this.u32());
    return v & ((1n << BigInt(w)) - 1n);
  }

  /** A `w`-bit value biased toward edge cases: 0, 1, all ones, the MSB alone, all but the MSB. */
  edgeBits(w: number): bigint {
    const m = (1n << BigInt(w)) - 1n;
    switch (this.below(8)) {
      case 0: return 0n;
      case 1: return 1n & m;
      case 2: return m;
      case 3: return 1n << BigInt(w - 1);
      case 4: return m >> 1n;
      default: return this.bits(w);
    }
  }

  /** `n` uniform bytes. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      let x = this.u32();
      for (let j = i; j < Math.min(n, i + 4); j++, x >>>= 8) out[j] = x & 0xff;
    }
    return out;
  }

  /** An independent generator seeded from this one (for a sub-task that must not shift this stream). */
  fork(): Rng {
    return new Rng(this.u32() ^ 0x5bd1e995);
  }
}
