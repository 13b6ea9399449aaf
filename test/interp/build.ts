// Test helper: build instruction slots from ISA table ids (no assembler needed).

import type { Insn } from '../../src/isa/encoding.ts';
import { specById } from '../../src/isa/lookup.ts';
import type { Program } from '../../src/program.ts';

export interface Fields {
  dst?: number;
  src?: number;
  off?: number;
  imm?: number;
}

/** One slot of the instruction with this table id; fixed fields come from the table. */
export function ins(id: string, fields: Fields = {}): Insn {
  const spec = specById(id);
  return {
    opcode: spec.opcode,
    dst: fields.dst ?? 0,
    src: spec.fixed.src ?? fields.src ?? 0,
    off: spec.fixed.off ?? fields.off ?? 0,
    imm: spec.fixed.imm ?? fields.imm ?? 0,
  };
}

/** lddw dst, value: two slots. */
export function lddw(dst: number, value: bigint): Insn[] {
  const u = BigInt.asUintN(64, value);
  return [
    ins('lddw', { dst, imm: Number(BigInt.asIntN(32, u & 0xffffffffn)) }),
    { opcode: 0, dst: 0, src: 0, off: 0, imm: Number(BigInt.asIntN(32, u >> 32n)) },
  ];
}

export function program(...slots: (Insn | Insn[])[]): Program {
  return { insns: slots.flat(), entry: 0 };
}

export const exit = (): Insn => ins('exit');
