// Every execution engine once: its name, what it is, what it can do, and how
// to make one. The CLI (`run`, `conformance`, `xdp`), the tests and the
// benchmarks list and create engines here, so an engine is added in one
// place and an option an engine cannot honour is refused by its capability,
// never by a list of names somewhere else.
//
// Implementations are imported when an engine is created: elaborating the
// CPU or building Verilator costs seconds, and `bpfgate asm` should not pay.

import type { Engine } from '../conformance/engine.ts';
import type { CpuPreset } from '../../hdl/cpu/presets.ts';
import { presetConfig } from '../../hdl/cpu/presets.ts';
import type { MemoryMap } from '../isa/memory-map.ts';
import type { HostEngine } from '../host/engine.ts';
import type { ArgRegisterName } from '../host/run-program.ts';
import type { TraceStep } from '../interp/types.ts';
import type { XdpEngine } from '../xdp/engine.ts';
import type { CpuEngineOptions } from './sim.ts';

/** What an engine can do beyond running a program on a packet. */
export interface EngineCapabilities {
  /** Writes a waveform of the run (`--vcd`). */
  readonly vcd: boolean;
  /** Reports every retired instruction (`--trace`). */
  readonly trace: boolean;
  /** Starts with given argument registers (`--args`). */
  readonly args: boolean;
  /** Runs a shipped CPU build by name (`--board`, `--config`). */
  readonly boardConfig: boolean;
  /** Counts clock cycles (results carry `cycles`). */
  readonly cycles: boolean;
  /** Needs a serial port (`--port`). */
  readonly port: boolean;
  /** Runs XDP programs (`bpfgate xdp`). */
  readonly xdp: boolean;
}

export interface EngineOptions {
  readonly legacyPacket?: boolean;
  /** Instruction budget: running out is a budget fault naming the pc. */
  readonly maxInsns?: number;
  /** Serial device of a board. */
  readonly port?: string;
  /** A shipped CPU build (hdl/cpu/presets.ts); default: each engine's own. */
  readonly preset?: CpuPreset;
  /** Waveform file of the run. */
  readonly vcd?: string;
  /** Called for each retired instruction. */
  readonly trace?: (step: TraceStep) => void;
  /** Initial argument registers. */
  readonly args?: Partial<Record<ArgRegisterName, bigint>>;
  /** Progress of long simulations: cycles and instructions so far. */
  readonly onProgress?: (cycles: number, insns: number) => void;
}

export interface XdpEngineOptions {
  readonly memoryMap?: MemoryMap;
  /** The board's clock, for engines that turn cycles into time. */
  readonly clockHz?: number;
}

/** An engine that holds a resource (a serial port, a simulation) until closed. */
export type CreatedEngine = Engine & { close?(): Promise<void> };

export interface EngineEntry {
  readonly name: string;
  readonly describe: string;
  readonly capabilities: EngineCapabilities;
  create(opts: EngineOptions): Promise<CreatedEngine>;
  /** Present when capabilities.xdp. */
  createXdp?(opts: XdpEngineOptions): Promise<XdpEngine>;
}

/** A request the chosen engine cannot serve; the message names the engine and the ones that can. */
export class EngineChoiceError extends Error {
  override readonly name = 'EngineChoiceError';
}

/**
 * More cycles than any one instruction takes on the CPU (radix-2 64-bit
 * division, the slowest, about 70). A run's cycle limit derived from its
 * instruction budget with this bound is never reached first, so a runaway
 * program ends in a budget fault, which names the pc, not in a bare cycle
 * timeout.
 */
export const MAX_CYCLES_PER_INSN = 100;

const NONE: EngineCapabilities = { vcd: false, trace: false, args: false, boardConfig: false, cycles: false, port: false, xdp: false };

