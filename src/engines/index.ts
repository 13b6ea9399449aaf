// The CPU's engines: the simulated CPU (TS simulator), its emitted Verilog
// under Verilator and Icarus, the lockstep checker and the fuzzer.
export { createSimEngine, cpuConfigOf, type CpuEngineOptions } from './sim.ts';
export { createVerilatorEngine } from './verilator.ts';
export { createIcarusEngine } from './icarus.ts';
export { HdlEngine } from './hdl-engine.ts';
export { CpuSim, type CpuRunResult, type RunLimits } from './cpu-sim.ts';
export { runLockstep, type Divergence, type LockstepOptions, type LockstepResult } from './lockstep.ts';
export { fuzz, formatFailure, type FuzzFailure, type FuzzOptions, type FuzzReport } from './fuzz.ts';
export { ProgramGenerator } from './random-program.ts';
export { Rng } from '../random.ts';
export { buildImage, ImageError, type RunImage } from './image.ts';
export { createEngine, createXdpEngine, describeEngines, ENGINES, engineNames, requireEngine, EngineChoiceError, type EngineCapabilities, type EngineEntry, type EngineOptions } from './registry.ts';
