// The simulated CPU as a conformance Engine: the CPU system is elaborated
// and compiled once per engine; every program is loaded into the same
// simulation and run to halt, fault or the cycle limit.

import type { Engine, EngineResult } from '../conformance/engine.ts';
import type { HelperTable } from '../interp/types.ts';
import type { Program } from '../program.ts';
import { makeConfig, type CpuConfig } from '../../hdl/cpu/config.ts';
import { traceVcd } from '../../sim/vcd.ts';
import { cachedSimulator } from '../../sim/sim-cache.ts';
import type { Simulator } from '../../sim/simulator.ts';
import { makeSystem } from '../../hdl/cpu/system.ts';
import { CpuSim, type CpuRunResult } from './cpu-sim.ts';
import { cpuFaultMessage } from './fault-message.ts';
import { describeSlot } from '../interp/describe.ts';
import { buildImage, ImageError } from './image.ts';

export interface CpuEngineOptions {
  /** CPU build (default: makeConfig()). `legacyPacket` switches the packet group on. */
  config?: Partial<CpuConfig>;
  legacyPacket?: boolean;
  /** Cycle limit per run (a timeout fault). Default 200,000,000. */
  maxCycles?: number;
  /** Instruction budget (the interpreter's maxInsns; a 'budget' fault). Default 10,000,000, or less when the build's counters are narrower (defaultMaxInsns). */
  maxInsns?: number;
  /** Helpers answered on the extension port. */
  helpers?: HelperTable;
  /** Write a VCD of every run here (sim and icarus; the last run wins). */
  vcd?: string;
  /** Progress of long runs (sim engine only): see RunLimits.onProgress. */
  onProgress?: (cycles: number, insns: number) => void;
  progressCycles?: number;
}

export const DEFAULT_MAX_CYCLES = 200_000_000;
export const DEFAULT_MAX_INSNS = 10_000_000;

/** The default budget, or the most a build with narrower counters can count (the 'minimal' build's 16 bits: 65,535). */
export function defaultMaxInsns(cfg: CpuConfig): number {
  return Math.min(DEFAULT_MAX_INSNS, 2 ** cfg.counterBits - 1);
}

export function cpuConfigOf(opts: CpuEngineOptions): CpuConfig {
  return makeConfig({ ...(opts.legacyPacket ? { packet: true } : {}), ...opts.config });
}

/** An engine result from a hardware run (shared by sim, Verilator and Icarus). */
export function toEngineResult(engine: string, program: Program, r: CpuRunResult, maxCycles: number): EngineResult {
  const counts = { insns: r.insns, cycles: r.cycles };
  if (r.kind === 'exit') return { kind: 'exit', r0: r.r0, ...counts };
  if (r.kind === 'timeout') {
    const at = r.faultPc !== undefined ? ` at pc ${r.faultPc}: ${describeSlot(program, r.faultPc)}` : '';
    return {
      kind: 'fault', code: 'timeout', ...(r.faultPc !== undefined ? { pc: r.faultPc } : {}),
      message: `cycle limit of ${maxCycles} reached on ${engine}${at} after ${r.insns} instructions`, ...counts,
    };
  }
  const code = r.faultCode!;
  return { kind: 'fault', code, pc: r.faultPc, message: cpuFaultMessage(engine, program, code, r.faultPc!), ...counts };
}

/** The CPU system for cfg, compiled once per configuration and source version (sim-cache.ts). */
export function cachedCpuSystem(cfg: CpuConfig): Simulator {
  return cachedSimulator({ design: 'cpu-system', cfg }, () => makeSystem(cfg));
}

export function createSimEngine(opts: CpuEngineOptions = {}): Engine & { readonly cpu: CpuSim } {
  const cpu = new CpuSim(cpuConfigOf(opts), cachedCpuSystem);
  const maxCycles = opts.maxCycles ?? DEFAULT_MAX_CYCLES;
  const engine = {
    name: 'sim',
    cpu,
    run(program: Program, input: Uint8Array): EngineResult {
      let image;
      try {
        image = buildImage(cpu.cfg, program, input);
      } catch (e) {
        if (e instanceof ImageError) return { kind: 'fault', code: 'image', message: e.message };
        throw e;
      }
      const r = cpu.run(image, {
        maxCycles, maxInsns: opts.maxInsns ?? defaultMaxInsns(cpu.cfg), helpers: opts.helpers,
        ...(opts.onProgress ? { onProgress: opts.onProgress, progressCycles: opts.progressCycles } : {}),
      },
        opts.vcd ? (sim) => traceVcd(sim, opts.vcd!) : undefined);
      return toEngineResult('sim', program, r, maxCycles);
    },
  };
  return engine;
}
