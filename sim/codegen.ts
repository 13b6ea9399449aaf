// Expression builders for the compiled simulator. A value of width w lives in
// k = ceil(w/32) int32 words, least significant first, "canonical": bits at
// and above w in the top word are zero. Every builder returns JS expression
// strings for the output words, given expression strings for the input words.

export function wordsOf(w: number): number {
  return (w + 31) >>> 5;
}

/** Valid bits of word j of a w-bit value. */
export function bitsInWord(w: number, j: number): number {
  return Math.min(32, w - 32 * j);
}

export function maskLit(n: number): string {
  return n >= 32 ? '-1' : `0x${((2 ** n) - 1).toString(16)}`;
}

/** Clamp an expression to n bits (n <= 32) and make it an int32. */
export function norm(e: string, n: number): string {
  return n >= 32 ? `((${e}) | 0)` : `((${e}) & ${maskLit(n)})`;
}

/** Int32 literal for word j of a constant. */
/** Word j (bits 32j..32j+31) of v, as the int32 the state arrays hold. */
export function bigWord(v: bigint, j: number): number {
  return Number((v >> BigInt(32 * j)) & 0xffffffffn) | 0;
}

/** A JS literal of bigWord(v, j). */
export function constWord(v: bigint, j: number): string {
  const x = bigWord(v, j);
  return x < 0 ? `(${x})` : String(x);
}

/**
 * Bits [lo, lo + n) of a value given by `words` (canonical, srcW bits), as a
 * canonical n-bit int32 expression. lo may be negative (zeros shift in) and
 * bits at or above srcW read as zero.
 */
export function bitsAt(words: readonly string[], srcW: number, lo: number, n: number): string {
  const q = Math.floor(lo / 32);
  const r = lo - 32 * q;
  const get = (i: number): string | undefined => (i >= 0 && i < words.length ? words[i] : undefined);
  const terms: string[] = [];
  const w0 = get(q);
  const w1 = r !== 0 ? get(q + 1) : undefined;
  if (w0 !== undefined && w0 !== '0') terms.push(r === 0 ? w0 : `(${w0} >>> ${r})`);
  if (w1 !== undefined && w1 !== '0') terms.push(`(${w1} << ${32 - r})`);
  if (terms.length === 0) return '0';
  const e = terms.join(' | ');
  // Bits of the 32-bit window above n are already zero when they lie at or
  // beyond the source width.
  if (n >= 32) return terms.length === 1 ? e : `(${e})`;
  if (lo + n >= srcW) return terms.length === 1 ? e : `(${e})`;
  return `((${e}) & ${maskLit(n)})`;
}

/** Sign-extend the top word of a w-bit value to a full int32. */
export function signedTop(words: readonly string[], w: number): string {
  const k = words.length;
  const tb = bitsInWord(w, k - 1);
  const top = words[k - 1]!;
  return tb === 32 ? top : `((${top} << ${32 - tb}) >> ${32 - tb})`;
}

/**
 * Remove `const x = ...;` lines whose x nothing reads (every generated
 * const is a pure value), repeatedly: e.g. the bit slices a concatenation
 * gathered straight from their source word. V8 would drop them too, but
 * they count against the function size that decides the chunking.
 */
export function dropDeadConsts(lines: string[]): string[] {
  const IDENT = /[A-Za-z_$][\w$]*/g;
  const defOf = lines.map((l) => /^const ([A-Za-z_$][\w$]*) = /.exec(l)?.[1]);
  const uses = new Map<string, number>();
  const idents = lines.map((l, i) => {
    const ids = l.match(IDENT) ?? [];
    // A definition's own name (after the keyword) is not a use.
    const own = defOf[i];
    const list = own ? ids.slice(2) : ids;
    for (const id of list) uses.set(id, (uses.get(id) ?? 0) + 1);
    return list;
  });
  const lineOf = new Map<string, number>();
  defOf.forEach((d, i) => d && lineOf.set(d, i));
  const dead = new Uint8Array(lines.length);
  const work = [...lineOf.keys()].filter((d) => !uses.get(d));
  while (work.length) {
    const d = work.pop()!;
    const i = lineOf.get(d)!;
    if (dead[i]) continue;
    dead[i] = 1;
    for (const id of idents[i]!) {
      const left = uses.get(id)! - 1;
      uses.set(id, left);
      if (left === 0 && lineOf.has(id)) work.push(id);
    }
  }
  return lines.filter((_, i) => !dead[i]);
}
