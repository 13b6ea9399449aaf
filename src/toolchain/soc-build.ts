// The bpfgate SoC on a real board: pick the CPU build that fits the board's
// FPGA, generate the SoC's Verilog (hdl/soc/top.ts) and run the bitstream
// flow (build.ts) on it. The CPU builds ("presets") and which device gets
// which live in hdl/cpu/presets.ts.

import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { cpuSystem } from '../../hdl/soc/cpu-system.ts';
import { presetConfig, presetFor, type CpuPreset } from '../../hdl/cpu/presets.ts';
import { socVerilog, type SocVerilog } from '../../hdl/soc/top.ts';
import { dataRamWords, type CpuConfig } from '../../hdl/cpu/config.ts';
import { requireBoard } from '../board/registry.ts';
import { deviceInfo } from '../board/devices.ts';
import type { BoardDescription } from '../board/types.ts';
import { toVerilog } from '../dsl/index.ts';
import { buildBitstream, type BuildResult } from './build.ts';
import { DesignDoesNotFitError } from './errors.ts';
import type { BuildProgress } from './progress.ts';
import type { Router } from './pnr.ts';

export interface SocSource {
  readonly board: BoardDescription;
  readonly config: CpuPreset;
  readonly cpu: CpuConfig;
  readonly soc: SocVerilog;
}

export interface SocSourceOptions {
  readonly board: string | BoardDescription;
  /** A preset (hdl/cpu/presets.ts) or its name; default (or 'board') the board's own. */
  readonly config?: string | CpuPreset;
  /** Host link baud rate (default 115200). */
  readonly baud?: number;
  /** Core clock through the PLL (default the preset's `coreMHz`, else the board's oscillator). */
  readonly coreMHz?: number;
  /** One flat module (what the bitstream build uses; the round-trip check needs it). */
  readonly flatten?: boolean;
}

/** The SoC's Verilog for a board and a CPU build. */
export function socSource(opts: SocSourceOptions): SocSource {
  const board = typeof opts.board === 'string' ? requireBoard(opts.board) : opts.board;
  const config = typeof opts.config === 'object' ? opts.config : presetFor(board, opts.config);
  const cpu = presetConfig(config);
  const soc = socVerilog({
    board,
    system: cpuSystem(cpu),
    flatten: opts.flatten ?? true,
    ...(opts.baud !== undefined ? { baud: opts.baud } : {}),
    // The clock asked for, else the one the build is measured to meet.
    ...((opts.coreMHz ?? config.coreMHz) !== undefined ? { coreMHz: opts.coreMHz ?? config.coreMHz } : {}),
  });
  return { board, config, cpu, soc };
}

/** Block RAMs (256 x 16 each, so 4 per 256 words of 64 bits) a memory of `words` 64-bit words takes. */
function bramsFor64(words: number): number {
  return Math.ceil(words / 256) * 4;
}

/**
 * Block RAMs and SPRAMs the CPU's program and data memories need at least
 * (the register file and the host link's buffer come on top), so a build
 * that cannot fit fails in a second, not after minutes of synthesis.
 */
export function memoryBlocks(cpu: CpuConfig): { readonly bram: number; readonly spram: number } {
  const data = dataRamWords(cpu);
  return cpu.dataRam === 'spram'
    ? { bram: bramsFor64(cpu.progWords), spram: 4 }
    : { bram: bramsFor64(cpu.progWords) + bramsFor64(data), spram: 0 };
}

function checkMemoriesFit(src: SocSource): void {
  const device = deviceInfo(src.board.device);
  const need = memoryBlocks(src.cpu);
  const overflows = [
    { resource: 'block RAMs (SB_RAM40_4K)', needed: need.bram, available: device.capacity.bram },
    { resource: 'SPRAMs (SB_SPRAM256KA)', needed: need.spram, available: device.capacity.spram },
  ].filter((o) => o.needed > o.available);
  if (overflows.length) {
    const target = `${device.part}-${src.board.package.toUpperCase()} (board ${src.board.id}, CPU config '${src.config.name}')`;
    throw new DesignDoesNotFitError(target, overflows.map((o) => ({ ...o, detail: `at least, counted from the CPU config: ${src.cpu.progWords} program slots and ${dataRamWords(src.cpu) * 8} B of data + stack` })));
  }
}

