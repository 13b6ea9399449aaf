// Maps each ISA table entry to the interpreter's internal operation number
// ("micro-op", the `Op` enum of run-loop.ts), derived from `spec.sem` — never
// from opcode numbers. Each slot is decoded once at load time, so the run
// loop can dispatch with a dense switch over small integers.
//
// Operand fetch is unified: immediates live in a constant pool next to the
// register file, so `add64_imm` and `add64_reg` share the micro-op ADD64 and
// differ only in where their operand index points (see loaded-program.ts).

import type { AluOp, InsnSpec, JmpCond } from '../isa/table.ts';
import { Op } from './run-loop.ts';

/** The micro-op that implements a table entry. Throws only if the table grows a form this file does not know. */
export function microOpFor(spec: InsnSpec): Op {
  const sem = spec.sem;
  let op: Op | undefined;
  switch (sem.kind) {
    case 'alu':
      if (sem.op === 'le' || sem.op === 'be' || sem.op === 'bswap') op = byteOrderOp(sem.op, sem.swapBits);
      else op = sem.width === 64 ? alu64(sem.op) : alu32(sem.op);
      break;
    case 'jmp':
      op = sem.width === 64 ? jump64(sem.cond) : jump32(sem.cond);
      break;
    case 'ja':
      op = Op.JA;
      break;
    case 'call':
      op = sem.target === 'helper' ? Op.CALL_HELPER
        : sem.target === 'local' ? Op.CALL_LOCAL
        : sem.target === 'btf' ? Op.CALL_BTF
        : Op.CALL_REG;
      break;
    case 'exit':
      op = Op.EXIT;
      break;
    case 'lddw':
      op = Op.LDDW;
      break;
    case 'load':
      op = sem.signed
        ? ({ 1: Op.LOADS8, 2: Op.LOADS16, 4: Op.LOADS32 } as Partial<Record<number, Op>>)[sem.bytes]
        : ({ 1: Op.LOAD8, 2: Op.LOAD16, 4: Op.LOAD32, 8: Op.LOAD64 } as Record<number, Op>)[sem.bytes];
      break;
    case 'store':
      op = ({ 1: Op.STORE8, 2: Op.STORE16, 4: Op.STORE32, 8: Op.STORE64 } as Record<number, Op>)[sem.bytes];
      break;
    case 'atomic':
      op = Op.ATOMIC;
      break;
    case 'ldpkt':
      op = Op.LDPKT;
      break;
  }
  if (op === undefined) throw new Error(`interpreter: no micro-op for ISA table entry '${spec.id}'`);
  return op;
}

function alu64(op: AluOp): Op | undefined {
  switch (op) {
    case 'add': return Op.ADD64;
    case 'sub': return Op.SUB64;
    case 'mul': return Op.MUL64;
    case 'div': return Op.DIV64;
    case 'sdiv': return Op.SDIV64;
    case 'or': return Op.OR64;
    case 'and': return Op.AND64;
    case 'lsh': return Op.LSH64;
    case 'rsh': return Op.RSH64;
    case 'neg': return Op.NEG64;
    case 'mod': return Op.MOD64;
    case 'smod': return Op.SMOD64;
    case 'xor': return Op.XOR64;
    case 'mov': return Op.MOV64;
    case 'movsx8': return Op.MOVSX8_64;
    case 'movsx16': return Op.MOVSX16_64;
    case 'movsx32': return Op.MOVSX32_64;
    case 'arsh': return Op.ARSH64;
    default: return undefined;
  }
}

function alu32(op: AluOp): Op | undefined {
  switch (op) {
    case 'add': return Op.ADD32;
    case 'sub': return Op.SUB32;
    case 'mul': return Op.MUL32;
    case 'div': return Op.DIV32;
    case 'sdiv': return Op.SDIV32;
    case 'or': return Op.OR32;
    case 'and': return Op.AND32;
    case 'lsh': return Op.LSH32;
    case 'rsh': return Op.RSH32;
    case 'neg': return Op.NEG32;
    case 'mod': return Op.MOD32;
    case 'smod': return Op.SMOD32;
    case 'xor': return Op.XOR32;
    case 'mov': return Op.MOV32;
    case 'movsx8': return Op.MOVSX8_32;
    case 'movsx16': return Op.MOVSX16_32;
    case 'arsh': return Op.ARSH32;
    default: return undefined;
  }
}

function jump64(cond: JmpCond): Op {
  switch (cond) {
    case 'eq': return Op.JEQ64;
    case 'gt': return Op.JGT64;
    case 'ge': return Op.JGE64;
    case 'set': return Op.JSET64;
    case 'ne': return Op.JNE64;
    case 'sgt': return Op.JSGT64;
    case 'sge': return Op.JSGE64;
    case 'lt': return Op.JLT64;
    case 'le': return Op.JLE64;
    case 'slt': return Op.JSLT64;
    case 'sle': return Op.JSLE64;
  }
}

function jump32(cond: JmpCond): Op {
  switch (cond) {
    case 'eq': return Op.JEQ32;
    case 'gt': return Op.JGT32;
    case 'ge': return Op.JGE32;
    case 'set': return Op.JSET32;
    case 'ne': return Op.JNE32;
    case 'sgt': return Op.JSGT32;
    case 'sge': return Op.JSGE32;
    case 'lt': return Op.JLT32;
    case 'le': return Op.JLE32;
    case 'slt': return Op.JSLT32;
    case 'sle': return Op.JSLE32;
  }
}

/** The host byte order is little-endian: le is a truncation (le64 a no-op), be and bswap swap. */
function byteOrderOp(op: 'le' | 'be' | 'bswap', bits: 16 | 32 | 64 | undefined): Op {
  if (op === 'le') return bits === 16 ? Op.TRUNC16 : bits === 32 ? Op.TRUNC32 : Op.NOP;
  return bits === 16 ? Op.BSWAP16 : bits === 32 ? Op.BSWAP32 : Op.BSWAP64;
}

/** Does executing this spec write its dst register? (Used to reject writes to r10.) */
export function writesDst(spec: InsnSpec): boolean {
  return spec.sem.kind === 'alu' || spec.sem.kind === 'load' || spec.sem.kind === 'lddw';
}
