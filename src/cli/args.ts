// Parsers for option values shared by several verbs.

import { UserError } from './errors.ts';
import type { ArgRegister } from '../interp/index.ts';
import { quote } from '../quote.ts';

/** `r1=0x10,r3=5` or repeated `--args r1=0x10 --args r3=5` -> register values. */
export function parseArgRegisters(specs: readonly string[]): Partial<Record<ArgRegister, bigint>> {
  const out: Partial<Record<ArgRegister, bigint>> = {};
  for (const spec of specs.flatMap((s) => s.split(','))) {
    const m = /^\s*(r[1-5])\s*=\s*(-?(?:0x[0-9a-f]+|\d+))\s*$/i.exec(spec);
    if (!m) {
      throw new UserError(`--args: ${quote(spec)} is not of the form rN=VALUE with N in 1..5 (e.g. r1=0x10, r3=-1)`);
    }
    const reg = m[1]!.toLowerCase() as ArgRegister;
    if (out[reg] !== undefined) throw new UserError(`--args: ${reg} is given twice`);
    const text = m[2]!;
    // BigInt() rejects '-0x..', so negate separately.
    const magnitude = BigInt(text.startsWith('-') ? text.slice(1) : text);
    const value = text.startsWith('-') ? -magnitude : magnitude;
    if (value < -(1n << 63n) || value >= 1n << 64n) {
      throw new UserError(`--args: ${reg}=${text} does not fit in 64 bits`);
    }
    out[reg] = BigInt.asUintN(64, value);
  }
  return out;
}

/**
 * Hex bytes: one run of digits (`aabbcc`, `0xaabbcc`), or tokens separated by
 * whitespace or commas, each a run of whole bytes (`aa bb`, `4500 003c`) or
 * one 0x-prefixed byte (`0x1 0x2`). Anything else is refused rather than
 * guessed: gluing `1 2` into 0x12 gave silently wrong input.
 */
export function parseHexBytes(text: string, what: string): Uint8Array {
  const tokens = text.split(/[\s,]+/).filter((t) => t !== '');
  const separated = tokens.length > 1;
  const out: number[] = [];
  for (const token of tokens) {
    const where = separated ? `byte ${out.length + 1} ${quote(token)}` : quote(token);
    const bad = (why: string): never => {
      throw new UserError(`${what}: ${where} ${why}`);
    };
    const prefixed = /^0x/i.test(token);
    const digits = prefixed ? token.slice(2) : token;
    if (!/^[0-9a-f]+$/i.test(digits)) bad('is not a sequence of hex bytes');
    if (prefixed && separated && digits.length > 2) bad('is more than one byte: write its bytes in memory order, e.g. "12 34"');
    if (separated && !prefixed && digits.length === 1) bad(`is not a byte: write two hex digits (0${digits}) or 0x${digits}`);
    const oneByte = prefixed && digits.length <= 2;
    if (digits.length % 2 !== 0 && !oneByte) bad('has an odd number of hex digits');
    if (oneByte) out.push(parseInt(digits, 16));
    else for (let k = 0; k < digits.length; k += 2) out.push(parseInt(digits.slice(k, k + 2), 16));
  }
  return Uint8Array.from(out);
}

/** A positive integer option value. */
export function parsePositiveInt(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) throw new UserError(`${what}: '${text}' is not a positive whole number`);
  return n;
}

export function hex64(v: bigint): string {
  return `0x${BigInt.asUintN(64, v).toString(16)}`;
}
