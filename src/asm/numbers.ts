// Integer literals of the conformance assembly syntax and the ranges the
// instruction fields accept. Parsing is separate from range checking so the
// error can say which rule was broken ("decimal out of signed 32-bit range").

import { trim } from './whitespace.ts';

/** A parsed literal: its value and whether it was written in hex. */
export interface Literal {
  readonly value: bigint;
  readonly hex: boolean;
}

const LITERAL = /^([+-]?)(0x[0-9a-f]+|\d+)$/i;

/** Parse `123`, `-5`, `+7`, `0x1f`, `-0x80`. Returns undefined if the text is not a number. */
export function parseLiteral(text: string): Literal | undefined {
  const m = LITERAL.exec(trim(text));
  if (!m) return undefined;
  const magnitude = BigInt(m[2]!);
  return { value: m[1] === '-' ? -magnitude : magnitude, hex: /^0x/i.test(m[2]!) };
}

const I32_MIN = -(1n << 31n);
const I32_MAX = (1n << 31n) - 1n;
const U32_MAX = (1n << 32n) - 1n;
const I64_MIN = -(1n << 63n);
const U64_MAX = (1n << 64n) - 1n;

/**
 * Check a literal for a 32-bit immediate field and return the field value
 * (sign-extended JS number, as `Insn.imm` holds it). Decimal must fit signed
 * 32 bits; hex may also be written as the unsigned 32-bit pattern
 * (`0xffffffff` is -1), which is how the suite writes masks.
 */
export function imm32FromLiteral(lit: Literal): { ok: true; value: number } | { ok: false; reason: string } {
  const v = lit.value;
  if (lit.hex) {
    if (v < I32_MIN || v > U32_MAX) {
      return { ok: false, reason: 'hex immediate out of 32-bit range (-0x80000000..0xffffffff)' };
    }
  } else if (v < I32_MIN || v > I32_MAX) {
    return { ok: false, reason: 'decimal immediate out of signed 32-bit range (-2147483648..2147483647)' };
  }
  return { ok: true, value: Number(BigInt.asIntN(32, v)) };
}

/** 64-bit immediate (lddw): signed or unsigned 64-bit, decimal or hex. Returns the unsigned 64-bit pattern. */
export function imm64FromLiteral(lit: Literal): { ok: true; value: bigint } | { ok: false; reason: string } {
  if (lit.value < I64_MIN || lit.value > U64_MAX) {
    return { ok: false, reason: 'immediate out of 64-bit range (-2^63..2^64-1)' };
  }
  return { ok: true, value: BigInt.asUintN(64, lit.value) };
}

export const OFF16_MIN = -32768;
export const OFF16_MAX = 32767;
export const IMM32_MIN = -2147483648;
export const IMM32_MAX = 2147483647;

export function fitsSigned(value: number | bigint, bits: 16 | 32): boolean {
  const v = BigInt(value);
  return v >= -(1n << BigInt(bits - 1)) && v < 1n << BigInt(bits - 1);
}

/**
 * How the disassembler writes an immediate so the assembler reads back the
 * same bits: small values in signed decimal (readable: -8, 255), large ones
 * as the unsigned hex pattern of the field (masks: 0xffffff00).
 */
export function formatImmediate(value: number | bigint, bits: 32 | 64): string {
  const signed = BigInt.asIntN(bits, BigInt(value));
  if (signed > -65536n && signed < 65536n) return signed.toString();
  return `0x${BigInt.asUintN(bits, signed).toString(16)}`;
}

/** `+N` / `-N`, the relative-target syntax (`+0` included). */
export function formatRelative(n: number): string {
  return n < 0 ? `${n}` : `+${n}`;
}
