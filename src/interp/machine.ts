// Architectural state of one run: registers, memory, call frames.

import { REG_WORDS, type LoadedProgram } from './slots.ts';
import { makeLayout, makeMemory, type MemoryLayout } from './memory.ts';
import { storeU64, toU64 } from './int64.ts';
import type { ArgRegister, ExecOptions, HelperContext, MemWrite, RunResult } from './types.ts';

/** Words saved per call frame: r6..r9 as lo/hi pairs (r10 is derived from the depth). */
export const FRAME_WORDS = 8;
/** Value-array index of r6's low word; r6..r9 are contiguous. */
export const R6 = 12;
/** Value-array index of r10's low word. */
export const R10 = 20;

/** The helpers' view of a machine, refilled for each call (cold-path.ts's CallContext). */
export interface MachineCallContext extends HelperContext {
  id: number;
  pc: number;
  /** Set by stop(): the run ends after the helper returns, with this r0. */
  stopWith: bigint | undefined;
}

const NO_REGS: readonly bigint[] = Object.freeze([]);
/** Layouts (and in-place views) a machine keeps (restart); past this many it starts again. */
const MAX_LAYOUTS = 64;

function remember<T>(set: Set<T>, item: T): void {
  if (set.size >= MAX_LAYOUTS) set.clear();
  set.add(item);
}

const ARG_INDEX: Record<ArgRegister, number> = { r1: 2, r2: 4, r3: 6, r4: 8, r5: 10 };

export class Machine {
  readonly loaded: LoadedProgram;
  /** The current run's layout (restart() replaces it: the input's length sets dataLimit). */
  layout: MemoryLayout;
  /** r0..r10 as (lo, hi) int32 pairs, then the constant pool (see loaded-program.ts). */
  readonly values: Int32Array;
  /** Backing store; may be longer than the layout needs when the machine is reused (restart). */
  mem: Uint8Array;
  view: DataView;
  /** Saved r6..r9 of each caller frame. */
  readonly frames: Int32Array;
  /** Return slot of each caller frame. */
  readonly returns: Int32Array;
  pc: number;
  /** Instructions retired so far. */
  retired = 0;
  /** Caller frames on the stack (0 in the entry function). */
  depth = 0;
  /** The deepest `depth` since the last restart: the frames a run may have written (restart zeroes only those). */
  deepest = 0;
  /**
   * Results carry no registers (`regs` is empty): for a caller that reuses the
   * machine and never reads them, which saves a BigInt per register per run.
   */
  skipResultRegs = false;
  /** Set once the run ends (exit or fault). */
  result: RunResult | null = null;
  /** When tracing: memory writes made by helpers during the current step. */
  helperWrites: MemWrite[] | null = null;
  /**
   * Results hand out a view of data memory instead of a copy: for a caller
   * that reuses the machine and reads the memory before the next restart().
   */
  viewResults = false;
  /** The helpers' view of this machine, made on the first helper call and reused (cold-path.ts). */
  callContext: MachineCallContext | null = null;

  constructor(loaded: LoadedProgram, opts: ExecOptions = {}) {
    const input = opts.input ?? new Uint8Array(0);
    this.loaded = loaded;
    this.layout = makeLayout(loaded.memoryMap, loaded.program, input.length);
    this.values = loaded.values.slice();
    this.mem = makeMemory(this.layout, loaded.program, input);
    this.view = new DataView(this.mem.buffer);
    this.frames = new Int32Array(FRAME_WORDS * this.layout.maxFrames);
    this.returns = new Int32Array(this.layout.maxFrames);
    this.pc = loaded.entry;
    this.setArgs(opts.args);
  }

  /**
   * Start a new run in this machine, as a fresh Machine would: zeroed stack,
   * the program's globals and then `input` in data memory, registers reset.
   * The backing store is kept (grown when the input needs more), which saves
   * the allocations of a new machine per run in hot loops.
   */
  restart(input: Uint8Array, args?: ExecOptions['args'], globals: Uint8Array | undefined = this.loaded.program.globals): void {
    // The layout depends only on the input's length: one per length is kept (a run only moves its stackFloor).
    let layout = this.layout;
    if (layout.packetLength !== input.length) {
      layout = this.layouts.get(input.length) ?? makeLayout(this.loaded.memoryMap, this.loaded.program, input.length);
      if (this.layouts.size >= MAX_LAYOUTS) this.layouts.clear();
      this.layouts.set(input.length, layout);
    }
    layout.stackFloor = 0;
    const bytes = layout.stackSize + layout.dataLimit;
    if (this.mem.length < bytes) {
      this.mem = new Uint8Array(bytes);
      this.view = new DataView(this.mem.buffer);
    } else {
      // The stack must look fresh: with isolated frames only the frames a run reached can have been written
      // (nothing below the current frame is accessible, to the program or its helpers); else all of it.
      const dirty = this.loaded.isolateFrames ? Math.min(layout.stackSize, (this.deepest + 1) * layout.frameSize) : layout.stackSize;
      this.mem.fill(0, layout.stackSize - dirty, layout.stackSize);
      // And the padding between globals and input (the input may be a view of this memory), when there is any.
      const padFrom = layout.stackSize + (globals?.length ?? 0), padTo = layout.stackSize + (layout.packetAddr - layout.dataBase);
      if (padFrom < padTo) this.mem.fill(0, padFrom, padTo);
    }
    this.deepest = 0;
    this.layout = layout;
    // Data already in place (a view of this memory at its own address, see dataWorkspace) is not copied onto
    // itself; views found in place once are remembered (until the memory is replaced).
    if (this.placedIn !== this.mem) {
      this.placedGlobals.clear();
      this.placedInputs.clear();
      this.placedIn = this.mem;
    }
    if (globals && !this.placedGlobals.has(globals)) {
      if (this.holds(globals, layout.stackSize)) remember(this.placedGlobals, globals);
      else this.mem.set(globals, layout.stackSize);
    }
    if (!this.placedInputs.has(input)) {
      const inputAt = layout.stackSize + (layout.packetAddr - layout.dataBase);
      if (this.holds(input, inputAt)) remember(this.placedInputs, input);
      else this.mem.set(input, inputAt);
    }
    // Registers from zero; the constant pool after them is never written (no instruction's destination is in it).
    const v = this.values;
    for (let i = 0; i < REG_WORDS; i++) v[i] = 0;
    this.pc = this.loaded.entry;
    this.retired = 0;
    this.depth = 0;
    this.result = null;
    this.helperWrites = null;
    this.setArgs(args);
  }

