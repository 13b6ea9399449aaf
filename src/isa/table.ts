// The one ISA table. Every eBPF instruction bpfgate knows is described here
// exactly once; the assembler, disassembler, interpreter, hardware decoder and
// the tests all read this list (or the indexes built from it in ./lookup.ts).
//
// The list is generated from a few small per-class tables (the ALU operations,
// the jump conditions, the memory sizes, the atomic operations) because that is
// how RFC 9669 itself is structured; the product is a flat array of
// `InsnSpec`, one per (opcode, discriminating field) combination.

import { CLS, MODE, SIZE, SRC } from './encoding.ts';

export type Group = 'base32' | 'base64' | 'atomic32' | 'atomic64' | 'divmul32' | 'divmul64' | 'packet';

/** ISA version (LLVM's -mcpu=vN) that introduced the instruction. */
export type IsaVersion = 1 | 2 | 3 | 4;

export type AluOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'sdiv' | 'or' | 'and' | 'lsh' | 'rsh' | 'neg'
  | 'mod' | 'smod' | 'xor' | 'mov' | 'movsx8' | 'movsx16' | 'movsx32' | 'arsh'
  | 'le' | 'be' | 'bswap';

export type JmpCond = 'eq' | 'gt' | 'ge' | 'set' | 'ne' | 'sgt' | 'sge' | 'lt' | 'le' | 'slt' | 'sle';

export type AtomicOp = 'add' | 'or' | 'and' | 'xor' | 'xchg' | 'cmpxchg';

export type MemBytes = 1 | 2 | 4 | 8;

/**
 * What an instruction does, in a form every consumer can switch on. The
 * interpreter implements these; the hardware decoder maps them to control
 * signals; the assembler derives operand syntax from `shape`, not from here.
 */
export type Semantics =
  | { kind: 'alu'; op: AluOp; width: 32 | 64; operand: 'reg' | 'imm' | 'none'; swapBits?: 16 | 32 | 64 }
  | { kind: 'jmp'; cond: JmpCond; width: 32 | 64; operand: 'reg' | 'imm' }
  | { kind: 'ja'; target: 'off' | 'imm' }
  | { kind: 'call'; target: 'helper' | 'local' | 'btf' | 'reg' }
  | { kind: 'exit' }
  | { kind: 'lddw' }
  | { kind: 'load'; bytes: MemBytes; signed: boolean }
  | { kind: 'store'; bytes: MemBytes; operand: 'reg' | 'imm' }
  | { kind: 'atomic'; op: AtomicOp; fetch: boolean; bytes: 4 | 8 }
  | { kind: 'ldpkt'; mode: 'abs' | 'ind'; bytes: 1 | 2 | 4 };

/**
 * Operand syntax of the bpf_conformance assembly language, one per family:
 *   alu-reg     add %r1, %r2          alu-imm     add %r1, 5
 *   alu-unary   neg %r1               endian      be16 %r1
 *   jmp-reg     jeq %r1, %r2, +3      jmp-imm     jeq %r1, 5, label
 *   ja          ja +3                 ja32        ja32 label      (target in imm)
 *   call-imm    call 5 / call runtime 5   call-local  call local label
 *   call-reg    call %r2              exit        exit
 *   lddw        lddw %r1, 0x1122334455667788
 *   load        ldxw %r0, [%r1+4]     store-imm   stw [%r1+4], 5
 *   store-reg   stxw [%r1+4], %r2     atomic      lock fetch add [%r1+0], %r2
 *   ldabs       ldabsw 12             ldind       ldindw %r1, 12
 */
export type Shape =
  | 'alu-reg' | 'alu-imm' | 'alu-unary' | 'endian'
  | 'jmp-reg' | 'jmp-imm' | 'ja' | 'ja32'
  | 'call-imm' | 'call-local' | 'call-reg' | 'exit'
  | 'lddw' | 'load' | 'store-imm' | 'store-reg' | 'atomic'
  | 'ldabs' | 'ldind';

/** Which fields an instruction reads as operands. Fields neither used nor fixed must be zero. */
export interface FieldUse {
  dst: boolean;
  src: boolean;
  off: boolean;
  imm: boolean;
}

export interface InsnSpec {
  /** Unique, stable identifier, e.g. `add64_imm`, `jeq32_reg`, `atomic64_fetch_add`. */
  readonly id: string;
  /** Assembler mnemonic (conformance syntax); `lock fetch add32` for atomics. */
  readonly mnemonic: string;
  readonly opcode: number;
  /** Field values that select this instruction among those sharing the opcode. */
  readonly fixed: Readonly<{ src?: number; off?: number; imm?: number }>;
  readonly uses: Readonly<FieldUse>;
  readonly shape: Shape;
  readonly group: Group;
  readonly version: IsaVersion;
  readonly sem: Semantics;
  /** Instruction slots (lddw is 2). */
  readonly slots: 1 | 2;
  /** False for widely used extensions RFC 9669 does not define (callx). */
  readonly rfc: boolean;
}

