// Words the text targets splice into assembly and `.data` files: every
// mnemonic of the ISA table, registers in and out of range, operand shapes,
// section headers, directives.

import { allMnemonics } from '../../isa/index.ts';
import { KNOWN_SECTIONS, RAW_DIRECTIVE } from '../../asm/index.ts';

const REGISTERS = [...Array.from({ length: 12 }, (_, i) => `%r${i}`), 'r1', '%r', '%R1', '%w1', '%r01', '%r-1', '%r99999999999999999999', '%'];
const OPERANDS = [
  '[%r1]', '[%r1+0]', '[%r10-8]', '[%r1+0x7fff]', '[%r1-0x8000]', '[%r1+32768]', '[', ']', '[%r1', '%r1]', '[]', '[+1]',
  '[%r1+-1]', '[%r1 + 4]', '+1', '-1', '+0x7fff', '-32769', 'exit', 'label', 'l0', '.L1', '$x', 'local', 'fetch',
  'lock', 'call', 'call local', 'lock fetch add', '0x10:', 'a:', 'a: b:', '::', ':',
];

export const ASM_DICTIONARY: readonly string[] = [
  ...allMnemonics(), RAW_DIRECTIVE, ...REGISTERS, ...OPERANDS, ...KNOWN_SECTIONS.map((s) => `-- ${s}`), '--', '-- unknown', '#',
];
