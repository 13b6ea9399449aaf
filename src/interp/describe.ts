// Instruction text for fault messages: the disassembly, with the raw word
// so the exact encoding is visible too.

import { disassembleOne } from '../asm/disassembler.ts';
import { insnToWord } from '../isa/encoding.ts';
import type { Program } from '../program.ts';

/** `disassembly (0x<word>)` for a slot, or `<no instruction>` past the end. */
export function describeSlot(program: Program, pc: number): string {
  const insn = program.insns[pc];
  if (insn === undefined) return '<no instruction>';
  const word = `0x${insnToWord(insn).toString(16).padStart(16, '0')}`;
  const text = disassembleOne(insn, program.insns[pc + 1]);
  // Undecodable slots already print as `.raw 0x<word>  # reason`.
  return text.startsWith('.raw') ? text : `${text} (${word})`;
}
