// Place and route with nextpnr-ice40, and reading what it says: the
// utilisation and Fmax from its JSON report, and, when it fails, which of the
// user's problems it was (no such pin, design too big, something else).

import type { DeviceInfo } from '../board/devices.ts';
import { parsePcf } from '../board/pcf.ts';
import { DesignDoesNotFitError, PinError, ToolFailedError } from './errors.ts';
import { utilisationOverflows, type ClockTiming, type ResourceUsage, type Utilisation } from './report.ts';
import { runYowasp, treeText, type YowaspRunFailure } from './yowasp.ts';

/**
 * nextpnr's routers. Which is faster depends on how full the device is, so
 * each shipped CPU build names the one measured best for it
 * (hdl/cpu/presets.ts); nextpnr's own default is router1.
 */
export const ROUTERS = ['router1', 'router2'] as const;
export type Router = (typeof ROUTERS)[number];

export interface PnrOptions {
  readonly json: string;
  readonly device: DeviceInfo;
  readonly packageName: string;
  readonly pcf: string;
  readonly freqMHz: number;
  readonly seed?: number;
  /** Default router1 (nextpnr's default). */
  readonly router?: Router;
  readonly onLine?: (line: string) => void;
}

export interface PnrResult {
  readonly asc: string;
  readonly utilisation: Utilisation;
  readonly clocks: readonly ClockTiming[];
  readonly log: string;
  readonly warnings: readonly string[];
}

/** Runs nextpnr; a failure rejects with YowaspRunFailure (see explainNextpnrFailure). */
export async function placeAndRoute(options: PnrOptions): Promise<PnrResult> {
  const args = [
    options.device.nextpnrFlag,
    '--package', options.packageName,
    '--json', 'design.json',
    '--pcf', 'design.pcf',
    '--asc', 'design.asc',
    '--report', 'report.json',
    '--freq', String(options.freqMHz),
    // Timing is judged here from the report, so a miss still yields the
    // numbers (and, when allowed, a bitstream) instead of a bare exit 1.
    '--timing-allow-fail',
    '--router', options.router ?? 'router1',
    ...(options.seed !== undefined ? ['--seed', String(options.seed)] : []),
  ];
  const run = await runYowasp('nextpnr-ice40', args, { 'design.json': options.json, 'design.pcf': options.pcf }, options.onLine);
  const asc = treeText(run.files, 'design.asc');
  const report = treeText(run.files, 'report.json');
  if (asc === undefined || report === undefined) {
    throw new ToolFailedError('nextpnr-ice40', ['finished without writing design.asc/report.json']);
  }
  const parsed = parseNextpnrReport(report, options.freqMHz);
  return { asc, ...parsed, log: run.output, warnings: run.output.split('\n').filter((l) => l.startsWith('Warning:')) };
}

interface NextpnrReportJson {
  utilization?: Record<string, { used: number; available: number }>;
  fmax?: Record<string, { achieved: number; constraint: number }>;
}

const NEXTPNR_RESOURCES: Readonly<Record<keyof Utilisation, string>> = {
  logicCells: 'ICESTORM_LC',
  bram: 'ICESTORM_RAM',
  spram: 'ICESTORM_SPRAM',
  dsp: 'ICESTORM_DSP',
  io: 'SB_IO',
  pll: 'ICESTORM_PLL',
  globalBuffers: 'SB_GB',
};

function toUtilisation(table: Readonly<Record<string, { used: number; available: number }>>): Utilisation {
  const get = (name: string): ResourceUsage => ({ used: table[name]?.used ?? 0, available: table[name]?.available ?? 0 });
  const entries = Object.entries(NEXTPNR_RESOURCES).map(([key, name]) => [key, get(name)]);
  return Object.fromEntries(entries) as Utilisation;
}

/** Utilisation and per-clock Fmax from nextpnr's `--report` JSON. */
export function parseNextpnrReport(reportJson: string, targetMHz: number): { utilisation: Utilisation; clocks: ClockTiming[] } {
  const report = JSON.parse(reportJson) as NextpnrReportJson;
  const clocks = Object.entries(report.fmax ?? {}).map(([clock, f]) => {
    const target = f.constraint || targetMHz;
    return { clock: cleanClockName(clock), fmaxMHz: f.achieved, targetMHz: target, met: f.achieved >= target };
  });
  return { utilisation: toUtilisation(report.utilization ?? {}), clocks };
}

/** nextpnr names a clock after its global buffer net ("clk$SB_IO_IN_$glb_clk"); show the port. */
function cleanClockName(net: string): string {
  return net.replace(/\$SB_IO_IN(_\$glb_clk)?$/, '').replace(/\$glb_clk$/, '');
}

/**
 * The "Device utilisation" table nextpnr logs before placing, which is all
 * there is when placement fails:  "Info: \t ICESTORM_LC:  2777/  1280  216%".
 */
export function parseUtilisationLog(log: string): Utilisation | undefined {
  const start = log.indexOf('Device utilisation:');
  if (start < 0) return undefined;
  const table: Record<string, { used: number; available: number }> = {};
  for (const line of log.slice(start).split('\n').slice(1)) {
    const m = /^Info:\s+(\w+):\s+(\d+)\/\s*(\d+)\s+\d+%/.exec(line);
    if (!m) break;
    table[m[1]!] = { used: Number(m[2]), available: Number(m[3]) };
  }
  return Object.keys(table).length ? toUtilisation(table) : undefined;
}

export interface FailureContext {
  /** e.g. "iCE40UP5K-SG48 (board icebreaker)". */
  readonly target: string;
  readonly pcf: string;
  readonly pcfPath?: string;
  readonly logPath?: string;
}

/** Turns a failed nextpnr run into the error the user needs to see. */
export function explainNextpnrFailure(failure: YowaspRunFailure, ctx: FailureContext): Error {
  const badPin = /package does not have a pin named '([^']+)' \(on line (\d+)\)/.exec(failure.output);
  if (badPin) {
    const line = Number(badPin[2]);
    const entry = parsePcf(ctx.pcf).find((e) => e.line === line);
    const what = entry ? `port '${entry.signal}'` : `line ${line} of the constraints`;
    return new PinError(
      `pin '${badPin[1]}' (for ${what}) does not exist on ${ctx.target}` +
        (ctx.pcfPath ? ` (${ctx.pcfPath}:${line})` : ''),
    );
  }
  const utilisation = parseUtilisationLog(failure.output);
  const overflows = utilisation ? utilisationOverflows(utilisation) : [];
  if (overflows.length) return new DesignDoesNotFitError(ctx.target, overflows, ctx.logPath);
  return new ToolFailedError('nextpnr-ice40', failure.errorLines(), ctx.logPath);
}
