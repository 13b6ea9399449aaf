// XDP engines by name, for the CLI and the benchmarks. The interpreter and
// the simulated CPU (./cpu-engine.ts) and Verilator (./verilator-engine.ts,
// helper-free programs only) are built in, each loaded only when asked for;
// a board engine registers here when it can run XDP (it needs XdpEngine from
// ./engine.ts).

import type { MemoryMap } from '../isa/memory-map.ts';
import type { XdpEngine } from './engine.ts';
import { XdpError } from './errors.ts';

export interface XdpEngineOptions {
  memoryMap?: MemoryMap;
  /** The board's clock, for engines that turn cycles into time. */
  clockHz?: number;
}

type Factory = (opts: XdpEngineOptions) => Promise<XdpEngine>;

const FACTORIES = new Map<string, { describe: string; create: Factory }>([
  ['interp', {
    describe: 'the reference interpreter',
    create: async (opts) => (await import('./interp-engine.ts')).createInterpXdpEngine({
      ...(opts.memoryMap ? { memoryMap: opts.memoryMap } : {}),
      ...(opts.clockHz ? { nominalHz: opts.clockHz } : {}),
    }),
  }],
  ['sim', {
    describe: 'the bpfgate CPU in the TS simulator, counting cycles',
    create: async (opts) => (await import('./cpu-engine.ts')).createSimXdpEngine({
      ...(opts.memoryMap ? { memoryMap: opts.memoryMap } : {}),
      ...(opts.clockHz ? { clockHz: opts.clockHz } : {}),
    }),
  }],
  ['verilator', {
    describe: 'the bpfgate CPU\'s Verilog under Verilator, counting cycles (programs without helper calls)',
    create: async (opts) => (await import('./verilator-engine.ts')).createVerilatorXdpEngine({
      ...(opts.memoryMap ? { memoryMap: opts.memoryMap } : {}),
      ...(opts.clockHz ? { clockHz: opts.clockHz } : {}),
    }),
  }],
]);

/** Engines that do not run XDP yet, so the error can say so rather than "unknown". */
const PLANNED = ['board'];

export function registerXdpEngine(name: string, describe: string, create: Factory): void {
  FACTORIES.set(name, { describe, create });
}

export function xdpEngineNames(): string[] {
  return [...FACTORIES.keys()];
}

export function describeXdpEngines(): string {
  return [...FACTORIES].map(([name, f]) => `${name} (${f.describe})`).join(', ');
}

/** Throws XdpError for a name no engine registered. */
export async function createXdpEngine(name: string, opts: XdpEngineOptions = {}): Promise<XdpEngine> {
  const factory = FACTORIES.get(name);
  if (factory) return factory.create(opts);
  const known = xdpEngineNames().join(', ');
  if (PLANNED.includes(name)) throw new XdpError(`engine '${name}' cannot run XDP programs yet; XDP engines: ${known}`);
  throw new XdpError(`unknown engine '${name}'; XDP engines: ${known}`);
}
