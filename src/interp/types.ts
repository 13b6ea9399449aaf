// Public types of the reference interpreter: options, results, faults, traces
// and the helper-function interface.

import type { MemoryMap } from '../isa/memory-map.ts';

/** Why a run stopped abnormally (the names every engine uses: src/abi/faults.ts). */
export type { FaultCode } from '../abi/faults.ts';
import type { FaultCode } from '../abi/faults.ts';

export interface Fault {
  readonly kind: 'fault';
  readonly code: FaultCode;
  /** Slot index of the instruction that faulted. */
  readonly pc: number;
  /** The faulting instruction as text (disassembly when available, else hex). */
  readonly insn: string;
  /** One line: `pc N: insn: what happened`. */
  readonly message: string;
  /** The offending address for memory faults (64-bit, unsigned). */
  readonly address?: bigint;
  /** Instructions retired before the fault. */
  readonly insns: number;
  /** r0..r10 (unsigned 64-bit) when the fault happened. */
  readonly regs: readonly bigint[];
  /** Data memory [dataBase, dataLimit) at the time of the fault. */
  readonly memory: Uint8Array;
}

export interface Exit {
  readonly kind: 'exit';
  /** r0 at the final `exit` (unsigned 64-bit). */
  readonly r0: bigint;
  /** Instructions retired, the final `exit` included. */
  readonly insns: number;
  /** r0..r10 (unsigned 64-bit) at the end. */
  readonly regs: readonly bigint[];
  /** Final data memory [dataBase, dataLimit): globals, padding, then the input bytes. */
  readonly memory: Uint8Array;
}

export type RunResult = Exit | Fault;

/** One memory write performed by a retired instruction (or by a helper it called). */
export interface MemWrite {
  readonly addr: number;
  readonly bytes: number;
  /** The written bytes as a little-endian unsigned integer. */
  readonly value: bigint;
}

/** Architectural state after one retired instruction. */
export interface TraceStep {
  /** Slot index of the retired instruction. */
  readonly pc: number;
  /** Slot index of the next instruction (after a final `exit`: -1). */
  readonly nextPc: number;
  /** 1-based count of retired instructions, this one included. */
  readonly index: number;
  /** ISA table id of the instruction (e.g. `add64_imm`). */
  readonly id: string;
  /** r0..r10 after the instruction, unsigned 64-bit. */
  readonly regs: readonly bigint[];
  readonly memWrites: readonly MemWrite[];
  /** Frames in use after the instruction (0 = entry function). */
  readonly callDepth: number;
}

/** What a helper can do besides returning r0. */
export interface HelperContext {
  /** Helper id as called (imm, register value or BTF id). */
  readonly id: number;
  /** Slot index of the call instruction. */
  readonly pc: number;
  /** Read bytes of program-visible memory; out-of-bounds faults the program. */
  read(addr: bigint, length: number): Uint8Array;
  /**
   * Optional: the same bytes as read() at an address below 2^32, only to look
   * at and valid only until the next view() or the helper's return (the
   * engine may hand out a view of memory or a scratch buffer it reuses). For
   * a helper that looks at one argument (a map key) without a copy of its own.
   */
  view?(addr: number, length: number): Uint8Array;
  /** Write bytes to program-visible memory; out-of-bounds faults the program. */
  write(addr: bigint, data: Uint8Array): void;
  /** End the program right after this helper returns, with this r0. */
  stop(r0: bigint): void;
  /** Fault the program with code 'helper-fault' and this message. */
  fail(message: string): never;
}

/**
 * A helper receives r1..r5 (unsigned 64-bit) and returns r0 (taken modulo 2^64).
 * It may carry a `numeric` form of itself (see NumericHelper).
 */
export type Helper = ((
  r1: bigint, r2: bigint, r3: bigint, r4: bigint, r5: bigint, ctx: HelperContext,
) => bigint) & { readonly numeric?: NumericHelper };

/**
 * The same helper on numbers, so that a hot call needs no BigInt: the
 * interpreter calls it instead when r1..r5 all fit 32 bits (passed unsigned).
 * It returns r0 as a safe integer (a negative one is sign-extended to 64
 * bits, as an errno is) and must do exactly what the BigInt form does.
 */
export type NumericHelper = (r1: number, r2: number, r3: number, r4: number, r5: number, ctx: HelperContext) => number;

export type HelperTable = ReadonlyMap<number, Helper>;

/** Options fixed when a program is loaded (they change how slots decode). */
export interface LoadOptions {
  helpers?: HelperTable;
  memoryMap?: MemoryMap;
  /** Accept the legacy packet group (ldabs/ldind). Without it they are illegal. */
  legacyPacket?: boolean;
  /**
   * Each local call's frame is its own (default true), as the Linux verifier
   * has it: an r10-based access outside [r10 - frameSize, r10), and any stack
   * access below the current frame, is an `out-of-bounds` fault; pointers into
   * a caller's frame stay valid. false: the stack is one region (the CPU's
   * model today, which the lockstep fuzzer compares against).
   */
  isolateFrames?: boolean;
}

export type ArgRegister = 'r1' | 'r2' | 'r3' | 'r4' | 'r5';

/** Options of one run. */
export interface ExecOptions {
  /** Packet/input bytes, copied to data memory after the globals. */
  input?: Uint8Array;
  /** Initial argument registers; default r1 = packet address, r2 = packet length, r3..r5 = 0. */
  args?: Partial<Record<ArgRegister, bigint>>;
  /** Instruction budget; running out is a 'budget' fault. Default 10,000,000. */
  maxInsns?: number;
  /** Called after every retired instruction (slow path; omit for full speed). */
  trace?: (step: TraceStep) => void;
}

export type RunOptions = LoadOptions & ExecOptions;

export const DEFAULT_MAX_INSNS = 10_000_000;
