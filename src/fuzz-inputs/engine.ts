// The input-fuzzing engine: runs one target (a parser and the inputs a user
// could hand it) on many seeded cases, tells a deliberate, located error of
// the project's own type from a crash, and shrinks every crash to a small
// reproducer. Targets are in ./targets/, one per parser; ./cli.ts runs them
// by hand (`make fuzz-inputs`), test/fuzz-inputs/ runs them in `make test`.

import { Rng } from '../random.ts';
import { shrinkValue } from './shrink.ts';

/** A case's input: text, bytes, or a record or list of them (what ./shrink.ts reduces). */
export type Value = unknown;

/** What a target tells about an error its parser threw. */
export type Verdict =
  /** A deliberate error of the project's own type, located as it should be. */
  | { readonly ok: true }
  /** Anything else: the reason it is a crash. */
  | { readonly ok: false; readonly why: string };

/**
 * A target of any input type, for lists of targets: each target's run,
 * judge and generator agree on its own input type, which a list cannot name.
 */
export type AnyTarget = FuzzTarget<any>;

export const EXPECTED: Verdict = { ok: true };
export const crash = (why: string): Verdict => ({ ok: false, why });

export interface FuzzTarget<I extends Value = Value> {
  /** Short name, used by `--target` (asm, elf, ...). */
  readonly name: string;
  /** What the target feeds, for the summary. */
  readonly describe: string;
  /**
   * Once before the first case: the real samples to mutate (files read,
   * objects compiled, frames encoded). Returns the case generator.
   */
  prepare(): Promise<(rng: Rng) => I> | ((rng: Rng) => I);
  /** Feed one input. Returning normally is a pass; a thrown error is judged by `judge`. */
  run(input: I): void | Promise<void>;
  /** Is this thrown error one the parser means to throw, located? */
  judge(err: unknown, input: I): Verdict;
  /** The reproducer as text a person can paste into a test (default: JSON, bytes as hex). */
  show?(input: I): string;
}

export interface Failure {
  readonly target: string;
  /** The run's seed and the case index: `--seed S --case N` replays it alone. */
  readonly seed: number;
  readonly caseIndex: number;
  /** The error of the original case and of the shrunk one. */
  readonly error: string;
  readonly why: string;
  readonly input: Value;
  readonly shrunk: Value;
  readonly shrunkError: string;
  readonly shrinkSteps: number;
}

export interface RunOptions {
  readonly cases: number;
  readonly seed: number;
  /** Run only this case (replay); `cases` is then ignored. */
  readonly onlyCase?: number;
  /** Stop after this many distinct failures (default 5): one bug tends to repeat. */
  readonly maxFailures?: number;
  /** Called every `progressEvery` cases (default 10,000). */
  readonly onProgress?: (done: number, failures: number) => void;
  readonly progressEvery?: number;
  /** Shrinking budget per failure, in runs of the target (default 3,000). */
  readonly shrinkRuns?: number;
}

export interface RunSummary {
  readonly target: string;
  readonly cases: number;
  /** Cases whose parser threw its own, located error (the rest returned normally). */
  readonly rejected: number;
  readonly failures: Failure[];
  readonly seconds: number;
  /** The slowest single case, in ms, and its index: a parser gone quadratic shows here. */
  readonly slowestMs: number;
  readonly slowestCase: number;
}

/**
 * The seed of case `index` of a run: each case has its own PRNG, so a case
 * replays alone from (seed, index) without running the ones before it.
 */
export function caseSeed(seed: number, index: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}

type Outcome = { kind: 'pass' } | { kind: 'rejected' } | { kind: 'crash'; err: unknown; why: string };

/** A case that has not finished after this long is a failure (an await that never resolves: standard input, a port). */
export const CASE_TIMEOUT_MS = 30_000;

export class CaseTimeout extends Error {
  override name = 'CaseTimeout';
}