export interface SocBuildOptions extends SocSourceOptions {
  readonly outDir: string;
  readonly allowTimingFailure?: boolean;
  readonly seed?: number;
  /** Default: the CPU build's measured choice (CpuPreset.router). */
  readonly router?: Router;
  readonly onProgress?: (event: BuildProgress) => void;
}

export interface SocBuildResult extends SocSource {
  readonly build: BuildResult;
  /** Where the SoC's Verilog was written (soc.v in outDir). */
  readonly verilogPath: string;
}

/**
 * Verilog -> bitstream for a board. Throws DesignDoesNotFitError or
 * TimingError (build.ts) with the numbers when the build does not fit or
 * misses the clock.
 */
export async function buildSoc(opts: SocBuildOptions): Promise<SocBuildResult> {
  const src = socSource({ ...opts, flatten: opts.flatten ?? true });
  checkMemoriesFit(src);
  const outDir = resolve(opts.outDir);
  await mkdir(outDir, { recursive: true });
  const verilogPath = join(outDir, 'soc.v');
  await writeFile(verilogPath, src.soc.verilog);
  const build = await buildBitstream({
    verilog: src.soc.verilog,
    top: src.soc.top,
    board: src.board,
    outDir,
    // The PLL output is the clock to meet when there is one.
    clockMHz: src.soc.coreClockHz / 1e6,
    dsp: src.cpu.multiplier === 'dsp',
    ...(opts.allowTimingFailure !== undefined ? { allowTimingFailure: opts.allowTimingFailure } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    router: opts.router ?? src.config.router ?? 'router1',
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  return { ...src, build, verilogPath };
}

/** One line on what the CPU build has, for the CLI. */
export function describeCpu(cpu: CpuConfig): string {
  const mm = cpu.memoryMap;
  return [
    `multiplier ${cpu.multiplier}`,
    `divider ${cpu.divider}`,
    `atomics ${cpu.atomics ? 'yes' : 'no'}`,
    `v4 ${cpu.v4 ? 'yes' : 'no'}`,
    `callx ${cpu.callx ? 'yes' : 'no'}`,
    `${cpu.progWords} program slots`,
    `${mm.dataSize} B data`,
    `${mm.maxFrames} x ${mm.frameSize} B stack`,
  ].join(', ');
}

export interface WrittenVerilog {
  readonly path: string;
  readonly what: string;
  readonly bytes: number;
}

/** Readable (hierarchical) Verilog of the CPU system and the SoC top, one file each. */
export async function writeSocVerilog(
  opts: Omit<SocSourceOptions, 'flatten'> & { readonly outDir: string },
): Promise<{ readonly source: SocSource; readonly files: WrittenVerilog[] }> {
  const src = socSource({ ...opts, flatten: false });
  const outDir = resolve(opts.outDir);
  await mkdir(outDir, { recursive: true });
  const system = cpuSystem(src.cpu);
  const files: [string, string, string][] = [
    ['cpu_system.v', `CPU system, config '${src.config.name}'`, toVerilog(system.module, { header: `bpfgate CPU system, config '${src.config.name}'` })],
    [`${src.soc.top}.v`, `SoC top for ${src.board.title}`, src.soc.verilog],
  ];
  const written: WrittenVerilog[] = [];
  for (const [name, what, text] of files) {
    const path = join(outDir, name);
    await writeFile(path, text);
    written.push({ path, what, bytes: Buffer.byteLength(text) });
  }
  return { source: src, files: written };
}