  /**
   * Data memory to stage runs in: a view of this machine's memory from
   * dataBase, `bytes` long (the memory grows to hold it). restart() with
   * inputs and globals taken from it copies nothing; the view stays valid
   * until a restart needs more memory than `bytes`.
   */
  dataWorkspace(bytes: number): Uint8Array {
    const stackSize = this.layout.stackSize;
    if (this.mem.length < stackSize + bytes) {
      const grown = new Uint8Array(stackSize + bytes);
      grown.set(this.mem);
      this.mem = grown;
      this.view = new DataView(grown.buffer);
    }
    return this.mem.subarray(stackSize, stackSize + bytes);
  }

  /** Layouts by input length, for inputs of a few sizes in turn. */
  private readonly layouts = new Map<number, MemoryLayout>();

  /** Globals and input views found to be views of `placedIn` at their own addresses (see restart). */
  private readonly placedGlobals = new Set<Uint8Array>();
  private readonly placedInputs = new Set<Uint8Array>();
  private placedIn: Uint8Array | undefined;

  /** Whether `bytes` is this machine's memory at physical offset `at` already. */
  private holds(bytes: Uint8Array, at: number): boolean {
    return bytes.buffer === this.mem.buffer && bytes.byteOffset === this.mem.byteOffset + at;
  }

  private setArgs(args: ExecOptions['args'] | undefined): void {
    const v = this.values;
    v[2] = this.layout.packetAddr;
    v[4] = this.layout.packetLength;
    v[R10] = this.layout.stackTop;
    if (args === undefined) return;
    // A frozen argument object (a caller's per-session constant) is converted from BigInt once.
    if (args === this.frozenArgs) {
      for (let i = 0; i < this.frozenWords.length; i += 3) { v[this.frozenWords[i]!] = this.frozenWords[i + 1]!; v[this.frozenWords[i]! + 1] = this.frozenWords[i + 2]!; }
      return;
    }
    for (const name in args) {
      const index = ARG_INDEX[name as ArgRegister];
      if (index === undefined) throw new RangeError(`unknown argument register '${name}' (expected r1..r5)`);
      const value = args[name as ArgRegister];
      if (value !== undefined) storeU64(v, index, value);
    }
    if (Object.isFrozen(args)) {
      const words: number[] = [];
      for (const name in args) if (args[name as ArgRegister] !== undefined) words.push(ARG_INDEX[name as ArgRegister], v[ARG_INDEX[name as ArgRegister]]!, v[ARG_INDEX[name as ArgRegister] + 1]!);
      this.frozenArgs = args;
      this.frozenWords = Int32Array.from(words);
    }
  }

  /** The last frozen argument object setArgs saw, and its registers as (index, lo, hi) triples. */
  private frozenArgs: ExecOptions['args'] | undefined;
  private frozenWords = new Int32Array(0);

  /** The registers a result carries: r0..r10, or none with skipResultRegs. */
  resultRegs(): readonly bigint[] {
    return this.skipResultRegs ? NO_REGS : this.regs();
  }

  /** r0..r10 as unsigned 64-bit values. */
  regs(): bigint[] {
    const out: bigint[] = [];
    for (let i = 0; i < REG_WORDS; i += 2) out.push(toU64(this.values[i]!, this.values[i + 1]!));
    return out;
  }

  /** The accessible data region [dataBase, dataLimit): a copy (a view with viewResults). */
  dataMemory(): Uint8Array {
    const { stackSize, dataLimit } = this.layout;
    if (!this.viewResults) return this.mem.slice(stackSize, stackSize + dataLimit);
    // One view per limit while the memory stays (a view per run costs an allocation; inputs of a few lengths alternate).
    if (this.dataViewOf !== this.mem) {
      this.dataViews.clear();
      this.dataViewOf = this.mem;
    }
    let view = this.dataViews.get(dataLimit);
    if (view === undefined) {
      if (this.dataViews.size >= MAX_LAYOUTS) this.dataViews.clear();
      view = this.mem.subarray(stackSize, stackSize + dataLimit);
      this.dataViews.set(dataLimit, view);
    }
    return view;
  }
  private readonly dataViews = new Map<number, Uint8Array>();
  /** The memory dataViews are views of (the stack size is the machine's, fixed). */
  private dataViewOf: Uint8Array | undefined;

  /** r10 for the current depth: each local call moves it down one frame. */
  frameTop(): number {
    return this.layout.stackTop - this.depth * this.layout.frameSize;
  }
}
