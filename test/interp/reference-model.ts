// An independent, deliberately simple BigInt model of RFC 9669 ALU and jump
// semantics, written from the spec text, to cross-check the interpreter's
// hi/lo int32 arithmetic. Driven by `spec.sem` like everything else.

import type { InsnSpec } from '../../src/isa/table.ts';

const M64 = (1n << 64n) - 1n;
const M32 = (1n << 32n) - 1n;

const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);
const u32 = (x: bigint): bigint => BigInt.asUintN(32, x);
const s64 = (x: bigint): bigint => BigInt.asIntN(64, x);
const s32 = (x: bigint): bigint => BigInt.asIntN(32, x);

function swapBytes(x: bigint, bytes: number): bigint {
  let out = 0n;
  for (let i = 0; i < bytes; i++) out = (out << 8n) | ((x >> BigInt(8 * i)) & 0xffn);
  return out;
}

/**
 * New dst for an ALU instruction. `dst` is the old register value, `src` the
 * source operand: a register value, or for imm forms the raw imm (s32).
 */
export function aluReference(spec: InsnSpec, dst: bigint, src: bigint): bigint {
  const sem = spec.sem;
  if (sem.kind !== 'alu') throw new Error(`${spec.id} is not an ALU instruction`);
  dst = u64(dst);
  // Immediates are sign-extended to 64 bits (RFC 9669 4.1), then used like a register.
  const operand = sem.operand === 'imm' ? u64(BigInt.asIntN(32, src)) : u64(src);
  if (sem.op === 'le') return sem.swapBits === 64 ? dst : dst & ((1n << BigInt(sem.swapBits!)) - 1n);
  if (sem.op === 'be' || sem.op === 'bswap') return swapBytes(dst, sem.swapBits! / 8);

  if (sem.width === 64) {
    const a = dst, b = operand;
    switch (sem.op) {
      case 'add': return u64(a + b);
      case 'sub': return u64(a - b);
      case 'mul': return u64(a * b);
      case 'div': return b === 0n ? 0n : a / b;
      case 'sdiv': return b === 0n ? 0n : u64(s64(a) / s64(b));
      case 'mod': return b === 0n ? a : a % b;
      case 'smod': return b === 0n ? a : u64(s64(a) % s64(b));
      case 'or': return a | b;
      case 'and': return a & b;
      case 'xor': return a ^ b;
      case 'lsh': return u64(a << (b & 63n));
      case 'rsh': return a >> (b & 63n);
      case 'arsh': return u64(s64(a) >> (b & 63n));
      case 'neg': return u64(-a);
      case 'mov': return b;
      case 'movsx8': return u64(BigInt.asIntN(8, b));
      case 'movsx16': return u64(BigInt.asIntN(16, b));
      case 'movsx32': return u64(BigInt.asIntN(32, b));
    }
  } else {
    const a = u32(dst), b = u32(operand);
    switch (sem.op) {
      case 'add': return u32(a + b);
      case 'sub': return u32(a - b);
      case 'mul': return u32(a * b);
      case 'div': return b === 0n ? 0n : a / b;
      case 'sdiv': return b === 0n ? 0n : u32(s32(a) / s32(b));
      case 'mod': return b === 0n ? a : a % b;
      case 'smod': return b === 0n ? a : u32(s32(a) % s32(b));
      case 'or': return a | b;
      case 'and': return a & b;
      case 'xor': return a ^ b;
      case 'lsh': return u32(a << (b & 31n));
      case 'rsh': return a >> (b & 31n);
      case 'arsh': return u32(s32(a) >> (b & 31n));
      case 'neg': return u32(-a);
      case 'mov': return b;
      case 'movsx8': return u32(BigInt.asIntN(8, b));
      case 'movsx16': return u32(BigInt.asIntN(16, b));
      case 'movsx32': break;
    }
  }
  throw new Error(`reference model: no rule for ${spec.id}`);
}

/** Is a conditional jump taken? `src` as in aluReference. */
export function jumpReference(spec: InsnSpec, dst: bigint, src: bigint): boolean {
  const sem = spec.sem;
  if (sem.kind !== 'jmp') throw new Error(`${spec.id} is not a conditional jump`);
  const operand = sem.operand === 'imm' ? u64(BigInt.asIntN(32, src)) : u64(src);
  const mask = sem.width === 64 ? M64 : M32;
  const a = u64(dst) & mask, b = operand & mask;
  const sa = sem.width === 64 ? s64(a) : s32(a), sb = sem.width === 64 ? s64(b) : s32(b);
  switch (sem.cond) {
    case 'eq': return a === b;
    case 'ne': return a !== b;
    case 'set': return (a & b) !== 0n;
    case 'gt': return a > b;
    case 'ge': return a >= b;
    case 'lt': return a < b;
    case 'le': return a <= b;
    case 'sgt': return sa > sb;
    case 'sge': return sa >= sb;
    case 'slt': return sa < sb;
    case 'sle': return sa <= sb;
  }
}
