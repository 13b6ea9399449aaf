// Raw eBPF instruction encoding (RFC 9669 section 3).
//
// An instruction slot is 64 bits, little-endian:
//   byte 0      opcode  (class in bits 0-2, the rest depends on the class)
//   byte 1      dst_reg in bits 0-3, src_reg in bits 4-7
//   bytes 2-3   offset  (signed 16)
//   bytes 4-7   imm     (signed 32)
// lddw ("wide" instructions) take two slots; the second slot carries the
// upper 32 bits of the immediate in its imm field and zeros elsewhere.

export const CLS = {
  LD: 0x00,
  LDX: 0x01,
  ST: 0x02,
  STX: 0x03,
  ALU: 0x04,
  JMP: 0x05,
  JMP32: 0x06,
  ALU64: 0x07,
} as const;

/** Source bit for ALU and JMP classes: K = immediate, X = register. */
export const SRC = { K: 0x00, X: 0x08 } as const;

/** Size field for load/store classes (bits 3-4). */
export const SIZE = { W: 0x00, H: 0x08, B: 0x10, DW: 0x18 } as const;
export const SIZE_BYTES: Record<number, 1 | 2 | 4 | 8> = { 0x00: 4, 0x08: 2, 0x10: 1, 0x18: 8 };

/** Mode field for load/store classes (bits 5-7). */
export const MODE = { IMM: 0x00, ABS: 0x20, IND: 0x40, MEM: 0x60, MEMSX: 0x80, ATOMIC: 0xc0 } as const;

export function opClass(opcode: number): number {
  return opcode & 0x07;
}

/** A decoded instruction slot. imm and off are sign-extended JS numbers. */
export interface Insn {
  opcode: number;
  dst: number;
  src: number;
  off: number;
  imm: number;
}

export const INSN_BYTES = 8;

export function encodeInsn(insn: Insn, out: Uint8Array = new Uint8Array(8), at = 0): Uint8Array {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint8(at, insn.opcode & 0xff);
  view.setUint8(at + 1, ((insn.src & 0xf) << 4) | (insn.dst & 0xf));
  view.setInt16(at + 2, insn.off, true);
  view.setInt32(at + 4, insn.imm | 0, true);
  return out;
}

export function decodeInsn(bytes: Uint8Array, at = 0): Insn {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const regs = view.getUint8(at + 1);
  return {
    opcode: view.getUint8(at),
    dst: regs & 0xf,
    src: regs >> 4,
    off: view.getInt16(at + 2, true),
    imm: view.getInt32(at + 4, true),
  };
}

/** Encode a program (list of slots) to bytes. */
export function encodeProgram(insns: readonly Insn[]): Uint8Array {
  const out = new Uint8Array(insns.length * INSN_BYTES);
  insns.forEach((insn, i) => encodeInsn(insn, out, i * INSN_BYTES));
  return out;
}

/** Decode bytes to slots. The length must be a whole number of slots. */
export function decodeProgram(bytes: Uint8Array): Insn[] {
  if (bytes.length % INSN_BYTES !== 0) {
    throw new RangeError(`program is ${bytes.length} bytes, not a multiple of ${INSN_BYTES}`);
  }
  const out: Insn[] = [];
  for (let at = 0; at < bytes.length; at += INSN_BYTES) out.push(decodeInsn(bytes, at));
  return out;
}

/** A slot as the 64-bit little-endian word the `-- raw` sections and the hardware use. */
export function insnToWord(insn: Insn): bigint {
  const bytes = encodeInsn(insn);
  return new DataView(bytes.buffer).getBigUint64(0, true);
}

export function wordToInsn(word: bigint): Insn {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, word), true);
  return decodeInsn(bytes);
}
