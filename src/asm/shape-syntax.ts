// Operand syntax of each instruction shape, as one table read by both the
// assembler (which field an operand fills) and the disassembler (which field
// to print where). Keeping the two directions on one table is what makes
// assemble(disassemble(x)) == x hold by construction.

import type { Insn, Shape } from '../isa/index.ts';

export type OperandSyntax =
  /** `%rN` into the dst or src field. */
  | { readonly kind: 'reg'; readonly field: 'dst' | 'src' }
  /** A 32-bit immediate into the imm field. */
  | { readonly kind: 'imm' }
  /** lddw's 64-bit immediate, split over two slots. */
  | { readonly kind: 'imm64' }
  /** A jump/call target (`+N`, `-N` or a label), relative to the next slot, into off or imm. */
  | { readonly kind: 'target'; readonly field: 'off' | 'imm' }
  /** `[%rN+off]`: base register into dst or src, displacement into off. */
  | { readonly kind: 'mem'; readonly base: 'dst' | 'src' };

const DST = { kind: 'reg', field: 'dst' } as const;
const SRC = { kind: 'reg', field: 'src' } as const;
const IMM = { kind: 'imm' } as const;

export const SHAPE_OPERANDS: Readonly<Record<Shape, readonly OperandSyntax[]>> = {
  'alu-reg': [DST, SRC],
  'alu-imm': [DST, IMM],
  'alu-unary': [DST],
  endian: [DST],
  'jmp-reg': [DST, SRC, { kind: 'target', field: 'off' }],
  'jmp-imm': [DST, IMM, { kind: 'target', field: 'off' }],
  ja: [{ kind: 'target', field: 'off' }],
  ja32: [{ kind: 'target', field: 'imm' }],
  'call-imm': [IMM],
  'call-local': [{ kind: 'target', field: 'imm' }],
  'call-reg': [DST],
  exit: [],
  lddw: [DST, { kind: 'imm64' }],
  load: [DST, { kind: 'mem', base: 'src' }],
  'store-imm': [{ kind: 'mem', base: 'dst' }, IMM],
  'store-reg': [{ kind: 'mem', base: 'dst' }, SRC],
  atomic: [{ kind: 'mem', base: 'dst' }, SRC],
  ldabs: [IMM],
  ldind: [SRC, IMM],
};

/** A usage hint for error messages, e.g. `ldxw %rD, [%rS+off]`. */
export function syntaxHint(mnemonic: string, shape: Shape): string {
  const parts = SHAPE_OPERANDS[shape].map((op) => {
    switch (op.kind) {
      case 'reg': return op.field === 'dst' ? '%rD' : '%rS';
      case 'imm': return 'imm';
      case 'imm64': return 'imm64';
      case 'target': return '+N|label';
      case 'mem': return `[%r${op.base === 'dst' ? 'D' : 'S'}+off]`;
    }
  });
  return parts.length === 0 ? mnemonic : `${mnemonic} ${parts.join(', ')}`;
}

/** Field of an Insn a register operand names. */
export function regField(insn: Insn, field: 'dst' | 'src'): number {
  return field === 'dst' ? insn.dst : insn.src;
}
