// Fault codes: the CPU's numbers (its status register) and their names in
// the reference interpreter's vocabulary, so every engine (interpreter,
// simulated CPU, Verilator, Icarus, a board) reports faults the same way.
// Adding a fault code touches this file only.

/** Why a run stopped abnormally. A fault is a result value, never an exception. */
export type FaultCode =
  /** The slot is not a defined instruction (or a packet instruction without `legacyPacket`). */
  | 'illegal-instruction'
  /** The instruction would write r10 (the read-only frame pointer). */
  | 'bad-register'
  /** A load, store, atomic, packet access or helper touched a byte outside every region. */
  | 'out-of-bounds'
  /** A local call would need more than `memoryMap.maxFrames` frames. */
  | 'call-depth'
  /** The instruction budget (`maxInsns`) ran out. */
  | 'budget'
  /** A call named a helper that is not in the helper table. */
  | 'bad-helper'
  /** A helper reported an error of its own. */
  | 'helper-fault'
  /** Control left the program: a jump/call target outside it, or running past the last slot. */
  | 'bad-jump';

/** The CPU's fault codes (0 = none). */
export const FAULT = {
  NONE: 0,
  ILLEGAL: 1,
  BAD_REGISTER: 2,
  OUT_OF_BOUNDS: 3,
  CALL_DEPTH: 4,
  BUDGET: 5,
  BAD_HELPER: 6,
  HELPER_FAULT: 7,
  BAD_JUMP: 8,
} as const;

export const FAULT_BITS = 4;

const NAMES: Record<number, FaultCode> = {
  [FAULT.ILLEGAL]: 'illegal-instruction',
  [FAULT.BAD_REGISTER]: 'bad-register',
  [FAULT.OUT_OF_BOUNDS]: 'out-of-bounds',
  [FAULT.CALL_DEPTH]: 'call-depth',
  [FAULT.BUDGET]: 'budget',
  [FAULT.BAD_HELPER]: 'bad-helper',
  [FAULT.HELPER_FAULT]: 'helper-fault',
  [FAULT.BAD_JUMP]: 'bad-jump',
};

/**
 * The interpreter's name for the fault code a faulted core reports. A code
 * this table does not know means host and hardware disagree about the
 * contract: that is an error, never a guess.
 */
export function faultName(code: number): FaultCode {
  const name = NAMES[code];
  if (name === undefined) {
    throw new Error(`the CPU reported fault code ${code}, which src/abi/faults.ts does not define (known: ${Object.keys(NAMES).join(', ')})`);
  }
  return name;
}
