// Mutations of real samples, the way a damaged file or a careless edit would
// change them: bytes (bit flips, interesting values in header fields, cuts,
// splices) and text (lines dropped, repeated or swapped, tokens replaced by
// others from a dictionary, odd characters). Every choice comes from the
// case's Rng, so a case replays from its seed.

import type { Rng } from '../random.ts';

/** Byte values and field values that sit on the edges parsers get wrong. */
const EDGE_BYTES = [0x00, 0x01, 0x02, 0x07, 0x08, 0x0f, 0x10, 0x1f, 0x20, 0x3f, 0x40, 0x7f, 0x80, 0x81, 0xfe, 0xff];
const EDGE_U32 = [0, 1, 2, 3, 4, 7, 8, 15, 16, 23, 24, 63, 64, 0x7f, 0x80, 0xff, 0x100, 0xfff, 0x1000, 0xffff, 0x10000,
  0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

/** A field inside a sample: where a structure-aware mutation may write an edge value. */
export interface Field {
  readonly offset: number;
  /** Bytes, little-endian. */
  readonly size: 1 | 2 | 4 | 8;
}

export function edgeValue(rng: Rng, size: number, near?: number): bigint {
  const roll = rng.int(0, 9);
  if (roll < 5) return BigInt.asUintN(size * 8, BigInt(rng.pick(EDGE_U32)));
  if (roll < 7 && near !== undefined) return BigInt.asUintN(size * 8, BigInt(near + rng.int(-16, 16)));
  if (roll < 8) return BigInt.asUintN(size * 8, -BigInt(rng.int(1, 16)));
  return BigInt.asUintN(size * 8, rng.u64());
}

export function writeLe(bytes: Uint8Array, offset: number, size: number, value: bigint): void {
  for (let i = 0; i < size && offset + i < bytes.length; i++) bytes[offset + i] = Number((value >> BigInt(8 * i)) & 0xffn);
}

/**
 * One to a few byte mutations of `sample`. `fields` (header fields, table
 * entries) get edge values; `others` give material to splice in.
 */
export function mutateBytes(rng: Rng, sample: Uint8Array, opts: { fields?: readonly Field[]; others?: readonly Uint8Array[] } = {}): Uint8Array {
  let b: Uint8Array = Uint8Array.from(sample);
  const rounds = rng.chance(0.6) ? 1 : rng.int(2, 6);
  for (let r = 0; r < rounds; r++) {
    const kind = rng.int(0, opts.fields?.length ? 11 : 8);
    const at = b.length === 0 ? 0 : rng.int(0, b.length - 1);
    switch (kind) {
      case 0: // flip one bit
        if (b.length) b[at] = b[at]! ^ (1 << rng.int(0, 7));
        break;
      case 1: // an edge byte
        if (b.length) b[at] = rng.pick(EDGE_BYTES);
        break;
      case 2: // a random byte
        if (b.length) b[at] = rng.int(0, 255);
        break;
      case 3: { // an edge 16/32/64-bit value anywhere
        const size = rng.pick([2, 4, 8] as const);
        writeLe(b, at, size, edgeValue(rng, size, b.length));
        break;
      }
      case 4: // truncate
        b = b.slice(0, rng.int(0, b.length));
        break;
      case 5: { // delete a range
        const len = rng.int(1, Math.max(1, Math.min(64, b.length - at)));
        b = concat(b.subarray(0, at), b.subarray(at + len));
        break;
      }
      case 6: { // insert random bytes
        const ins = Uint8Array.from({ length: rng.int(1, 16) }, () => (rng.chance(0.5) ? rng.pick(EDGE_BYTES) : rng.int(0, 255)));
        b = concat(concat(b.subarray(0, at), ins), b.subarray(at));
        break;
      }
      case 7: { // duplicate a range
        const len = rng.int(1, Math.max(1, Math.min(256, b.length - at)));
        b = concat(concat(b.subarray(0, at + len), b.subarray(at, at + len)), b.subarray(at + len));
        break;
      }
      case 8: { // splice in a piece of another sample (or of this one)
        const other = opts.others?.length ? rng.pick(opts.others) : b;
        if (other.length === 0) break;
        const from = rng.int(0, other.length - 1);
        const piece = other.subarray(from, from + rng.int(1, 128));
        const out = Uint8Array.from(b);
        out.set(piece.subarray(0, Math.max(0, out.length - at)), at);
        b = out;
        break;
      }
      default: { // a structure field gets an edge value (offsets, sizes, counts, indices)
        const f = rng.pick(opts.fields!);
        const current = readLe(b, f.offset, f.size);
        writeLe(b, f.offset, f.size, edgeValue(rng, f.size, current));
      }
    }
  }
  return b;
}

function readLe(bytes: Uint8Array, offset: number, size: number): number {
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + (bytes[offset + i] ?? 0);
  return v;
}

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Characters that break naive text handling: Unicode whitespace, controls, a BOM, astral and lone surrogates. */
export const ODD_CHARS = [
  '\t', '\r', '\v', '\f', '\0', '\u0085', '\u00a0', '\u1680', '\u2000', '\u2028', '\u2029', '\u202f', '\u3000', '\ufeff',
  '\u200b', '\ud800', '\udfff', '\u{1f600}', 'é', '\\', '"', "'", '`', '$', '%', '#', ';', ':', ',', '[', ']', '(', ')',
  '+', '-', '*', '/', '=', '<', '>', '{', '}', '\n', '\r\n', ' ',
];

/** Numbers at the edges of every width an assembler or parser reads. */
export const EDGE_NUMBERS = [
  '0', '1', '-1', '0x0', '0x', '-0x', '0x7f', '0xff', '0x7fff', '-0x8000', '0xffff', '32767', '-32768', '32768', '65535',
  '0x7fffffff', '-0x80000000', '2147483647', '-2147483648', '2147483648', '0xffffffff', '4294967295', '4294967296',
  '0x100000000', '0x7fffffffffffffff', '0x8000000000000000', '0xffffffffffffffff', '18446744073709551615',
  '18446744073709551616', '-9223372036854775808', '-9223372036854775809', '0x1ffffffffffffffff', '00', '08', '0b1', '1e3',
  '1.5', '+1', '--1', '0X1F', '99999999999999999999999999999999', 'NaN', 'Infinity',
];

/** Split text into tokens and the separators between them (joined back, they are the text). */
function tokens(line: string): string[] {
  return line.split(/(\s+|[,[\]+\-:#])/u).filter((t) => t !== '');
}

/**
 * One to a few text mutations: line operations (drop, repeat, swap, take a
 * line from another sample), token replacements from `dictionary`, and
 * odd characters.
 */
export function mutateText(rng: Rng, sample: string, dictionary: readonly string[], others: readonly string[] = []): string {
  let lines = sample.split('\n');
  const rounds = rng.chance(0.5) ? 1 : rng.int(2, 5);
  for (let r = 0; r < rounds; r++) {
    const li = rng.int(0, Math.max(0, lines.length - 1));
    const line = lines[li] ?? '';
    switch (rng.int(0, 10)) {
      case 0:
        lines.splice(li, 1);
        break;
      case 1:
        lines.splice(li, 0, line);
        break;
      case 2: {
        const lj = rng.int(0, Math.max(0, lines.length - 1));
        [lines[li], lines[lj]] = [lines[lj] ?? '', line];
        break;
      }
      case 3: { // a line from another sample
        const other = others.length ? rng.pick(others).split('\n') : lines;
        lines.splice(li, 0, rng.pick(other));
        break;
      }
      case 4:
      case 5:
      case 6: { // replace a token by a dictionary word or an edge number
        const t = tokens(line);
        const word = rng.chance(0.3) ? rng.pick(EDGE_NUMBERS) : rng.pick(dictionary);
        if (t.length === 0) lines[li] = word;
        else t[rng.int(0, t.length - 1)] = word;
        if (t.length) lines[li] = t.join('');
        break;
      }
      case 7: { // insert a token
        const t = tokens(line);
        t.splice(rng.int(0, t.length), 0, rng.pick([' ', ', ', '']), rng.chance(0.5) ? rng.pick(dictionary) : rng.pick(EDGE_NUMBERS));
        lines[li] = t.join('');
        break;
      }
      case 8: { // an odd character
        const at = rng.int(0, line.length);
        const ch = rng.pick(ODD_CHARS);
        lines[li] = rng.chance(0.5) ? line.slice(0, at) + ch + line.slice(at) : line.slice(0, at) + ch + line.slice(at + 1);
        break;
      }
      case 9: // cut the line (or the whole text) short
        if (rng.chance(0.8)) lines[li] = line.slice(0, rng.int(0, line.length));
        else lines = lines.slice(0, li + 1);
        break;
      default: { // a random printable or non-ASCII character
        const at = rng.int(0, line.length);
        const code = rng.chance(0.8) ? rng.int(0x20, 0x7e) : rng.int(0x80, 0xffff);
        lines[li] = line.slice(0, at) + String.fromCharCode(code) + line.slice(at);
      }
    }
  }
  return lines.join('\n');
}

/** A string of random characters (printable mostly), up to `max` long. */
export function randomText(rng: Rng, max: number, alphabet?: string): string {
  const n = rng.int(0, max);
  let s = '';
  for (let i = 0; i < n; i++) {
    if (alphabet) s += alphabet[rng.int(0, alphabet.length - 1)]!;
    else s += rng.chance(0.9) ? String.fromCharCode(rng.int(0x20, 0x7e)) : rng.pick(ODD_CHARS);
  }
  return s;
}

export function randomBytes(rng: Rng, max: number): Uint8Array {
  return Uint8Array.from({ length: rng.int(0, max) }, () => (rng.chance(0.3) ? rng.pick(EDGE_BYTES) : rng.int(0, 255)));
}
