// Registration of the CPU engines with the CLI, lazily: the CPU is only
// elaborated (and Verilator only built) when one of these engines is used.
//
//   import { registerCpuEngines } from '../engines/cli.ts';
//   registerCpuEngines(registerEngine);   // in src/cli/engines.ts

import type { Engine } from '../conformance/engine.ts';
import { presetConfig, type CpuPreset } from '../../hdl/cpu/presets.ts';
import type { CpuEngineOptions } from './sim.ts';

/** The options the CLI's engine factories receive (src/cli/engines.ts EngineOptions). */
export interface CliEngineOptions {
  legacyPacket?: boolean;
  maxInsns?: number;
  /** A shipped CPU build; default: the CPU's defaults. */
  preset?: CpuPreset;
}

function engineOptions(o: CliEngineOptions): CpuEngineOptions {
  return {
    ...(o.legacyPacket ? { legacyPacket: true } : {}),
    ...(o.maxInsns ? { maxInsns: o.maxInsns } : {}),
    // The board's build as the SoC has it, but with the data RAM in block RAM,
    // which these engines load directly (the soc-sim engine covers SPRAM).
    ...(o.preset ? { config: presetConfig(o.preset, { dataRam: 'bram' }) } : {}),
  };
}

export function registerCpuEngines(
  register: (name: string, describe: string, create: (opts: CliEngineOptions) => Promise<Engine>) => void,
): void {
  register('sim', 'the bpfgate CPU in the TS simulator', async (o) => (await import('./sim.ts')).createSimEngine(engineOptions(o)));
  register('verilator', "the CPU's emitted Verilog under Verilator", async (o) => (await import('./verilator.ts')).createVerilatorEngine(engineOptions(o)));
  register('icarus', "the CPU's emitted Verilog under Icarus Verilog", async (o) => (await import('./icarus.ts')).createIcarusEngine(engineOptions(o)));
}
