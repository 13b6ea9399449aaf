// Disassembler to the same conformance syntax the assembler reads, driven by
// the ISA table and the shared operand syntax (./shape-syntax.ts). Slots that
// do not decode print as `.raw 0x<word>  # <reason>`, which the assembler
// accepts, so any slot sequence survives a disassemble/assemble round trip.

import { decodeSpec, insnToWord, type Insn, type InsnSpec } from '../isa/index.ts';
import type { Program } from '../program.ts';
import { RAW_DIRECTIVE } from './assembler.ts';
import { formatImmediate, formatRelative } from './numbers.ts';
import { isLabelName } from './operands.ts';
import { SHAPE_OPERANDS, regField } from './shape-syntax.ts';

export interface DisassembleOptions {
  /**
   * Slot -> name. Jump and call targets that land on a named slot print as
   * the name instead of `+N`. (The names are not defined by these lines; use
   * disassembleProgram for a listing that assembles.)
   */
  symbols?: ReadonlyMap<number, string>;
}

export interface DisassembledInsn {
  /** First slot of the instruction. */
  readonly pc: number;
  /** Slots covered (2 for a complete lddw). */
  readonly slots: 1 | 2;
  readonly text: string;
  /** The decoded spec, or undefined for a `.raw` line. */
  readonly spec?: InsnSpec;
  /** Why the slot did not decode (only for `.raw` lines). */
  readonly problem?: string;
}

/** One entry per instruction; a complete lddw's second slot is folded into the first. */
export function disassembleInsns(insns: readonly Insn[], opts: DisassembleOptions = {}): DisassembledInsn[] {
  const out: DisassembledInsn[] = [];
  let pc = 0;
  while (pc < insns.length) {
    const d = disassembleAt(insns, pc, opts.symbols);
    out.push(d);
    pc += d.slots;
  }
  return out;
}

/** Text lines, one per instruction. */
export function disassemble(insns: readonly Insn[], opts: DisassembleOptions = {}): string[] {
  return disassembleInsns(insns, opts).map((d) => d.text);
}

/** One instruction; `next` is the following slot, needed for lddw. Targets print as `+N`/`-N`. */
export function disassembleOne(insn: Insn, next?: Insn): string {
  return disassembleAt(next ? [insn, next] : [insn], 0, undefined).text;
}

/**
 * A complete listing that assembles back to the same slots and labels:
 * `name:` lines for the program's symbols (those that name an instruction
 * start or the end of the program), targets printed by name.
 */
export function disassembleProgram(program: Pick<Program, 'insns' | 'symbols'>): string {
  const lines = disassembleInsns(program.insns);
  const starts = new Set(lines.map((d) => d.pc));
  const symbols = new Map<number, string>();
  const used = new Set<string>();
  for (const [slot, name] of program.symbols ?? []) {
    if ((starts.has(slot) || slot === program.insns.length) && isLabelName(name) && !used.has(name)) {
      symbols.set(slot, name);
      used.add(name);
    }
  }
  const out: string[] = [];
  for (const d of disassembleInsns(program.insns, { symbols })) {
    const name = symbols.get(d.pc);
    if (name !== undefined) out.push(`${name}:`);
    out.push(d.text);
  }
  const endName = symbols.get(program.insns.length);
  if (endName !== undefined) out.push(`${endName}:`);
  return out.join('\n') + '\n';
}

function disassembleAt(insns: readonly Insn[], pc: number, symbols: ReadonlyMap<number, string> | undefined): DisassembledInsn {
  const insn = insns[pc]!;
  const decoded = decodeSpec(insn);
  if (!decoded.ok) return raw(insn, pc, decoded.reason);
  const spec = decoded.spec;
  let next: Insn | undefined;
  if (spec.slots === 2) {
    next = insns[pc + 1];
    const problem = secondSlotProblem(spec, next);
    if (problem) return raw(insn, pc, problem);
  }
  return { pc, slots: spec.slots, text: formatInsn(spec, insn, next, pc, symbols), spec };
}

/** Why `next` cannot be the second slot of a two-slot instruction, or undefined if it can. */
export function secondSlotProblem(spec: InsnSpec, next: Insn | undefined): string | undefined {
  if (!next) return `${spec.mnemonic}: second slot missing (end of program)`;
  if (next.opcode !== 0 || next.dst !== 0 || next.src !== 0 || next.off !== 0) {
    return `${spec.mnemonic}: second slot must be zero except its imm (got opcode=0x${next.opcode.toString(16)}, dst=${next.dst}, src=${next.src}, offset=${next.off})`;
  }
  return undefined;
}

function raw(insn: Insn, pc: number, problem: string): DisassembledInsn {
  const word = insnToWord(insn).toString(16).padStart(16, '0');
  return { pc, slots: 1, text: `${RAW_DIRECTIVE} 0x${word}  # ${problem}`, problem };
}

function formatInsn(spec: InsnSpec, insn: Insn, next: Insn | undefined, pc: number, symbols: ReadonlyMap<number, string> | undefined): string {
  const operands = SHAPE_OPERANDS[spec.shape].map((syn) => {
    switch (syn.kind) {
      case 'reg':
        return `%r${regField(insn, syn.field)}`;
      case 'imm':
        return formatImmediate(insn.imm, 32);
      case 'imm64':
        return formatImmediate((BigInt(next!.imm >>> 0) << 32n) | BigInt(insn.imm >>> 0), 64);
      case 'mem': {
        const off = insn.off;
        return `[%r${regField(insn, syn.base)}${off < 0 ? '-' : '+'}${Math.abs(off)}]`;
      }
      case 'target': {
        const rel = insn[syn.field];
        const name = symbols?.get(pc + 1 + rel);
        return name !== undefined && isLabelName(name) ? name : formatRelative(rel);
      }
    }
  });
  return operands.length === 0 ? spec.mnemonic : `${spec.mnemonic} ${operands.join(', ')}`;
}
