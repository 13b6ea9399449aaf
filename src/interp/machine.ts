// Architectural state of one run: registers, memory, call frames.

import { REG_WORDS, type LoadedProgram } from './loaded-program.ts';
import { makeLayout, makeMemory, type MemoryLayout } from './memory.ts';
import { storeU64, toU64 } from './int64.ts';
import type { ArgRegister, ExecOptions, MemWrite, RunResult } from './types.ts';

/** Words saved per call frame: r6..r9 as lo/hi pairs (r10 is derived from the depth). */
export const FRAME_WORDS = 8;
/** Value-array index of r6's low word; r6..r9 are contiguous. */
export const R6 = 12;
/** Value-array index of r10's low word. */
export const R10 = 20;

const ARG_INDEX: Record<ArgRegister, number> = { r1: 2, r2: 4, r3: 6, r4: 8, r5: 10 };

export class Machine {
  readonly loaded: LoadedProgram;
  readonly layout: MemoryLayout;
  /** r0..r10 as (lo, hi) int32 pairs, then the constant pool (see loaded-program.ts). */
  readonly values: Int32Array;
  readonly mem: Uint8Array;
  readonly view: DataView;
  /** Saved r6..r9 of each caller frame. */
  readonly frames: Int32Array;
  /** Return slot of each caller frame. */
  readonly returns: Int32Array;
  pc: number;
  /** Instructions retired so far. */
  retired = 0;
  /** Caller frames on the stack (0 in the entry function). */
  depth = 0;
  /** Set once the run ends (exit or fault). */
  result: RunResult | null = null;
  /** When tracing: memory writes made by helpers during the current step. */
  helperWrites: MemWrite[] | null = null;

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

    const v = this.values;
    v[2] = this.layout.packetAddr;
    v[4] = this.layout.packetLength;
    v[R10] = this.layout.stackTop;
    for (const [name, value] of Object.entries(opts.args ?? {})) {
      const index = ARG_INDEX[name as ArgRegister];
      if (index === undefined) throw new RangeError(`unknown argument register '${name}' (expected r1..r5)`);
      if (value !== undefined) storeU64(v, index, value);
    }
  }

  /** r0..r10 as unsigned 64-bit values. */
  regs(): bigint[] {
    const out: bigint[] = [];
    for (let i = 0; i < REG_WORDS; i += 2) out.push(toU64(this.values[i]!, this.values[i + 1]!));
    return out;
  }

  /** A copy of the accessible data region [dataBase, dataLimit). */
  dataMemory(): Uint8Array {
    return this.mem.slice(this.layout.stackSize, this.layout.stackSize + this.layout.dataLimit);
  }

  /** r10 for the current depth: each local call moves it down one frame. */
  frameTop(): number {
    return this.layout.stackTop - this.depth * this.layout.frameSize;
  }
}
