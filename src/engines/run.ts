// One entry point for running a program on a CPU engine, for the CLI's
// `bpfgate run --engine sim|verilator|icarus [--vcd out.vcd]`.

import type { EngineResult } from '../conformance/engine.ts';
import type { Program } from '../program.ts';
import type { CpuRunResult } from './cpu-sim.ts';
import { createIcarusEngine } from './icarus.ts';
import { createSimEngine, type CpuEngineOptions } from './sim.ts';
import { createVerilatorEngine } from './verilator.ts';

export type CpuEngineName = 'sim' | 'verilator' | 'icarus';
export const CPU_ENGINE_NAMES: readonly CpuEngineName[] = ['sim', 'verilator', 'icarus'];

export interface RunOnEngineOptions extends CpuEngineOptions {
  engine: CpuEngineName;
  /** Write a waveform of the run (sim and icarus). */
  vcd?: string;
}

export interface RunOnEngineResult {
  readonly result: EngineResult;
  /** The hardware's own counters (cycles from start to halt, retired instructions). */
  readonly cycles?: number;
  readonly insns?: number;
}

/**
 * More cycles than any one instruction takes on the CPU (radix-2 64-bit
 * division, the slowest, about 70). A run's cycle limit derived from its
 * instruction budget with this bound is never reached first, so a runaway
 * program ends in a budget fault, which names the pc, not in a bare cycle
 * timeout.
 */
export const MAX_CYCLES_PER_INSN = 100;

export class CpuEngineError extends Error {
  override readonly name = 'CpuEngineError';
}

/** Run `program` with `input` as the packet on a CPU engine. Faults are results; tool problems throw. */
export async function runOnEngine(program: Program, input: Uint8Array, opts: RunOnEngineOptions): Promise<RunOnEngineResult> {
  if (opts.maxCycles === undefined && opts.maxInsns !== undefined) {
    opts = { ...opts, maxCycles: opts.maxInsns * MAX_CYCLES_PER_INSN + 1000 };
  }
  let last: CpuRunResult | undefined;
  let result: EngineResult;
  switch (opts.engine) {
    case 'sim': {
      const e = createSimEngine(opts);
      result = await e.run(program, input);
      last = e.lastRun;
      break;
    }
    case 'icarus':
    case 'verilator': {
      if (opts.engine === 'verilator' && opts.vcd) {
        throw new CpuEngineError('--vcd is supported by the sim and icarus engines (the verilator bench is built without tracing)');
      }
      const e = opts.engine === 'icarus' ? createIcarusEngine(opts) : createVerilatorEngine(opts);
      e.vcd = opts.vcd;
      result = await e.run(program, input);
      last = e.lastRun;
      break;
    }
    default:
      throw new CpuEngineError(`unknown CPU engine '${String(opts.engine)}' (known: ${CPU_ENGINE_NAMES.join(', ')})`);
  }
  return { result, ...(last ? { cycles: last.cycles, insns: last.insns } : {}) };
}
