// A loaded eBPF program: what the assembler and the ELF loader produce and
// every engine (interpreter, simulated CPU, board) consumes.

import type { Insn } from './isa/encoding.ts';

/** Where a slot came from, for error messages and traces. */
export interface SourceRef {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface Program {
  /** Instruction slots; lddw takes two (the second holds the upper imm). */
  readonly insns: readonly Insn[];
  /** Slot index where execution starts. */
  readonly entry: number;
  /**
   * Initial contents of the start of data memory (an ELF's .rodata/.data/.bss,
   * already relocated). The packet/input bytes follow, 8-byte aligned.
   */
  readonly globals?: Uint8Array;
  /** Slot index -> name (labels, function symbols), for traces and disassembly. */
  readonly symbols?: ReadonlyMap<number, string>;
  /** Source of each slot when assembled from text (index = slot). */
  readonly sources?: readonly (SourceRef | undefined)[];
}

/**
 * Most instruction slots a program may have: the Linux kernel's limit
 * (BPF_COMPLEXITY_LIMIT_INSNS, one million), far above any CPU build's
 * instruction memory. Loaders refuse larger programs up front, so a huge
 * random file is one clear error instead of a heap exhausted by per-slot work.
 */
export const MAX_PROGRAM_SLOTS = 1_000_000;

/** The error a loader gives for a program past its slot limit. */
export function programTooLarge(maxSlots = MAX_PROGRAM_SLOTS): string {
  return `program too large: more than ${maxSlots} instruction slots`;
}

/** Offset of the packet/input bytes in data memory: after the globals, 8-byte aligned. */
export function packetOffset(program: Program): number {
  const size = program.globals?.length ?? 0;
  return (size + 7) & ~7;
}
