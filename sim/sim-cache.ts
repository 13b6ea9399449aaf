// A disk cache of compiled simulators, for the commands that compile the same
// CPU on every run (`bpfgate conformance --engine sim` spent a third of its
// time elaborating, optimising and compiling the design it compiled last
// time). An entry holds the flattened IR (ir-codec.ts) and the compile plan
// (instance.ts), keyed by what the design was built from: the caller's key
// (its configuration), the compile options, and a hash of every TypeScript
// source under src/, hdl/, sim/ and boards/, so any edit to the generators or the
// compiler is a miss. Entries are written whole by rename; a missing,
// corrupt or mismatched entry is a miss, never an error. BPFGATE_SIM_CACHE=0
// turns the cache off.
//
// Node only (the playground builds its simulators itself).

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Module } from '../src/dsl/module.ts';
import { privateCacheDir, REPO_ROOT } from '../src/paths.ts';
import { decodeModuleIR, encodeModuleIR } from './ir-codec.ts';
import type { SimPlan } from './instance.ts';
import { Simulator, type SimOptions } from './simulator.ts';

/** Bumped when the entry layout changes. */
const FORMAT = 1;
/** Entries kept (each a few hundred KB to a few MB); the least recently used go first. */
const KEEP = 24;
const SOURCE_DIRS = ['src', 'hdl', 'sim', 'boards'];

interface Entry {
  format: number;
  key: string;
  plan: SimPlan;
  ir: unknown;
}

let version: string | undefined;

/** Hits and misses in this process (tests and benches read them). */
export const simCacheStats = { hits: 0, misses: 0 };

/** A hash of the TypeScript sources of the generators and the compiler (once per process). */
export function codeVersion(): string {
  if (version !== undefined) return version;
  const hash = createHash('sha256');
  for (const dir of SOURCE_DIRS) {
    const files = (readdirSync(join(REPO_ROOT, dir), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).sort();
    for (const f of files) hash.update(`${dir}/${f}\0`).update(readFileSync(join(REPO_ROOT, dir, f))).update('\0');
  }
  version = hash.digest('hex');
  return version;
}

/** Where the entry for this key lives (the cache folder is made on first use). */
export function simCacheFile(key: unknown, opts: SimOptions = {}): { file: string; keyText: string } {
  const keyText = JSON.stringify([key, opts]);
  const id = createHash('sha256').update(`${FORMAT}\0${codeVersion()}\0${keyText}`).digest('hex').slice(0, 40);
  return { file: join(privateCacheDir('sim'), `${id}.json`), keyText };
}

function load(file: string, keyText: string): Simulator | undefined {
  let entry: Entry;
  try {
    entry = JSON.parse(readFileSync(file, 'utf8')) as Entry;
  } catch {
    return undefined; // absent or torn/corrupt
  }
  if (entry.format !== FORMAT || entry.key !== keyText) return undefined;
  try {
    const sim = Simulator.fromPlan(decodeModuleIR(entry.ir), entry.plan);
    const now = new Date();
    utimesSync(file, now, now); // recently used: pruned last
    return sim;
  } catch {
    return undefined;
  }
}

function store(file: string, keyText: string, sim: Simulator): void {
  const ir = encodeModuleIR(sim.ir);
  if (!ir) return; // a design the codec cannot name: compiled every time
  const entry: Entry = { format: FORMAT, key: keyText, plan: sim.compiled.plan, ir };
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(entry));
    renameSync(tmp, file);
    prune(join(file, '..'));
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
  }
}

function prune(dir: string): void {
  const entries = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { f } of entries.slice(KEEP)) unlinkSync(join(dir, f));
}

/**
 * The simulator of the design `build` makes, from the cache when an entry for
 * `key` (a JSON-safe description of everything `build` depends on besides
 * the sources) exists, else compiled and stored.
 */
export function cachedSimulator(key: unknown, build: () => Module, opts: SimOptions = {}): Simulator {
  if (process.env.BPFGATE_SIM_CACHE === '0') return Simulator.createSync(build(), opts);
  let where: { file: string; keyText: string } | undefined;
  try {
    where = simCacheFile(key, opts);
  } catch {
    where = undefined; // no cache folder (read-only home): compile
  }
  const hit = where && load(where.file, where.keyText);
  if (hit) {
    simCacheStats.hits++;
    return hit;
  }
  simCacheStats.misses++;
  const sim = Simulator.createSync(build(), opts);
  if (where) store(where.file, where.keyText, sim);
  return sim;
}
