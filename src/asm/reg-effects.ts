// Which registers an instruction reads, writes and leaves undefined, derived
// from its semantics in the ISA table. Used by the validator's dataflow check;
// it follows the Linux verifier's conventions for calls.

import type { Insn, InsnSpec } from '../isa/index.ts';

export interface RegisterEffects {
  /** Registers whose value the instruction uses. */
  readonly reads: readonly number[];
  /** Registers given a defined value. */
  readonly writes: readonly number[];
  /** Registers left undefined afterwards (caller-saved r1..r5 after a call). Applied before `writes`. */
  readonly clobbers: readonly number[];
}

/** r1..r5: arguments, and scratch across calls. */
export const ARG_REGS: readonly number[] = [1, 2, 3, 4, 5];
/** r6..r9: preserved across calls. */
export const CALLEE_SAVED_REGS: readonly number[] = [6, 7, 8, 9];
export const R0 = 0;
export const FRAME_POINTER = 10;

const NONE: readonly number[] = [];

export function registerEffects(spec: InsnSpec, insn: Insn): RegisterEffects {
  const sem = spec.sem;
  switch (sem.kind) {
    case 'alu': {
      // mov and movsx only write dst; every other ALU op also reads it.
      const writesOnly = sem.op === 'mov' || sem.op.startsWith('movsx');
      const reads = writesOnly ? [] : [insn.dst];
      if (sem.operand === 'reg') reads.push(insn.src);
      return { reads, writes: [insn.dst], clobbers: NONE };
    }
    case 'jmp':
      return { reads: sem.operand === 'reg' ? [insn.dst, insn.src] : [insn.dst], writes: NONE, clobbers: NONE };
    case 'ja':
      return { reads: NONE, writes: NONE, clobbers: NONE };
    case 'call':
      // Helper arguments are not checked: the helper's arity is not known here.
      // A local call's arguments flow into the callee (see validate.ts).
      return { reads: sem.target === 'reg' ? [insn.dst] : NONE, writes: [R0], clobbers: ARG_REGS };
    case 'exit':
      return { reads: [R0], writes: NONE, clobbers: NONE };
    case 'lddw':
      return { reads: NONE, writes: [insn.dst], clobbers: NONE };
    case 'load':
      return { reads: [insn.src], writes: [insn.dst], clobbers: NONE };
    case 'store':
      return { reads: sem.operand === 'reg' ? [insn.dst, insn.src] : [insn.dst], writes: NONE, clobbers: NONE };
    case 'atomic':
      if (sem.op === 'cmpxchg') return { reads: [insn.dst, insn.src, R0], writes: [R0], clobbers: NONE };
      return { reads: [insn.dst, insn.src], writes: sem.fetch ? [insn.src] : NONE, clobbers: NONE };
    case 'ldpkt':
      // As in Linux, legacy packet loads behave like a helper call: r0 is the
      // result and r1..r5 are scratch. (The implicit packet pointer is the
      // engine's business, not a register read here.)
      return { reads: sem.mode === 'ind' ? [insn.src] : NONE, writes: [R0], clobbers: ARG_REGS };
  }
}
