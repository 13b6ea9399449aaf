// What an engine must do to run XDP programs: take a program, the initial
// contents of data memory and r1..r5, call back into the helper table the
// XDP layer gives it, and hand back r0 and the final data memory. Everything
// XDP-specific (layout, xdp_md, maps, helpers) stays in src/xdp, so the
// interpreter, the simulated CPU, Verilator and a board differ only here.

import type { ArgRegister, HelperTable } from '../interp/types.ts';
import type { Program } from '../program.ts';
import type { MemoryMap } from '../isa/memory-map.ts';

/** How far a run has got, for bpf_ktime_get_ns. */
export interface XdpEngineClock {
  /** Nanoseconds since this run started (cycles / clock on hardware; insns x nominal on the interpreter). */
  elapsedNs(): bigint;
}

/**
 * A memory access the XDP layer wants to vet: `reason` is undefined when the
 * access is allowed, else a sentence saying why the kernel would reject it.
 * Only accesses that may land in data memory matter (the stack is always
 * allowed and never journaled): an engine may leave out those it knows stay
 * in the stack (the interpreter's compiled path: r10-based loads and stores).
 */
export type AccessCheck = (address: number, bytes: number, write: boolean) => string | undefined;

export interface XdpEngineRequest {
  /** The program, map handles already bound into its lddw instructions. */
  readonly program: Program;
  /**
   * Initial data memory from memoryMap.dataBase: the globals (program.globals
   * is ignored: these bytes win, so global state carries from packet to
   * packet), padding, then the XDP area (maps, xdp_md, frame). Its length is
   * the run's accessible size (the dataLimit).
   */
  readonly memory: Uint8Array;
  readonly args: Readonly<Partial<Record<ArgRegister, bigint>>>;
  /** Build this run's helper table; the engine supplies its clock. */
  readonly helpers: (clock: XdpEngineClock) => HelperTable;
  /** Instruction budget (engines without an instruction count may treat it as a cycle budget). */
  readonly maxInsns: number;
  /**
   * Optional: vet every load, store and atomic the program makes (not the
   * helpers' accesses: those check themselves). Engines that cannot observe
   * every access ignore it and say so with `checksAccesses: false`.
   */
  readonly checkAccess?: AccessCheck;
  /**
   * For a run in place (see workspace) without checkAccess: called before
   * each store or atomic with its address and size, so that the session can
   * undo a run that faults. (With checkAccess, the check sees the writes.)
   */
  readonly beforeWrite?: (address: number, bytes: number) => void;
  /** The program calls a time helper: the engine must keep `elapsedNs()` exact (else it may skip counting). */
  readonly needsClock?: boolean;
  /** The session's address map, for engines without a fixed data memory (the interpreter sizes its memory to it). */
  readonly memoryMap?: MemoryMap;
}

export type XdpEngineResult =
  | {
      readonly kind: 'exit';
      /** r0, unsigned 64-bit. */
      readonly r0: bigint;
      /** Final data memory from dataBase, as long as the request's memory. */
      readonly memory: Uint8Array;
      readonly insns?: number;
      readonly cycles?: number;
      readonly elapsedNs: bigint;
    }
  | {
      readonly kind: 'fault';
      /** One line: `pc N: insn: what happened`. */
      readonly message: string;
      readonly code?: string;
      readonly pc?: number;
      readonly insns?: number;
      readonly cycles?: number;
    };

export interface XdpEngine {
  /** `interp`, `sim`, `verilator`, `board`. */
  readonly name: string;
  /** True if the engine honours XdpEngineRequest.checkAccess. */
  readonly checksAccesses: boolean;
  /** Clock of the hardware the cycle counts refer to, when there is one. */
  readonly clockHz?: number;
  /**
   * The engine's fixed data memory (a CPU build's RAM). Without one (the
   * interpreter) the session sizes data memory to the object's maps.
   */
  readonly memoryMap?: MemoryMap;
  /**
   * An engine that can run in place: `bytes` bytes of data memory (from
   * dataBase) for `program`, kept from run to run. A request whose `memory`
   * is a prefix of it runs there, without a copy in or out: the result's
   * memory is that same buffer, changed by the run (on a fault too).
   */
  workspace?(program: Program, memoryMap: MemoryMap, bytes: number): Uint8Array;
  run(request: XdpEngineRequest): XdpEngineResult | Promise<XdpEngineResult>;
}
