// Parsers for option values shared by several verbs.

import { UserError } from './errors.ts';
import type { ArgRegister } from '../interp/index.ts';

/** `r1=0x10,r3=5` or repeated `--args r1=0x10 --args r3=5` -> register values. */
export function parseArgRegisters(specs: readonly string[]): Partial<Record<ArgRegister, bigint>> {
  const out: Partial<Record<ArgRegister, bigint>> = {};
  for (const spec of specs.flatMap((s) => s.split(','))) {
    const m = /^\s*(r[1-5])\s*=\s*(-?(?:0x[0-9a-f]+|\d+))\s*$/i.exec(spec);
    if (!m) {
      throw new UserError(`--args: '${spec}' is not of the form rN=VALUE with N in 1..5 (e.g. r1=0x10, r3=-1)`);
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

/** Hex bytes, with or without spaces/0x: `aa bb cc` or `aabbcc`. */
export function parseHexBytes(text: string, what: string): Uint8Array {
  const clean = text.replace(/0x/gi, '').replace(/[\s,]/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) {
    throw new UserError(`${what}: '${text.slice(0, 40)}' is not a sequence of hex bytes`);
  }
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
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
