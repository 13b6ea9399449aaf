// The bitstream flow: Verilog -> yosys -> nextpnr -> icepack -> .bin, for a
// board from boards/. Every step's output stays in outDir for the user
// (design.json, design.pcf, design.asc, design.bin, the tool logs and the
// report), and every failure names its cause in the user's terms.

import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { deviceInfo } from '../board/devices.ts';
import { assignPins, formatPcf, type DesignPort, type PinAssignment } from '../board/pcf.ts';
import { assertSupported, requireBoard } from '../board/registry.ts';
import type { BoardDescription } from '../board/types.ts';
import { DesignDoesNotFitError, TimingError, ToolchainError, ToolFailedError } from './errors.ts';
import { explainNextpnrFailure, placeAndRoute, type PnrResult, type Router } from './pnr.ts';
import { isMilestone, STEP_TITLES, type BuildProgress, type BuildStep } from './progress.ts';
import { formatReport, synthOverflows, type BuildReport, type BuildStepTime } from './report.ts';
import type { VerilogInput } from './sources.ts';
import { synthesize, type SynthResult } from './synth.ts';
import { packBitstream } from './pack.ts';
import { yowaspVersions, YowaspRunFailure } from './yowasp.ts';

export interface BuildOptions {
  readonly verilog: VerilogInput;
  readonly top: string;
  /** A board id/alias from boards/, or a description. */
  readonly board: string | BoardDescription;
  readonly outDir: string;
  /** Timing target; default: the board's oscillator. */
  readonly clockMHz?: number;
  /** Explicit pins for ports the board conventions do not cover, or overrides. */
  readonly pins?: Readonly<Record<string, string>>;
  /** Map multipliers to DSPs (default: when the device has them). */
  readonly dsp?: boolean;
  /** Extra `synth_ice40` options. */
  readonly synthArgs?: readonly string[];
  /** Stop after yosys: cell counts only (the CPU's size target). */
  readonly synthOnly?: boolean;
  /** Write the bitstream even when a clock misses the target. */
  readonly allowTimingFailure?: boolean;
  /** Build for a board listed as unsupported (small test designs). */
  readonly allowUnsupportedBoard?: boolean;
  readonly seed?: number;
  /** nextpnr router (default router1). */
  readonly router?: Router;
  readonly onProgress?: (event: BuildProgress) => void;
}

/** Paths of what the build wrote; optional ones depend on how far it got. */
export interface BuildFiles {
  readonly json: string;
  readonly yosysLog: string;
  readonly pcf?: string;
  readonly asc?: string;
  readonly nextpnrLog?: string;
  readonly bin?: string;
  readonly reportTxt: string;
  readonly reportJson: string;
}

export interface BuildResult {
  readonly report: BuildReport;
  readonly reportText: string;
  readonly board: BoardDescription;
  readonly ports: readonly DesignPort[];
  /** Absent in synth-only mode. */
  readonly pins?: readonly PinAssignment[];
  /** The PCF given to nextpnr (absent in synth-only mode). */
  readonly pcf?: string;
  readonly files: BuildFiles;
}

const OUTPUT_NAMES = {
  json: 'design.json',
  yosysLog: 'yosys.log',
  pcf: 'design.pcf',
  asc: 'design.asc',
  nextpnrLog: 'nextpnr.log',
  bin: 'design.bin',
  reportTxt: 'report.txt',
  reportJson: 'report.json',
} as const;

