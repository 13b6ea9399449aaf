// Fault codes the core reports (status register), and their names in the
// reference interpreter's vocabulary so engines can compare them directly.

import type { FaultCode } from '../../src/interp/types.ts';

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
    throw new Error(`the CPU reported fault code ${code}, which hdl/cpu/faults.ts does not define (known: ${Object.keys(NAMES).join(', ')})`);
  }
  return name;
}

/**
 * h_status, the helper port's answer to the core (execute.ts acts on it; a
 * host or a board's helper logic drives it): the helper ran (r0 = h_r0),
 * the id is unknown (fault bad-helper), the helper faulted (helper-fault),
 * or the helper ran and the program stops (as after exit).
 */
export const HELPER_STATUS = { OK: 0, UNKNOWN: 1, FAULT: 2, STOP: 3 } as const;
export const HELPER_STATUS_BITS = 2;

/** Core run state, as the status register reports it. */
export const RUN_STATE = { IDLE: 0, RUNNING: 1, HALTED: 2, FAULTED: 3 } as const;