async function withTimeout(result: void | Promise<void>): Promise<void> {
  if (!(result instanceof Promise)) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CaseTimeout(`the case did not finish within ${CASE_TIMEOUT_MS / 1000} s`)), CASE_TIMEOUT_MS);
  });
  try {
    await Promise.race([result, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function attempt<I extends Value>(target: FuzzTarget<I>, input: I): Promise<Outcome> {
  try {
    await withTimeout(target.run(input));
    return { kind: 'pass' };
  } catch (err) {
    if (err instanceof CaseTimeout) return { kind: 'crash', err, why: 'hangs' };
    const verdict = target.judge(err, input);
    return verdict.ok ? { kind: 'rejected' } : { kind: 'crash', err, why: verdict.why };
  }
}

export function describeError(err: unknown): string {
  if (err instanceof Error) {
    // The first stack frame inside the project says where it broke.
    const frame = (err.stack ?? '').split('\n').find((l) => /^\s+at /.test(l) && !l.includes('node_modules'));
    return `${err.name}: ${err.message.split('\n')[0]!.slice(0, 300)}${frame ? ` (${frame.trim().replace(/^at /, 'at ')})` : ''}`;
  }
  return `non-Error thrown: ${String(err).slice(0, 300)}`;
}

/**
 * Same bug: same error class, message shape (digits and quoted text
 * blurred) and the function it was thrown in, so shrinking cannot wander
 * off to another bug (dropping a record's field makes a TypeError of its own).
 */
function signature(err: unknown): string {
  const name = err instanceof Error ? err.name : typeof err;
  const message = err instanceof Error ? err.message : String(err);
  const frame = err instanceof Error ? (err.stack ?? '').split('\n').find((l) => /^\s+at /.test(l)) ?? '' : '';
  return `${name}|${message.split('\n')[0]!.replace(/'[^']*'/g, "'…'").replace(/\d+/g, 'N')}|${frame.replace(/:\d+:\d+\)?$/, '').trim()}`;
}

export async function runTarget<I extends Value>(target: FuzzTarget<I>, opts: RunOptions): Promise<RunSummary> {
  const generate = await target.prepare();
  const maxFailures = opts.maxFailures ?? 5;
  const every = opts.progressEvery ?? 10_000;
  const failures: Failure[] = [];
  const seen = new Set<string>();
  const start = performance.now();
  let rejected = 0;
  let slowestMs = 0;
  let slowestCase = 0;
  const first = opts.onlyCase ?? 0;
  const end = opts.onlyCase === undefined ? opts.cases : opts.onlyCase + 1;
  let done = 0;
  for (let i = first; i < end; i++) {
    const input = generate(new Rng(caseSeed(opts.seed, i)));
    const t0 = performance.now();
    const outcome = await attempt(target, input);
    const ms = performance.now() - t0;
    if (ms > slowestMs) [slowestMs, slowestCase] = [ms, i];
    done++;
    if (outcome.kind === 'rejected') rejected++;
    if (outcome.kind === 'crash') {
      const sig = signature(outcome.err);
      if (!seen.has(sig)) {
        seen.add(sig);
        failures.push(await shrinkFailure(target, opts, i, input, outcome));
      }
      if (failures.length >= maxFailures) break;
    }
    if (opts.onProgress && done % every === 0) opts.onProgress(done, failures.length);
  }
  return {
    target: target.name, cases: done, rejected, failures,
    seconds: (performance.now() - start) / 1000, slowestMs, slowestCase,
  };
}

async function shrinkFailure<I extends Value>(
  target: FuzzTarget<I>, opts: RunOptions, caseIndex: number, input: I, outcome: Extract<Outcome, { kind: 'crash' }>,
): Promise<Failure> {
  const sig = signature(outcome.err);
  let lastErr = outcome.err;
  const stillFails = async (candidate: Value): Promise<boolean> => {
    const o = await attempt(target, candidate as I);
    if (o.kind !== 'crash' || signature(o.err) !== sig) return false;
    lastErr = o.err;
    return true;
  };
  const { value, steps } = await shrinkValue(input, stillFails, opts.shrinkRuns ?? 3_000);
  // Run the shrunk input once more so the error shown is the shrunk input's own.
  await stillFails(value);
  return {
    target: target.name, seed: opts.seed, caseIndex,
    error: describeError(outcome.err), why: outcome.why,
    input, shrunk: value, shrunkError: describeError(lastErr), shrinkSteps: steps,
  };
}

/** A value as reproducer text: JSON with byte arrays as hex strings. */
export function showValue(v: Value): string {
  return JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? `hex:${Buffer.from(x).toString('hex')}` : x));
}

export function formatFailure(f: Failure, target?: FuzzTarget): string {
  const show = (v: Value): string => {
    const text = target?.show ? target.show(v as never) : showValue(v);
    return text.length <= 4000 ? text : `${text.slice(0, 4000)}... (${text.length} characters)`;
  };
  return [
    `FAIL ${f.target} seed ${f.seed} case ${f.caseIndex}: ${f.why}`,
    `  error:    ${f.error}`,
    `  shrunk in ${f.shrinkSteps} steps to: ${show(f.shrunk)}`,
    `  its error: ${f.shrunkError}`,
    `  replay:   make fuzz-inputs TARGET=${f.target} SEED=${f.seed} CASE=${f.caseIndex}`,
  ].join('\n');
}
