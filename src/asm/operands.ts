// Parsers for single operands: registers, memory references, immediates and
// jump targets. Each takes the operand text and where it sits, and throws an
// AsmError pointing at the offending character on bad input.

import { asmError, type SourcePos } from './errors.ts';
import { imm32FromLiteral, imm64FromLiteral, OFF16_MAX, OFF16_MIN, parseLiteral } from './numbers.ts';

export const MAX_REGISTER = 10;

/** Does this operand look like an attempt at a register (so `%r50` is a bad register, not a bad number)? */
export function looksLikeRegister(text: string): boolean {
  return text.startsWith('%') || /^r\d+$/i.test(text);
}

export function parseRegister(text: string, at: SourcePos): number {
  const m = /^%?r(\d+)$/i.exec(text);
  if (!m) {
    throw asmError(at, `Invalid register '${text}': expected %r0..%r10`);
  }
  const n = Number(m[1]);
  if (n > MAX_REGISTER) throw asmError(at, `Invalid register '${text}': eBPF has %r0..%r10`);
  return n;
}

export function parseImm32(text: string, at: SourcePos): number {
  const lit = parseLiteral(text);
  if (!lit) throw asmError(at, `expected an immediate (decimal or 0x hex), got '${text}'`);
  const r = imm32FromLiteral(lit);
  if (!r.ok) throw asmError(at, `${r.reason}: ${text}`);
  return r.value;
}

/** lddw's immediate, as the unsigned 64-bit pattern. */
export function parseImm64(text: string, at: SourcePos): bigint {
  const lit = parseLiteral(text);
  if (!lit) throw asmError(at, `expected a 64-bit immediate (decimal or 0x hex), got '${text}'`);
  const r = imm64FromLiteral(lit);
  if (!r.ok) throw asmError(at, `${r.reason}: ${text}`);
  return r.value;
}

export interface MemOperand {
  readonly reg: number;
  readonly off: number;
}

// [reg], [reg+off], [reg-off], spaces allowed inside (\s plus NEL: see ./whitespace.ts).
const MEM = /^\[([\s\u0085]*)([^\]+\-\s\u0085]*)([\s\u0085]*)(?:([+-])([\s\u0085]*)([^\]\s\u0085]*))?[\s\u0085]*\]$/;

export function parseMemory(text: string, at: SourcePos): MemOperand {
  const m = MEM.exec(text);
  if (!m || m[2] === '') {
    throw asmError(at, `malformed memory operand '${text}': expected [%rN], [%rN+off] or [%rN-off]`);
  }
  const regAt = { ...at, column: at.column + 1 + m[1]!.length };
  const reg = parseRegister(m[2]!, regAt);
  if (m[4] === undefined) return { reg, off: 0 };
  const offText = m[6]!;
  const offAt = { ...at, column: regAt.column + m[2]!.length + m[3]!.length + 1 + m[5]!.length };
  const lit = parseLiteral(offText);
  if (!lit || /^[+-]/.test(offText)) {
    throw asmError(offAt, `malformed memory operand '${text}': offset '${offText}' is not a number`);
  }
  const off = m[4] === '-' ? -lit.value : lit.value;
  if (off < BigInt(OFF16_MIN) || off > BigInt(OFF16_MAX)) {
    throw asmError(offAt, `offset ${m[4]}${offText} out of signed 16-bit range (-32768..32767)`);
  }
  return { reg, off: Number(off) };
}

export type Target = { readonly relative: bigint } | { readonly label: string };

const LABEL_NAME = /^[A-Za-z_.$][\w.$]*$/;

/** `+N` / `-N` (slots, relative to the next slot) or a label name. Range is checked by the caller, who knows the field. */
export function parseTarget(text: string, at: SourcePos): Target {
  if (/^[+-]/.test(text)) {
    const lit = parseLiteral(text);
    if (lit) return { relative: lit.value };
  } else if (LABEL_NAME.test(text)) {
    return { label: text };
  }
  throw asmError(at, `expected a jump target (+N, -N or a label), got '${text}'`);
}

export function isLabelName(text: string): boolean {
  return LABEL_NAME.test(text);
}