// ---------------------------------------------------------------------------
// Per-class source tables (RFC 9669 sections 4 and 5).

const ALU_CODES = {
  add: 0x00, sub: 0x10, mul: 0x20, div: 0x30, or: 0x40, and: 0x50, lsh: 0x60, rsh: 0x70,
  neg: 0x80, mod: 0x90, xor: 0xa0, mov: 0xb0, arsh: 0xc0, end: 0xd0,
} as const;

/** Binary ALU operations: [mnemonic stem, code, offset discriminator, group suffix, version]. */
const BINARY_ALU: ReadonlyArray<[AluOp, number, number, 'base' | 'divmul', IsaVersion]> = [
  ['add', ALU_CODES.add, 0, 'base', 1],
  ['sub', ALU_CODES.sub, 0, 'base', 1],
  ['mul', ALU_CODES.mul, 0, 'divmul', 1],
  ['div', ALU_CODES.div, 0, 'divmul', 1],
  ['sdiv', ALU_CODES.div, 1, 'divmul', 4],
  ['or', ALU_CODES.or, 0, 'base', 1],
  ['and', ALU_CODES.and, 0, 'base', 1],
  ['lsh', ALU_CODES.lsh, 0, 'base', 1],
  ['rsh', ALU_CODES.rsh, 0, 'base', 1],
  ['mod', ALU_CODES.mod, 0, 'divmul', 1],
  ['smod', ALU_CODES.mod, 1, 'divmul', 4],
  ['xor', ALU_CODES.xor, 0, 'base', 1],
  ['mov', ALU_CODES.mov, 0, 'base', 1],
  ['arsh', ALU_CODES.arsh, 0, 'base', 1],
];

const JMP_CODES: ReadonlyArray<[JmpCond, number, IsaVersion]> = [
  ['eq', 0x10, 1], ['gt', 0x20, 1], ['ge', 0x30, 1], ['set', 0x40, 1], ['ne', 0x50, 1],
  ['sgt', 0x60, 1], ['sge', 0x70, 1], ['lt', 0xa0, 2], ['le', 0xb0, 2], ['slt', 0xc0, 2], ['sle', 0xd0, 2],
];
const JA = 0x00;
const CALL = 0x80;
const EXIT = 0x90;

const SIZES: ReadonlyArray<[string, number, MemBytes]> = [
  ['b', SIZE.B, 1], ['h', SIZE.H, 2], ['w', SIZE.W, 4], ['dw', SIZE.DW, 8],
];

/** Atomic operations, selected by the imm field (RFC 9669 section 5.3). */
const ATOMICS: ReadonlyArray<[AtomicOp, number, boolean]> = [
  ['add', 0x00, false], ['or', 0x40, false], ['and', 0x50, false], ['xor', 0xa0, false],
  ['add', 0x01, true], ['or', 0x41, true], ['and', 0x51, true], ['xor', 0xa1, true],
  ['xchg', 0xe1, true], ['cmpxchg', 0xf1, true],
];

// ---------------------------------------------------------------------------

const USE = (dst: boolean, src: boolean, off: boolean, imm: boolean): FieldUse => ({ dst, src, off, imm });

