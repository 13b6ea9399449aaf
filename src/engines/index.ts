// The CPU's engines: the simulated CPU (TS simulator), its emitted Verilog
// under Verilator and Icarus, the lockstep checker and the fuzzer.
import type { Engine } from '../conformance/engine.ts';
import { createIcarusEngine } from './icarus.ts';
import { createSimEngine, type CpuEngineOptions } from './sim.ts';
import { createVerilatorEngine } from './verilator.ts';

export { createSimEngine, cpuConfigOf, type CpuEngineOptions } from './sim.ts';
export { createVerilatorEngine } from './verilator.ts';
export { createIcarusEngine } from './icarus.ts';
export { HdlEngine } from './hdl-engine.ts';
export { CpuSim, type CpuRunResult, type RunLimits } from './cpu-sim.ts';
export { runLockstep, type Divergence, type LockstepOptions, type LockstepResult } from './lockstep.ts';
export { fuzz, formatFailure, type FuzzFailure, type FuzzOptions, type FuzzReport } from './fuzz.ts';
export { ProgramGenerator, Rng } from './random-program.ts';
export { runOnEngine, CPU_ENGINE_NAMES, CpuEngineError, type CpuEngineName, type RunOnEngineOptions, type RunOnEngineResult } from './run.ts';
export { buildImage, ImageError, type RunImage } from './image.ts';

/** The options the CLI's engine factories receive (src/cli/engines.ts EngineOptions). */
export interface CliEngineOptions {
  legacyPacket?: boolean;
  maxInsns?: number;
}

/** Register the CPU engines with the CLI: `registerCpuEngines(registerEngine)`. */
export function registerCpuEngines(
  register: (name: string, describe: string, create: (opts: CliEngineOptions) => Promise<Engine>) => void,
): void {
  const opts = (o: CliEngineOptions): CpuEngineOptions => ({
    ...(o.legacyPacket ? { legacyPacket: true } : {}),
    ...(o.maxInsns ? { maxInsns: o.maxInsns } : {}),
  });
  register('sim', 'the bpfgate CPU in the TS simulator', async (o) => createSimEngine(opts(o)));
  register('verilator', "the CPU's Verilog under Verilator", async (o) => createVerilatorEngine(opts(o)));
  register('icarus', "the CPU's Verilog under Icarus Verilog", async (o) => createIcarusEngine(opts(o)));
}
