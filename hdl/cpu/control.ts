// Control words: what each ISA-table entry asks of the datapath, derived
// from `spec.sem` (never from opcode numbers). Plain TS data: the decoder
// (decode.ts) turns the table of control words into logic, the core reads
// the fields, and tests can check the mapping without hardware.

import type { InsnSpec, MemBytes } from '../../src/isa/table.ts';

/** Which unit executes the instruction. */
export const UNIT = {
  ALU: 0, SHIFT: 1, MUL: 2, DIV: 3, JMP: 4, JA: 5, CALL: 6, CALLX: 7,
  CALL_LOCAL: 8, EXIT: 9, LDDW: 10, LOAD: 11, STORE: 12, ATOMIC: 13, LDPKT: 14,
} as const;

/** `fn` for UNIT.ALU. */
export const ALU_FN = { ADD: 0, SUB: 1, AND: 2, OR: 3, XOR: 4, MOV: 5, NEG: 6, SEXT: 7, ZEXT: 8, BSWAP: 9 } as const;
/** `fn` for UNIT.SHIFT. */
export const SHIFT_FN = { LSH: 0, RSH: 1, ARSH: 2 } as const;
/** `fn` bits for UNIT.DIV. */
export const DIV_FN = { MOD: 1, SIGNED: 2 } as const;
/** `fn` for UNIT.JMP: condition in bits 0-2, bit 3 = signed. */
export const JMP_FN = { EQ: 0, NE: 1, GT: 2, GE: 3, LT: 4, LE: 5, SET: 6, SIGNED: 8 } as const;
/** `fn` for UNIT.ATOMIC: operation in bits 0-2, bit 3 = fetch (old value to src). */
export const ATOMIC_FN = { ADD: 0, OR: 1, AND: 2, XOR: 3, XCHG: 4, CMPXCHG: 5, FETCH: 8 } as const;
/** The ALU operation that computes an atomic's new value from (old, src). */
export const ATOMIC_ALU_FN: Readonly<Record<number, number>> = {
  [ATOMIC_FN.ADD]: ALU_FN.ADD, [ATOMIC_FN.OR]: ALU_FN.OR, [ATOMIC_FN.AND]: ALU_FN.AND, [ATOMIC_FN.XOR]: ALU_FN.XOR,
  [ATOMIC_FN.XCHG]: ALU_FN.MOV, [ATOMIC_FN.CMPXCHG]: ALU_FN.MOV,
};
/** `fn` bits for UNIT.LOAD and UNIT.LDPKT. */
export const LOAD_FN = { SIGNED: 1 } as const;
export const LDPKT_FN = { IND: 1 } as const;

/** Size field: log2 of the byte count (memory access, sign extension, byte swap). */
export function sizeCode(bytes: MemBytes): number {
  return bytes === 1 ? 0 : bytes === 2 ? 1 : bytes === 4 ? 2 : 3;
}

export interface Control {
  unit: number;
  fn: number;
  size: number;
  /** 32-bit operation: operands and compare on the low 32 bits, result zero-extended. */
  w32: number;
  /** Operand B is the sign-extended imm (else the src register). */
  imm: number;
  /** Branch target is pc + 1 + imm (ja32, call local) rather than pc + 1 + off. */
  tgtImm: number;
  /** Register port B reads dst rather than src: the ALU's unary operations
   *  (neg, le, be, bswap) take their operand there (see alu.ts). */
  bDst: number;
  /** The ALU function E uses (ALU_FN): the op for ALU instructions, SUB for
   *  jump compares, MOV to pass port B for stores and calls, the combining
   *  op for atomics. Decoded here, so E starts the adder from a register. */
  aluFn: number;
}

/** Field widths of the control word, in packing order (first = least significant). */
export const CONTROL_FIELDS: ReadonlyArray<[keyof Control, number]> = [
  ['unit', 4], ['fn', 4], ['size', 2], ['w32', 1], ['imm', 1], ['tgtImm', 1], ['bDst', 1], ['aluFn', 4],
];

/** Checks the decoder applies besides matching (they pick the fault code). */
export interface RegisterUse {
  usesDst: boolean;
  usesSrc: boolean;
  /** Writes dst: dst = r10 is a bad-register fault. */
  writesDst: boolean;
  /** Writes src (atomic fetch forms): src = r10 is a bad-register fault. */
  writesSrc: boolean;
}

export function registerUse(spec: InsnSpec): RegisterUse {
  const sem = spec.sem;
  return {
    usesDst: spec.uses.dst,
    usesSrc: spec.uses.src,
    writesDst: sem.kind === 'alu' || sem.kind === 'load' || sem.kind === 'lddw',
    writesSrc: sem.kind === 'atomic' && sem.fetch && sem.op !== 'cmpxchg',
  };
}

const ALU_OPS: Record<string, [number, number] | undefined> = {
  // op -> [unit, fn]
  add: [UNIT.ALU, ALU_FN.ADD], sub: [UNIT.ALU, ALU_FN.SUB], and: [UNIT.ALU, ALU_FN.AND],
  or: [UNIT.ALU, ALU_FN.OR], xor: [UNIT.ALU, ALU_FN.XOR], mov: [UNIT.ALU, ALU_FN.MOV],
  neg: [UNIT.ALU, ALU_FN.NEG],
  lsh: [UNIT.SHIFT, SHIFT_FN.LSH], rsh: [UNIT.SHIFT, SHIFT_FN.RSH], arsh: [UNIT.SHIFT, SHIFT_FN.ARSH],
  mul: [UNIT.MUL, 0],
  div: [UNIT.DIV, 0], mod: [UNIT.DIV, DIV_FN.MOD],
  sdiv: [UNIT.DIV, DIV_FN.SIGNED], smod: [UNIT.DIV, DIV_FN.SIGNED | DIV_FN.MOD],
};

