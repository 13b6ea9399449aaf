// Conformance runner for bpf_conformance `.data` files, over any Engine.
//
// A file goes through four stages: parse the data file, build the program
// (`-- asm` assembled or `-- raw` slots; both must agree when both exist),
// validate it (the loader check every engine runs), run it on the engine.
//
// Positive files (tests/):
//   `-- result` present: PASS when the program runs to exit and r0 equals
//                        it (64-bit compare);
//   `-- error` present:  PASS when any stage reports an error.
// Negative files (negative/): PASS when any stage reports an error, or — for
//   a valid program with a deliberately wrong `-- result` — when the program
//   runs and r0 does NOT equal it.
// An engine's own failure (it throws) is always a FAIL: it says nothing about
// the program.

import { readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { checkDataFile, type DataFileVerdict } from '../asm/data-file-check.ts';
import type { DataFile } from '../asm/data-file.ts';
import type { Engine } from './engine.ts';

/** How a file's outcome is judged. 'auto': negative when the file sits in a directory named `negative`. */
export type SuiteMode = 'auto' | 'positive' | 'negative';

/** Where a file stopped. 'read', 'internal' (a crash in the toolkit) and 'engine' always fail the file. */
export type Stage = 'read' | 'parse' | 'assemble' | 'validate' | 'run' | 'engine' | 'internal';

/** What happened to a file, before judging it. */
export type Outcome =
  | { readonly kind: 'error'; readonly stage: Stage; readonly message: string }
  | { readonly kind: 'exit'; readonly r0: bigint; readonly insns?: number };

export interface FileResult {
  readonly path: string;
  /** `<directory>/<file>`, e.g. `tests/add.data`. */
  readonly name: string;
  readonly passed: boolean;
  /** Why it failed (one line); undefined when it passed. */
  readonly reason?: string;
  readonly negative: boolean;
  readonly outcome: Outcome;
}

export interface ConformanceOptions {
  engine: Engine;
  mode?: SuiteMode;
  /** Called as each file finishes, in order (e.g. to stream the report). */
  onResult?: (result: FileResult) => void;
}

export interface ConformanceSummary {
  readonly results: readonly FileResult[];
  readonly passed: number;
  readonly failed: number;
}

export async function runConformance(paths: readonly string[], opts: ConformanceOptions): Promise<ConformanceSummary> {
  const results: FileResult[] = [];
  for (const entry of await expandPaths(paths)) {
    const result = typeof entry === 'string'
      ? await runConformanceFile(entry, opts.engine, { mode: opts.mode })
      : entry;
    results.push(result);
    opts.onResult?.(result);
  }
  const passed = results.filter((r) => r.passed).length;
  return { results, passed, failed: results.length - passed };
}

/** Run one `.data` file on an engine and judge it. Never throws. */
export async function runConformanceFile(
  path: string, engine: Engine, opts: { mode?: SuiteMode } = {},
): Promise<FileResult> {
  const negative = isNegative(path, opts.mode ?? 'auto');
  const name = displayName(path);
  let text: string;
  try {
    // Synchronously: the files are small, and an awaited read per file
    // costs more than the run of its program on the simulated CPU.
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return judged(path, name, false, { kind: 'error', stage: 'read', message: errorText(e) });
  }
  const { outcome, data, expectsError } = await execute(text, path, engine);
  // A file that does not even parse is judged by its section headers.
  return judged(path, name, negative, outcome, data, expectsError ?? /^--\s*error\s*$/m.test(text));
}

interface Executed {
  readonly outcome: Outcome;
  readonly data?: DataFile;
  /** Whether the file has an `-- error` section; unknown when it did not parse. */
  readonly expectsError?: boolean;
}

async function execute(text: string, path: string, engine: Engine): Promise<Executed> {
  // Parse, assemble, validate: the asm module's loader pipeline.
  let verdict: DataFileVerdict;
  try {
    verdict = checkDataFile(text, path);
  } catch (e) {
    return { outcome: { kind: 'error', stage: 'internal', message: errorText(e) } };
  }
  if (verdict.kind === 'rejected') {
    return {
      outcome: { kind: 'error', stage: verdict.stage, message: verdict.message },
      expectsError: verdict.stage === 'parse' ? undefined : verdict.expectedError !== undefined,
    };
  }
  const { program, data } = verdict;
  const expectsError = data.error !== undefined;
  try {
    const result = await engine.run(program, data.mem ?? new Uint8Array(0));
    if (result.kind === 'fault') return { outcome: { kind: 'error', stage: 'run', message: result.message }, data, expectsError };
    return { outcome: { kind: 'exit', r0: BigInt.asUintN(64, result.r0), insns: result.insns }, data, expectsError };
  } catch (e) {
    const message = `engine '${engine.name}' failed: ${errorText(e)}`;
    return { outcome: { kind: 'error', stage: 'engine', message }, data, expectsError };
  }
}

function judged(
  path: string, name: string, negative: boolean, outcome: Outcome, data?: DataFile, expectsError = false,
): FileResult {
  const reason = negative ? negativeFailure(outcome, data) : positiveFailure(outcome, data, expectsError);
  return { path, name, passed: reason === undefined, negative, outcome, ...(reason === undefined ? {} : { reason }) };
}

function positiveFailure(outcome: Outcome, data: DataFile | undefined, expectsError: boolean): string | undefined {
  if (outcome.kind === 'error') {
    if (expectsError && !toolFailure(outcome.stage)) return undefined;
    return `${stageLabel(outcome.stage)}: ${outcome.message}`;
  }
  if (expectsError) return `expected an error, but the program ran and returned r0 = ${hex(outcome.r0)}`;
  if (data?.result === undefined) return `the program ran (r0 = ${hex(outcome.r0)}) but the file has no -- result or -- error section`;
  if (outcome.r0 !== data.result) return `r0 = ${hex(outcome.r0)}, expected ${hex(data.result)}`;
  return undefined;
}

function negativeFailure(outcome: Outcome, data: DataFile | undefined): string | undefined {
  if (outcome.kind === 'error') {
    if (toolFailure(outcome.stage)) return `${stageLabel(outcome.stage)}: ${outcome.message}`;
    return undefined;
  }
  if (data?.result !== undefined && outcome.r0 !== data.result) return undefined;
  if (data?.result !== undefined) {
    return `negative test: the program ran and its r0 = ${hex(outcome.r0)} matches the -- result it must not match`;
  }
  return `negative test: expected an error, but the program ran and returned r0 = ${hex(outcome.r0)}`;
}

/** Failures that say nothing about the program, so never count as the expected error. */
function toolFailure(stage: Stage): boolean {
  return stage === 'read' || stage === 'engine' || stage === 'internal';
}

function stageLabel(stage: Stage): string {
  switch (stage) {
    case 'read': return 'cannot read file';
    case 'parse': return 'bad data file';
    case 'assemble': return 'assembly failed';
    case 'validate': return 'invalid program';
    case 'run': return 'fault';
    case 'engine': return 'engine error';
    case 'internal': return 'internal error (a bpfgate bug)';
  }
}

/** One report line: `PASS name` or `FAIL name: reason`. */
export function formatResultLine(result: FileResult): string {
  return result.passed ? `PASS ${result.name}` : `FAIL ${result.name}: ${oneLine(result.reason ?? 'failed')}`;
}

/** The closing line other tools parse: exactly `N passed, N failed`. */
export function formatSummaryLine(summary: Pick<ConformanceSummary, 'passed' | 'failed'>): string {
  return `${summary.passed} passed, ${summary.failed} failed`;
}

/** The whole report: one line per file, then the summary line. */
export function formatReport(summary: ConformanceSummary): string {
  return [...summary.results.map(formatResultLine), formatSummaryLine(summary)].join('\n') + '\n';
}

/**
 * The CLI's job in one call: run, write one line per file as it finishes and
 * then the summary line, and return the exit code (0 only when at least one
 * file ran and none failed).
 */
export async function runConformanceReport(
  paths: readonly string[], opts: ConformanceOptions & { write: (line: string) => void },
): Promise<number> {
  const summary = await runConformance(paths, {
    ...opts,
    onResult: (r) => {
      opts.write(formatResultLine(r));
      opts.onResult?.(r);
    },
  });
  opts.write(formatSummaryLine(summary));
  return summary.failed === 0 && summary.passed > 0 ? 0 : 1;
}

/**
 * Files to run, in order: each directory becomes its `.data` files sorted by
 * name; a path that cannot be read becomes a failed result in its place.
 */
export async function expandPaths(paths: readonly string[]): Promise<(string | FileResult)[]> {
  const out: (string | FileResult)[] = [];
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch (e) {
      out.push(judged(path, displayName(path), false, { kind: 'error', stage: 'read', message: errorText(e) }));
      continue;
    }
    if (!isDirectory) {
      out.push(path);
      continue;
    }
    const names = (await readdir(path)).filter((f) => f.endsWith('.data')).sort();
    for (const f of names) out.push(join(path, f));
  }
  return out;
}

function isNegative(path: string, mode: SuiteMode): boolean {
  if (mode !== 'auto') return mode === 'negative';
  return basename(dirname(path)) === 'negative';
}

function displayName(path: string): string {
  const dir = basename(dirname(path));
  return dir && dir !== '.' ? `${dir}/${basename(path)}` : basename(path);
}

function hex(value: bigint): string {
  return `0x${value.toString(16)}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, '; ');
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
