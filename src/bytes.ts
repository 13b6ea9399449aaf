// Byte helpers for code that runs in Node and in a browser alike (the
// playground bundles src/xdp): Node's Buffer does not exist in a page.

/** Lower-case hex, two digits a byte, no separators (Buffer's 'hex'). */
export function bytesHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** One character a byte, code points 0-255 (Buffer's 'latin1'). */
export function bytesLatin1(bytes: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]! & 0xff);
  return s;
}

/** Lexicographic byte order, shorter first on a common prefix (Buffer.compare). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** The parts one after another in a new array (Buffer.concat); a part may be a plain list of byte values. */
export function concatBytes(...parts: readonly (Uint8Array | readonly number[])[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
