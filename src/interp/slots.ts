// The loaded program's shape: the typed arrays the run loop reads, built by
// loaded-program.ts. Kept apart from the loader so the machine and the run
// loop depend on the shape only (the loader depends on the run loop's Op).

import type { MemoryMap } from '../isa/memory-map.ts';
import type { InsnSpec } from '../isa/table.ts';
import type { Program } from '../program.ts';
import type { FaultCode, HelperTable } from './types.ts';

/** Int32 words of the register file (r0..r10 as lo/hi pairs) at the start of the value array. */
export const REG_WORDS = 22;

/** Why a slot faults when executed. */
export interface SlotFault {
  readonly code: FaultCode;
  /** Slot reported as the fault's pc (for a bad jump target: the jump itself). */
  readonly pc: number;
  readonly message: string;
}

export interface LoadedProgram {
  readonly program: Program;
  /** Number of program slots. The arrays below are longer: sentinel slots follow. */
  readonly length: number;
  readonly entry: number;
  /** Micro-op per slot. */
  readonly op: Uint8Array;
  /** 2 * dst register (index of its low word in the value array). */
  readonly dst: Uint8Array;
  /** Index in the value array of the source operand: 2 * src, or a constant-pool entry. */
  readonly operand: Int32Array;
  /** Memory offset, or the absolute target slot of a jump / local call. */
  readonly off: Int32Array;
  /**
   * The value array's initial contents: REG_WORDS zeros, then the constant
   * pool (per slot: lo, hi of its sign-extended imm; for lddw the 64-bit value).
   */
  readonly values: Int32Array;
  readonly specs: readonly (InsnSpec | undefined)[];
  readonly faults: ReadonlyMap<number, SlotFault>;
  readonly helpers: HelperTable;
  readonly memoryMap: MemoryMap;
  readonly legacyPacket: boolean;
  /** LoadOptions.isolateFrames (default true). */
  readonly isolateFrames: boolean;
}

export function poolIndex(slot: number): number {
  return REG_WORDS + 2 * slot;
}
