// The interpreter's public face: load a Program once, run it any number of
// times, optionally one traced instruction at a time.

import type { Program } from '../program.ts';
import { toU64 } from './int64.ts';
import { loadProgram, REG_WORDS, type LoadedProgram } from './loaded-program.ts';
import { Machine } from './machine.ts';
import { physical } from './memory.ts';
import { fault } from './cold-path.ts';
import { runUntil } from './run-loop.ts';
import {
  DEFAULT_MAX_INSNS, type ExecOptions, type LoadOptions, type MemWrite, type RunOptions, type RunResult, type TraceStep,
} from './types.ts';

export class Interpreter {
  readonly loaded: LoadedProgram;

  /** Decode the program once (strictly, through the ISA table). Throws RangeError for a bad entry point. */
  constructor(readonly program: Program, opts: LoadOptions = {}) {
    this.loaded = loadProgram(program, opts);
  }

  static load(program: Program, opts: LoadOptions = {}): Interpreter {
    return new Interpreter(program, opts);
  }

  /**
   * Run from a fresh state. Throws RangeError only for unusable options (an
   * input that does not fit data memory, an unknown argument register);
   * everything the program does wrong is a Fault result.
   */
  run(opts: ExecOptions = {}): RunResult {
    if (opts.trace) {
      const steps = this.steps(opts);
      for (;;) {
        const next = steps.next();
        if (next.done) return next.value;
        opts.trace(next.value);
      }
    }
    const m = new Machine(this.loaded, opts);
    const budget = budgetOf(opts);
    runUntil(m, budget);
    return m.result ?? budgetFault(m, budget);
  }

  /** A machine for repeated runs of this program: restart() it with each run's input, then runIn(). */
  newMachine(): Machine {
    return new Machine(this.loaded);
  }

  /**
   * Go on running `m` until the run ends or `limit` instructions are retired
   * in all. Returns the result once the run ends, null when it stopped at
   * `limit` short of `budget` (it may be continued); at the budget, the
   * budget fault.
   */
  runIn(m: Machine, limit: number, budget: number = limit): RunResult | null {
    runUntil(m, Math.min(limit, budget));
    if (m.result !== null) return m.result;
    return m.retired >= budget ? budgetFault(m, budget) : null;
  }

  /**
   * Execute one instruction at a time, yielding the architectural state
   * after each retired instruction; returns the run's result. This is the
   * lockstep checker's view: every register and memory write is exact.
   */
  *steps(opts: ExecOptions = {}): Generator<TraceStep, RunResult, void> {
    const m = new Machine(this.loaded, opts);
    const budget = budgetOf(opts);
    const before = new Int32Array(REG_WORDS);
    const writes: MemWrite[] = [];
    while (m.retired < budget) {
      const pc = m.pc;
      before.set(m.values.subarray(0, REG_WORDS));
      writes.length = 0;
      m.helperWrites = writes;
      runUntil(m, m.retired + 1);
      m.helperWrites = null;
      if (m.result?.kind === 'fault') return m.result;
      const exited = m.result !== null;
      yield {
        pc,
        nextPc: exited ? -1 : m.pc,
        index: m.retired,
        id: this.loaded.specs[pc]?.id ?? '?',
        regs: m.regs(),
        memWrites: [...instructionWrites(m, pc, before), ...writes],
        callDepth: m.depth,
      };
      if (m.result !== null) return m.result;
    }
    return budgetFault(m, budget);
  }
}

/** Load and run in one call. */
export function runProgram(program: Program, opts: RunOptions = {}): RunResult {
  return new Interpreter(program, opts).run(opts);
}

function budgetOf(opts: ExecOptions): number {
  const budget = opts.maxInsns ?? DEFAULT_MAX_INSNS;
  if (!(budget >= 0)) throw new RangeError(`maxInsns must be a non-negative number, got ${budget}`);
  return budget;
}

function budgetFault(m: Machine, budget: number): RunResult {
  fault(m, 'budget', m.pc, m.retired, `instruction budget of ${budget} exhausted (maxInsns)`);
  return m.result!;
}

/**
 * The memory write the instruction at `pc` just made, rebuilt from the
 * registers before it and memory after it (stores and atomics; a failed
 * cmpxchg writes nothing).
 */
function instructionWrites(m: Machine, pc: number, before: Int32Array): MemWrite[] {
  const spec = m.loaded.specs[pc];
  if (spec === undefined) return [];
  const sem = spec.sem;
  if (sem.kind !== 'store' && sem.kind !== 'atomic') return [];
  const base = m.loaded.dst[pc]!;
  const off = m.loaded.off[pc]!;
  const p = physical(m.layout, before[base + 1]!, before[base]!, off, sem.bytes);
  if (p < 0) return [];
  if (sem.kind === 'atomic' && sem.op === 'cmpxchg') {
    const mask = sem.bytes === 8 ? (1n << 64n) - 1n : 0xffffffffn;
    const expected = toU64(before[0]!, before[1]!) & mask;
    const old = toU64(m.values[0]!, m.values[1]!);
    if (old !== expected) return [];
  }
  let value = 0n;
  for (let i = sem.bytes - 1; i >= 0; i--) value = (value << 8n) | BigInt(m.mem[p + i]!);
  return [{ addr: (before[base]! >>> 0) + off, bytes: sem.bytes, value }];
}
