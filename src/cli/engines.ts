// Engine names the CLI accepts, mapped to their factories. Engines that need
// heavy setup (elaborating the CPU, building Verilator) are imported lazily so
// `bpfgate asm` stays fast.

import type { Engine } from '../conformance/index.ts';
import type { CpuPreset } from '../../hdl/cpu/presets.ts';
import { UserError } from './errors.ts';
import { registerCpuEngines } from '../engines/cli.ts';

export interface EngineOptions {
  legacyPacket?: boolean;
  maxInsns?: number;
  port?: string;
  /** A shipped CPU build (hdl/cpu/presets.ts) for the CPU engines; default: each engine's own default build. */
  preset?: CpuPreset;
}

type Factory = (opts: EngineOptions) => Promise<Engine>;

const FACTORIES: Record<string, { describe: string; create: Factory }> = {
  interp: {
    describe: 'the reference interpreter (RFC 9669)',
    create: async (opts) => {
      if (opts.preset) throw new UserError(`--board/--config choose a CPU build; the interpreter has none (use --engine sim, verilator, icarus or soc-sim)`);
      const { createInterpreterEngine } = await import('../conformance/index.ts');
      return createInterpreterEngine({
        ...(opts.legacyPacket ? { legacyPacket: true } : {}),
        ...(opts.maxInsns ? { maxInsns: opts.maxInsns } : {}),
      });
    },
  },
};

/** Engines added by other parts (simulated CPU, Verilator, Icarus, board) register here. */
export function registerEngine(name: string, describe: string, create: Factory): void {
  FACTORIES[name] = { describe, create };
}

export function engineNames(): string[] {
  return Object.keys(FACTORIES);
}

export function describeEngines(): string {
  return Object.entries(FACTORIES).map(([n, f]) => `${n} (${f.describe})`).join(', ');
}

export async function createEngine(name: string, opts: EngineOptions = {}): Promise<Engine> {
  const factory = FACTORIES[name];
  if (!factory) throw new UserError(`unknown engine '${name}'; known engines: ${engineNames().join(', ')}`);
  return factory.create(opts);
}

// The CPU engines (TS simulator, Verilator, Icarus): loaded only when used.
registerCpuEngines(registerEngine);