function buildTable(): InsnSpec[] {
  const t: InsnSpec[] = [];
  const add = (s: Omit<InsnSpec, 'slots' | 'rfc'> & { slots?: 1 | 2; rfc?: boolean }): void => {
    t.push({ slots: 1, rfc: true, ...s });
  };

  // ALU and ALU64.
  for (const width of [64, 32] as const) {
    const cls = width === 64 ? CLS.ALU64 : CLS.ALU;
    const sfx = width === 64 ? '' : '32';
    const idw = width === 64 ? '64' : '32';
    for (const [op, code, off, fam, version] of BINARY_ALU) {
      const group = `${fam}${width}` as Group;
      add({
        id: `${op}${idw}_imm`, mnemonic: `${op}${sfx}`, opcode: cls | SRC.K | code, fixed: { off },
        uses: USE(true, false, false, true), shape: 'alu-imm', group, version,
        sem: { kind: 'alu', op, width, operand: 'imm' },
      });
      add({
        id: `${op}${idw}_reg`, mnemonic: `${op}${sfx}`, opcode: cls | SRC.X | code, fixed: { off },
        uses: USE(true, true, false, false), shape: 'alu-reg', group, version,
        sem: { kind: 'alu', op, width, operand: 'reg' },
      });
    }
    add({
      id: `neg${idw}`, mnemonic: `neg${sfx}`, opcode: cls | SRC.K | ALU_CODES.neg, fixed: {},
      uses: USE(true, false, false, false), shape: 'alu-unary', group: `base${width}`, version: 1,
      sem: { kind: 'alu', op: 'neg', width, operand: 'none' },
    });
    // Sign-extending moves: mov with offset 8/16/32 (32-bit form has no 32).
    for (const bits of width === 64 ? [8, 16, 32] : [8, 16]) {
      add({
        id: `movsx${bits}_${idw}`, mnemonic: `movsx${bits}${idw}`, opcode: cls | SRC.X | ALU_CODES.mov,
        fixed: { off: bits }, uses: USE(true, true, false, false), shape: 'alu-reg', group: `base${width}`,
        version: 4, sem: { kind: 'alu', op: `movsx${bits}` as AluOp, width, operand: 'reg' },
      });
    }
  }

  // Byte swaps: ALU class END with source bit = to-LE (0) / to-BE (1); ALU64 class = unconditional bswap.
  for (const bits of [16, 32, 64] as const) {
    const group: Group = bits === 64 ? 'base64' : 'base32';
    add({
      id: `le${bits}`, mnemonic: `le${bits}`, opcode: CLS.ALU | SRC.K | ALU_CODES.end, fixed: { imm: bits },
      uses: USE(true, false, false, false), shape: 'endian', group, version: 1,
      sem: { kind: 'alu', op: 'le', width: 64, operand: 'none', swapBits: bits },
    });
    add({
      id: `be${bits}`, mnemonic: `be${bits}`, opcode: CLS.ALU | SRC.X | ALU_CODES.end, fixed: { imm: bits },
      uses: USE(true, false, false, false), shape: 'endian', group, version: 1,
      sem: { kind: 'alu', op: 'be', width: 64, operand: 'none', swapBits: bits },
    });
    add({
      id: `bswap${bits}`, mnemonic: `bswap${bits}`, opcode: CLS.ALU64 | SRC.K | ALU_CODES.end, fixed: { imm: bits },
      uses: USE(true, false, false, false), shape: 'endian', group, version: 4,
      sem: { kind: 'alu', op: 'bswap', width: 64, operand: 'none', swapBits: bits },
    });
  }

  // Conditional jumps, JMP and JMP32.
  for (const width of [64, 32] as const) {
    const cls = width === 64 ? CLS.JMP : CLS.JMP32;
    const sfx = width === 64 ? '' : '32';
    const idw = width === 64 ? '' : '32';
    for (const [cond, code, v] of JMP_CODES) {
      const version: IsaVersion = width === 32 ? 3 : v;
      const group: Group = width === 64 ? 'base64' : 'base32';
      add({
        id: `j${cond}${idw}_imm`, mnemonic: `j${cond}${sfx}`, opcode: cls | SRC.K | code, fixed: {},
        uses: USE(true, false, true, true), shape: 'jmp-imm', group, version,
        sem: { kind: 'jmp', cond, width, operand: 'imm' },
      });
      add({
        id: `j${cond}${idw}_reg`, mnemonic: `j${cond}${sfx}`, opcode: cls | SRC.X | code, fixed: {},
        uses: USE(true, true, true, false), shape: 'jmp-reg', group, version,
        sem: { kind: 'jmp', cond, width, operand: 'reg' },
      });
    }
  }
  add({
    id: 'ja', mnemonic: 'ja', opcode: CLS.JMP | JA, fixed: {}, uses: USE(false, false, true, false),
    shape: 'ja', group: 'base32', version: 1, sem: { kind: 'ja', target: 'off' },
  });
  add({
    id: 'ja32', mnemonic: 'ja32', opcode: CLS.JMP32 | JA, fixed: {}, uses: USE(false, false, false, true),
    shape: 'ja32', group: 'base32', version: 4, sem: { kind: 'ja', target: 'imm' },
  });
  add({
    id: 'call_helper', mnemonic: 'call', opcode: CLS.JMP | CALL, fixed: { src: 0 }, uses: USE(false, false, false, true),
    shape: 'call-imm', group: 'base32', version: 1, sem: { kind: 'call', target: 'helper' },
  });
  add({
    id: 'call_local', mnemonic: 'call local', opcode: CLS.JMP | CALL, fixed: { src: 1 },
    uses: USE(false, false, false, true), shape: 'call-local', group: 'base32', version: 1,
    sem: { kind: 'call', target: 'local' },
  });
  add({
    id: 'call_btf', mnemonic: 'call runtime', opcode: CLS.JMP | CALL, fixed: { src: 2 },
    uses: USE(false, false, false, true), shape: 'call-imm', group: 'base32', version: 1,
    sem: { kind: 'call', target: 'btf' },
  });
  // callx: helper id in a register (dst field, as Linux and LLVM >= 17 encode it). Not in RFC 9669.
  add({
    id: 'callx', mnemonic: 'call', opcode: CLS.JMP | SRC.X | CALL, fixed: {}, uses: USE(true, false, false, false),
    shape: 'call-reg', group: 'base32', version: 1, sem: { kind: 'call', target: 'reg' }, rfc: false,
  });
  add({
    id: 'exit', mnemonic: 'exit', opcode: CLS.JMP | EXIT, fixed: {}, uses: USE(false, false, false, false),
    shape: 'exit', group: 'base32', version: 1, sem: { kind: 'exit' },
  });

  // 64-bit immediate load (two slots).
  add({
    id: 'lddw', mnemonic: 'lddw', opcode: CLS.LD | MODE.IMM | SIZE.DW, fixed: { src: 0 },
    uses: USE(true, false, false, true), shape: 'lddw', group: 'base64', version: 1, sem: { kind: 'lddw' }, slots: 2,
  });

  // Loads and stores.
  for (const [sfx, size, bytes] of SIZES) {
    const group: Group = bytes === 8 ? 'base64' : 'base32';
    add({
      id: `ldx${sfx}`, mnemonic: `ldx${sfx}`, opcode: CLS.LDX | MODE.MEM | size, fixed: {},
      uses: USE(true, true, true, false), shape: 'load', group, version: 1, sem: { kind: 'load', bytes, signed: false },
    });
    if (bytes !== 8) {
      add({
        id: `ldxs${sfx}`, mnemonic: `ldxs${sfx}`, opcode: CLS.LDX | MODE.MEMSX | size, fixed: {},
        uses: USE(true, true, true, false), shape: 'load', group, version: 4, sem: { kind: 'load', bytes, signed: true },
      });
    }
    add({
      id: `st${sfx}`, mnemonic: `st${sfx}`, opcode: CLS.ST | MODE.MEM | size, fixed: {},
      uses: USE(true, false, true, true), shape: 'store-imm', group, version: 1,
      sem: { kind: 'store', bytes, operand: 'imm' },
    });
    add({
      id: `stx${sfx}`, mnemonic: `stx${sfx}`, opcode: CLS.STX | MODE.MEM | size, fixed: {},
      uses: USE(true, true, true, false), shape: 'store-reg', group, version: 1,
      sem: { kind: 'store', bytes, operand: 'reg' },
    });
  }

  // Atomics: STX class, ATOMIC mode, W or DW, operation in imm.
  for (const bytes of [8, 4] as const) {
    const size = bytes === 8 ? SIZE.DW : SIZE.W;
    const sfx = bytes === 8 ? '' : '32';
    const idw = bytes === 8 ? '64' : '32';
    for (const [op, imm, fetch] of ATOMICS) {
      const always = op === 'xchg' || op === 'cmpxchg';
      add({
        id: `atomic${idw}_${fetch && !always ? 'fetch_' : ''}${op}`,
        mnemonic: `lock ${fetch && !always ? 'fetch ' : ''}${op}${sfx}`,
        opcode: CLS.STX | MODE.ATOMIC | size, fixed: { imm }, uses: USE(true, true, true, false), shape: 'atomic',
        group: bytes === 8 ? 'atomic64' : 'atomic32', version: 3, sem: { kind: 'atomic', op, fetch, bytes },
      });
    }
  }

  // Legacy packet access (historical; an interpreter option and a hardware build option).
  for (const [sfx, size, bytes] of SIZES) {
    if (bytes === 8) continue;
    add({
      id: `ldabs${sfx}`, mnemonic: `ldabs${sfx}`, opcode: CLS.LD | MODE.ABS | size, fixed: {},
      uses: USE(false, false, false, true), shape: 'ldabs', group: 'packet', version: 1,
      sem: { kind: 'ldpkt', mode: 'abs', bytes },
    });
    add({
      id: `ldind${sfx}`, mnemonic: `ldind${sfx}`, opcode: CLS.LD | MODE.IND | size, fixed: {},
      uses: USE(false, true, false, true), shape: 'ldind', group: 'packet', version: 1,
      sem: { kind: 'ldpkt', mode: 'ind', bytes },
    });
  }
  return t;
}

export const ISA: readonly InsnSpec[] = Object.freeze(buildTable());
