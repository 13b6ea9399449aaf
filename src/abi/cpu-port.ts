// The CPU system's host port (hdl/cpu/system.ts): control register indexes,
// address regions, the run state and the layout of the status word. The
// hardware builds the status word from STATUS_WORD, and every engine that
// reads it (the TS simulator, the Verilator/Icarus benches, the SoC's host
// link) decodes it with decodeCpuStatus, so the two sides share one layout.

import { faultName, FAULT_BITS, type FaultCode } from './faults.ts';

/** Core run state, as the status word reports it. */
export const RUN_STATE = { IDLE: 0, RUNNING: 1, HALTED: 2, FAULTED: 3 } as const;
export const RUN_STATE_BITS = 2;

/** Control register indexes in host region 0. */
export const HOST_REG = {
  /** Write: start running at slot wdata (ignored while running). */
  START: 0,
  /** Read: the status word (STATUS_WORD). */
  STATUS: 1,
  CYCLES: 2,
  RETIRED: 3,
  // PROG_LEN .. INSN_LIMIT: write-only run parameters (they read as 0).
  /** Program length in slots (jumps and fall-through beyond it fault). */
  PROG_LEN: 4,
  /** Accessible bytes of the data region. */
  DATA_LIMIT: 5,
  /** Legacy packet loads: packet offset and length in the data region. */
  PKT_OFF: 6,
  PKT_LEN: 7,
  /** Instruction budget; 0 = none. */
  INSN_LIMIT: 8,
  /** Read: current call depth. */
  DEPTH: 9,
} as const;

/**
 * Host port regions (the top two word-address bits): control registers,
 * r0..r10 (r10 read-only), program RAM (one slot per word), data RAM (the
 * data region at word 0, the stack after it).
 */
export const HOST_REGION = { CONTROL: 0, REGS: 1, PROG: 2, DATA: 3 } as const;

/** Bit fields of the status word: [lsb, width]. */
export const STATUS_WORD = {
  state: [0, RUN_STATE_BITS],
  faultCode: [4, FAULT_BITS],
  faultPc: [16, 32],
} as const satisfies Record<string, readonly [number, number]>;

export interface CpuStatus {
  readonly state: number;
  /** Set when the state is FAULTED. */
  readonly fault?: { readonly code: FaultCode; readonly pc: number };
}

function field(word: bigint, [lsb, width]: readonly [number, number]): number {
  return Number((word >> BigInt(lsb)) & ((1n << BigInt(width)) - 1n));
}

/** The status word's fields; a fault code the contract does not define throws (faultName). */
export function decodeCpuStatus(word: bigint): CpuStatus {
  const state = field(word, STATUS_WORD.state);
  if (state !== RUN_STATE.FAULTED) return { state };
  return { state, fault: { code: faultName(field(word, STATUS_WORD.faultCode)), pc: field(word, STATUS_WORD.faultPc) } };
}

/** The status word for given fields (the inverse of decodeCpuStatus; for models and tests). */
export function encodeCpuStatus(state: number, faultCode = 0, faultPc = 0): bigint {
  const put = (v: number, [lsb, width]: readonly [number, number]): bigint => (BigInt(v) & ((1n << BigInt(width)) - 1n)) << BigInt(lsb);
  return put(state, STATUS_WORD.state) | put(faultCode, STATUS_WORD.faultCode) | put(faultPc, STATUS_WORD.faultPc);
}