/** The CPU engines' options: the board's build with its data RAM in block RAM, which these engines load directly (soc-sim covers SPRAM). */
function cpuOptions(o: EngineOptions): CpuEngineOptions {
  return {
    ...(o.legacyPacket ? { legacyPacket: true } : {}),
    ...(o.maxInsns ? { maxInsns: o.maxInsns, maxCycles: o.maxInsns * MAX_CYCLES_PER_INSN + 1000 } : {}),
    ...(o.preset ? { config: presetConfig(o.preset, { dataRam: 'bram' }) } : {}),
    ...(o.vcd ? { vcd: o.vcd } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  };
}

const xdpOptions = (o: XdpEngineOptions) => ({ ...(o.memoryMap ? { memoryMap: o.memoryMap } : {}), ...(o.clockHz ? { clockHz: o.clockHz } : {}) });

export const ENGINES: readonly EngineEntry[] = [
  {
    name: 'interp',
    describe: 'the reference interpreter (RFC 9669)',
    capabilities: { ...NONE, trace: true, args: true, xdp: true },
    create: async (o) => (await import('../conformance/interp-engine.ts')).createInterpreterEngine({
      ...(o.legacyPacket ? { legacyPacket: true } : {}),
      ...(o.maxInsns ? { maxInsns: o.maxInsns } : {}),
      ...(o.trace ? { trace: o.trace } : {}),
      ...(o.args ? { args: o.args } : {}),
    }),
    createXdp: async (o) => (await import('../xdp/interp-engine.ts')).createInterpXdpEngine({
      ...(o.memoryMap ? { memoryMap: o.memoryMap } : {}),
      ...(o.clockHz ? { nominalHz: o.clockHz } : {}),
    }),
  },
  {
    name: 'sim',
    describe: 'the bpfgate CPU in the TS simulator',
    capabilities: { ...NONE, vcd: true, boardConfig: true, cycles: true, xdp: true },
    create: async (o) => (await import('./sim.ts')).createSimEngine(cpuOptions(o)),
    createXdp: async (o) => (await import('../xdp/cpu-engine.ts')).createSimXdpEngine(xdpOptions(o)),
  },
  {
    name: 'verilator',
    describe: "the CPU's emitted Verilog under Verilator",
    capabilities: { ...NONE, boardConfig: true, cycles: true, xdp: true },
    create: async (o) => (await import('./verilator.ts')).createVerilatorEngine(cpuOptions(o)),
    createXdp: async (o) => (await import('../xdp/verilator-engine.ts')).createVerilatorXdpEngine(xdpOptions(o)),
  },
  {
    name: 'icarus',
    describe: "the CPU's emitted Verilog under Icarus Verilog",
    capabilities: { ...NONE, vcd: true, boardConfig: true, cycles: true },
    create: async (o) => (await import('./icarus.ts')).createIcarusEngine(cpuOptions(o)),
  },
  {
    name: 'soc-sim',
    describe: 'the simulated SoC (CPU + UART + host link), through the host protocol',
    capabilities: { ...NONE, args: true, boardConfig: true, cycles: true },
    create: async (o) => {
      const { createSocSimEngine } = await import('../host/engines.ts');
      return withArgs(await createSocSimEngine({ ...(o.maxInsns ? { maxInsns: o.maxInsns } : {}), ...(o.preset ? { cpu: o.preset.cpu } : {}) }), o);
    },
  },
  {
    name: 'board',
    describe: 'a bpfgate board on --port, through the UART host link',
    capabilities: { ...NONE, args: true, cycles: true, port: true },
    create: async (o) => {
      if (!o.port) throw new EngineChoiceError('--engine board needs --port <device> (e.g. --port /dev/ttyUSB1)');
      const { createBoardEngine } = await import('../host/engines.ts');
      return withArgs(await createBoardEngine({ port: o.port, ...(o.maxInsns ? { maxInsns: o.maxInsns } : {}) }), o);
    },
  },
];

/** A host engine whose runs start with the options' argument registers. */
async function withArgs(engine: HostEngine, o: EngineOptions): Promise<CreatedEngine> {
  if (!o.args) return engine;
  const { toEngineResult } = await import('../host/engine.ts');
  return { name: engine.name, close: () => engine.close(), run: async (program, input) => toEngineResult(await engine.runDetailed(program, input, o.args)) };
}

export function engineNames(): string[] {
  return ENGINES.map((e) => e.name);
}

/** `name (what it is)` for each engine, for help texts. */
export function describeEngines(filter: (e: EngineEntry) => boolean = () => true): string {
  return ENGINES.filter(filter).map((e) => `${e.name} (${e.describe})`).join(', ');
}

function namesWith(cap: keyof EngineCapabilities): string {
  return ENGINES.filter((e) => e.capabilities[cap]).map((e) => e.name).join(', ');
}

/** The entry called `name`; throws EngineChoiceError listing the known ones. */
export function requireEngine(name: string): EngineEntry {
  const e = ENGINES.find((x) => x.name === name);
  if (!e) throw new EngineChoiceError(`unknown engine '${name}'; known engines: ${engineNames().join(', ')}`);
  return e;
}

const OPTION_CAPABILITY: readonly [keyof EngineOptions, keyof EngineCapabilities, string][] = [
  ['vcd', 'vcd', '--vcd'],
  ['trace', 'trace', '--trace'],
  ['args', 'args', '--args'],
  ['preset', 'boardConfig', '--board/--config'],
];

/** Create engine `name` with `opts`; an option it cannot honour is an EngineChoiceError naming the engines that can. */
export async function createEngine(name: string, opts: EngineOptions = {}): Promise<CreatedEngine> {
  const e = requireEngine(name);
  for (const [option, cap, flag] of OPTION_CAPABILITY) {
    const given = opts[option];
    if (given === undefined || (option === 'args' && Object.keys(given as object).length === 0)) continue;
    if (!e.capabilities[cap]) throw new EngineChoiceError(`${flag} is not supported by engine ${name}; engines that support it: ${namesWith(cap)}`);
  }
  return e.create(opts);
}

/** Create the XDP engine `name`; an engine that runs no XDP programs is an EngineChoiceError naming those that do. */
export async function createXdpEngine(name: string, opts: XdpEngineOptions = {}): Promise<XdpEngine> {
  const e = requireEngine(name);
  if (!e.createXdp) throw new EngineChoiceError(`engine '${name}' cannot run XDP programs; XDP engines: ${namesWith('xdp')}`);
  return e.createXdp(opts);
}
