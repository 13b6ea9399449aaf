// The fuzz engine itself: it must catch a crashing parser, shrink the input
// to the smallest one that still crashes, and say how to replay it; a
// parser that only throws its own error must pass.

import { describe, expect, it } from 'vitest';
import { caseSeed, crash, EXPECTED, formatFailure, runTarget, type FuzzTarget } from '../../src/fuzz-inputs/engine.ts';
import { shrinkValue } from '../../src/fuzz-inputs/shrink.ts';
import { mutateText } from '../../src/fuzz-inputs/mutate.ts';

class ToyError extends Error {}

/** `key=value` lines; a line starting with `=` reads a property of undefined: the bug to be found. */
function toyParse(text: string, buggy: boolean): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const m = /^(\w*)=(.*)$/.exec(line);
    if (!m) throw new ToyError(`not key=value: ${line}`);
    const key = buggy ? (m[1] || undefined) : m[1]!;
    out.set(key!.toLowerCase(), m[2]!);
  }
  return out;
}

const toy = (buggy: boolean): FuzzTarget<string> => ({
  name: buggy ? 'toy-buggy' : 'toy',
  describe: 'key=value lines',
  prepare: () => (rng) => mutateText(rng, 'alpha=1\nbeta=two\ngamma=3', ['=', 'x', 'x=y', '']),
  run: (text) => void toyParse(text, buggy),
  judge: (err) => (err instanceof ToyError ? EXPECTED : crash('not a ToyError')),
});

describe('input fuzz engine', () => {
  it('catches a crashing toy parser, shrinks the input to one line and names the seed and case', async () => {
    const summary = await runTarget(toy(true), { cases: 2000, seed: 7, maxFailures: 1 });
    expect(summary.failures).toHaveLength(1);
    const f = summary.failures[0]!;
    expect(f.error).toMatch(/^TypeError/);
    expect(f.why).toBe('not a ToyError');
    // The smallest input that still crashes: a line holding only '=' (with or without a value).
    expect(f.shrunk).toMatch(/^=\w?$/);
    expect((f.input as string).length).toBeGreaterThan((f.shrunk as string).length);
    const text = formatFailure(f);
    expect(text).toContain(`seed 7 case ${f.caseIndex}`);
    expect(text).toContain(`SEED=7 CASE=${f.caseIndex}`);

    // The case replays alone from its seed and index.
    const replay = await runTarget(toy(true), { cases: 0, seed: 7, onlyCase: f.caseIndex });
    expect(replay.cases).toBe(1);
    expect(replay.failures[0]?.input).toEqual(f.input);
  });

  it('passes the same parser without the bug, counting its deliberate refusals', async () => {
    const summary = await runTarget(toy(false), { cases: 2000, seed: 7 });
    expect(summary.failures).toEqual([]);
    expect(summary.rejected).toBeGreaterThan(0);
    expect(summary.rejected).toBeLessThan(2000);
  });

  it('shrinks bytes and records, keeping only what the failure needs', async () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const shrunk = await shrinkValue(bytes, async (v) => (v as Uint8Array).includes(0x99), 5000);
    expect([...(shrunk.value as Uint8Array)]).toEqual([0x99]);
    const rec = { a: 'long text here', b: [1, 2, 3, 400], c: true };
    const small = await shrinkValue(rec, async (v) => ((v as typeof rec).b ?? []).some((x) => x > 100), 5000);
    const kept = small.value as { b: number[] };
    expect(Object.keys(kept)).toEqual(['b']);
    expect(kept.b).toHaveLength(1);
    expect(kept.b[0]).toBeGreaterThan(100);
    expect(kept.b[0]).toBeLessThan(400); // numbers shrink by halving: 400 -> 200
  });

  it('gives every case its own seed', () => {
    const seeds = new Set(Array.from({ length: 10_000 }, (_, i) => caseSeed(1, i)));
    expect(seeds.size).toBe(10_000);
    expect(caseSeed(1, 5)).not.toBe(caseSeed(2, 5));
  });
});
