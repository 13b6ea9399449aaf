// The interface every execution engine implements so the conformance runner
// (and anything else comparing engines) can drive it: the reference
// interpreter, the simulated CPU, Verilator, Icarus, a board.

import type { Program } from '../program.ts';

/** The program ran to its final `exit`. */
export interface EngineExit {
  readonly kind: 'exit';
  /** r0, unsigned 64-bit. */
  readonly r0: bigint;
  /** Instructions retired, when the engine counts them. */
  readonly insns?: number;
  /** Clock cycles from start to the end, when the engine counts them (the CPU engines). */
  readonly cycles?: number;
}

/** The engine stopped the program (fault, timeout, refusal). */
export interface EngineFault {
  readonly kind: 'fault';
  /** One line naming what went wrong and where (pc, address, ...). */
  readonly message: string;
  /** Machine-readable reason, e.g. the interpreter's FaultCode. */
  readonly code?: string;
  readonly pc?: number;
  /** Instructions retired before the fault, and clock cycles, when the engine counts them. */
  readonly insns?: number;
  readonly cycles?: number;
}

export type EngineResult = EngineExit | EngineFault;

export interface Engine {
  /** Short name for reports, e.g. `interp`, `sim`, `verilator`. */
  readonly name: string;
  /**
   * Run a program that has already been assembled and validated, with
   * `input` as the packet (r1 = its address, r2 = its length). Problems the
   * program causes are returned as an EngineFault; throwing is for the
   * engine's own failures (tool missing, board not answering).
   */
  run(program: Program, input: Uint8Array): Promise<EngineResult> | EngineResult;
}