export async function buildBitstream(options: BuildOptions): Promise<BuildResult> {
  const board = typeof options.board === 'string' ? requireBoard(options.board) : options.board;
  if (!options.allowUnsupportedBoard) assertSupported(board);
  const device = deviceInfo(board.device);
  const target = `${device.part}-${board.package.toUpperCase()}`;
  const targetText = `${target} (board ${board.id})`;
  const clockMHz = options.clockMHz ?? board.clock.mhz;
  if (!Number.isFinite(clockMHz) || clockMHz <= 0) {
    throw new ToolchainError(`clock frequency must be a positive number of MHz, got ${options.clockMHz}`);
  }

  const router = options.router ?? 'router1';
  const outDir = resolve(options.outDir);
  const path = (key: keyof typeof OUTPUT_NAMES): string => join(outDir, OUTPUT_NAMES[key]);
  await mkdir(outDir, { recursive: true });
  // A stale design.bin from an earlier build must never look like this build's.
  await Promise.all(Object.keys(OUTPUT_NAMES).map((k) => rm(path(k as keyof typeof OUTPUT_NAMES), { force: true })));

  const started = Date.now();
  const steps: BuildStepTime[] = [];
  const emit = options.onProgress ?? ((): void => {});
  async function step<T>(name: BuildStep, work: (onLine: (line: string) => void) => Promise<T>): Promise<T> {
    emit({ kind: 'step-start', step: name, title: STEP_TITLES[name] });
    const t0 = Date.now();
    const onLine = (line: string): void => {
      if (isMilestone(name, line)) emit({ kind: 'log', step: name, line });
    };
    const result = await work(onLine);
    const ms = Date.now() - t0;
    steps.push({ step: name, ms });
    emit({ kind: 'step-done', step: name, ms });
    return result;
  }

  // 1. Synthesis.
  let synth: SynthResult;
  try {
    synth = await step('synth', (onLine) =>
      synthesize({ verilog: options.verilog, top: options.top, device, dsp: options.dsp, synthArgs: options.synthArgs, onLine }),
    );
  } catch (err) {
    if (!(err instanceof YowaspRunFailure)) throw err;
    await writeFile(path('yosysLog'), err.output);
    throw new ToolFailedError('yosys', err.errorLines(), path('yosysLog'));
  }
  await writeFile(path('json'), synth.json);
  await writeFile(path('yosysLog'), synth.log);
  // What has been written so far; finish() adds the reports.
  const written: { -readonly [K in keyof BuildFiles]?: string } = { json: path('json'), yosysLog: path('yosysLog') };

  const overflows = synthOverflows(synth.stats, device.capacity);
  if (overflows.length) throw new DesignDoesNotFitError(targetText, overflows, path('yosysLog'));

  const tools = await yowaspVersions();
  const finish = async (extra: Partial<BuildReport>, pins?: readonly PinAssignment[], pcf?: string): Promise<BuildResult> => {
    const files: BuildFiles = { ...written, json: path('json'), yosysLog: path('yosysLog'), reportTxt: path('reportTxt'), reportJson: path('reportJson') };
    const report: BuildReport = {
      top: options.top,
      board: { id: board.id, title: board.title },
      target,
      mode: options.synthOnly ? 'synth-only' : 'bitstream',
      tools,
      ...(options.synthOnly ? {} : { pnr: { router, ...(options.seed !== undefined ? { seed: options.seed } : {}) } }),
      synth: synth.stats,
      capacity: device.capacity,
      steps,
      totalMs: Date.now() - started,
      files: { ...files },
      warnings: [...synth.warnings, ...(extra.warnings ?? [])],
      ...(extra.utilisation ? { utilisation: extra.utilisation } : {}),
      ...(extra.timing ? { timing: extra.timing } : {}),
    };
    const reportText = formatReport(report);
    await writeFile(path('reportTxt'), reportText);
    await writeFile(path('reportJson'), JSON.stringify(report, null, 2) + '\n');
    return { report, reportText, board, ports: synth.ports, pins, pcf, files };
  };

  if (options.synthOnly) return finish({});

  // 2. Pin constraints from the board and the top module's ports.
  const { pins, pcf } = await step('constraints', async () => {
    const pins = assignPins(board, synth.ports, options.pins);
    const header = `bpfgate pin constraints: top '${options.top}' on ${board.title} (${target})`;
    return { pins, pcf: formatPcf(pins, { header }) };
  });
  await writeFile(path('pcf'), pcf);
  written.pcf = path('pcf');

  // 3. Place and route.
  let pnr: PnrResult;
  try {
    pnr = await step('place-and-route', (onLine) =>
      placeAndRoute({ json: synth.json, device, packageName: board.package, pcf, freqMHz: clockMHz, seed: options.seed, router, onLine }),
    );
  } catch (err) {
    if (!(err instanceof YowaspRunFailure)) throw err;
    await writeFile(path('nextpnrLog'), err.output);
    throw explainNextpnrFailure(err, { target: targetText, pcf, pcfPath: path('pcf'), logPath: path('nextpnrLog') });
  }
  await writeFile(path('nextpnrLog'), pnr.log);
  await writeFile(path('asc'), pnr.asc);
  written.nextpnrLog = path('nextpnrLog');
  written.asc = path('asc');
  const timing = { targetMHz: clockMHz, clocks: pnr.clocks, met: pnr.clocks.every((c) => c.met) };

  // 4. Bitstream, unless timing failed and that is not allowed.
  if (timing.met || options.allowTimingFailure) {
    const bin = await step('pack', () => packBitstream(pnr.asc));
    await writeFile(path('bin'), bin);
    written.bin = path('bin');
  }

  const result = await finish({ utilisation: pnr.utilisation, timing, warnings: pnr.warnings }, pins, pcf);
  if (!timing.met && !options.allowTimingFailure) throw new TimingError(timing.clocks, path('reportTxt'));
  return result;
}