const JMP_CONDS: Record<string, number> = {
  eq: JMP_FN.EQ, ne: JMP_FN.NE, gt: JMP_FN.GT, ge: JMP_FN.GE, lt: JMP_FN.LT, le: JMP_FN.LE, set: JMP_FN.SET,
  sgt: JMP_FN.GT | JMP_FN.SIGNED, sge: JMP_FN.GE | JMP_FN.SIGNED,
  slt: JMP_FN.LT | JMP_FN.SIGNED, sle: JMP_FN.LE | JMP_FN.SIGNED,
};

const ATOMIC_OPS: Record<string, number> = {
  add: ATOMIC_FN.ADD, or: ATOMIC_FN.OR, and: ATOMIC_FN.AND, xor: ATOMIC_FN.XOR,
  xchg: ATOMIC_FN.XCHG, cmpxchg: ATOMIC_FN.CMPXCHG,
};

/** The control word of one ISA-table entry. Throws if the table grows a form the datapath does not know. */
export function controlFor(spec: InsnSpec): Control {
  const c = unitControl(spec);
  return { ...c, aluFn: aluFnFor(c) };
}

function aluFnFor(c: Control): number {
  switch (c.unit) {
    case UNIT.ALU:
      return c.fn;
    case UNIT.STORE:
    case UNIT.LDDW:
    case UNIT.CALL:
    case UNIT.CALLX:
    case UNIT.CALL_LOCAL:
      return ALU_FN.MOV;
    case UNIT.ATOMIC:
      return ATOMIC_ALU_FN[c.fn & 7]!;
    default:
      return ALU_FN.SUB;
  }
}

function unitControl(spec: InsnSpec): Control {
  const c: Control = { unit: 0, fn: 0, size: 0, w32: 0, imm: 0, tgtImm: 0, bDst: 0, aluFn: 0 };
  const sem = spec.sem;
  switch (sem.kind) {
    case 'alu': {
      c.w32 = sem.width === 32 ? 1 : 0;
      c.imm = sem.operand === 'imm' ? 1 : 0;
      if (sem.op === 'le' || sem.op === 'be' || sem.op === 'bswap') {
        // le on a little-endian machine only truncates; be and bswap swap.
        c.unit = UNIT.ALU;
        c.fn = sem.op === 'le' ? ALU_FN.ZEXT : ALU_FN.BSWAP;
        c.size = sizeCode((sem.swapBits! / 8) as MemBytes);
        c.bDst = 1;
        return c;
      }
      if (sem.op === 'movsx8' || sem.op === 'movsx16' || sem.op === 'movsx32') {
        c.unit = UNIT.ALU;
        c.fn = ALU_FN.SEXT;
        c.size = sizeCode((Number(sem.op.slice(5)) / 8) as MemBytes);
        return c;
      }
      const uf = ALU_OPS[sem.op];
      if (!uf) break;
      [c.unit, c.fn] = uf;
      if (sem.op === 'neg') c.bDst = 1;
      return c;
    }
    case 'jmp':
      c.unit = UNIT.JMP;
      c.fn = JMP_CONDS[sem.cond]!;
      c.w32 = sem.width === 32 ? 1 : 0;
      c.imm = sem.operand === 'imm' ? 1 : 0;
      return c;
    case 'ja':
      c.unit = UNIT.JA;
      c.tgtImm = sem.target === 'imm' ? 1 : 0;
      return c;
    case 'call':
      if (sem.target === 'local') {
        c.unit = UNIT.CALL_LOCAL;
        c.tgtImm = 1;
      } else {
        c.unit = sem.target === 'reg' ? UNIT.CALLX : UNIT.CALL;
      }
      return c;
    case 'exit':
      c.unit = UNIT.EXIT;
      return c;
    case 'lddw':
      // The low half (imm) comes through the ALU as operand B (aluFn MOV).
      c.unit = UNIT.LDDW;
      c.imm = 1;
      return c;
    case 'load':
      c.unit = UNIT.LOAD;
      c.size = sizeCode(sem.bytes);
      c.fn = sem.signed ? LOAD_FN.SIGNED : 0;
      return c;
    case 'store':
      c.unit = UNIT.STORE;
      c.size = sizeCode(sem.bytes);
      c.imm = sem.operand === 'imm' ? 1 : 0;
      return c;
    case 'atomic':
      c.unit = UNIT.ATOMIC;
      c.size = sizeCode(sem.bytes);
      c.fn = ATOMIC_OPS[sem.op]! | (sem.fetch ? ATOMIC_FN.FETCH : 0);
      return c;
    case 'ldpkt':
      c.unit = UNIT.LDPKT;
      c.size = sizeCode(sem.bytes);
      c.fn = sem.mode === 'ind' ? LDPKT_FN.IND : 0;
      c.imm = 1;
      return c;
  }
  throw new Error(`cpu control: no control word for ISA table entry '${spec.id}'`);
}

/** Pack a control word into one integer (CONTROL_FIELDS order, first field lowest). */
export function packControl(c: Control): number {
  let v = 0;
  let at = 0;
  for (const [name, width] of CONTROL_FIELDS) {
    v |= (c[name] & ((1 << width) - 1)) << at;
    at += width;
  }
  return v;
}

export const CONTROL_BITS = CONTROL_FIELDS.reduce((s, [, w]) => s + w, 0);
