// The referee: random designs, compiled by the Verilog back end and by the TS
// simulator, run side by side against Icarus Verilog or Verilator.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setLocCapture } from '../../src/dsl/loc.ts';
import { buildRecipe } from './build.ts';
import { compareDump, designSeed, prepareDut, primitiveTypes, writeBatch, type BatchResult, type DutSpec, type PreparedDut, type RefSim } from './batch.ts';
import { genRecipe, type GenOptions } from './gen.ts';
import { Rng } from '../../src/random.ts';
import { lintBatch, runIcarus, runVerilator } from './runners.ts';
import { makeStimulus } from './stimulus.ts';
import { testbench } from './batch.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Recipe } from './recipe.ts';
import { shrinkRecipe, size } from './shrink.ts';
import { compileDesign } from '../../src/dsl/passes/index.ts';
import { emitVerilog } from '../../src/dsl/verilog.ts';
import type { Mismatch } from './batch.ts';
import type { Module } from '../../src/dsl/module.ts';

export interface RefereeOptions {
  seed: number;
  designs: number;
  cycles: number;
  sim: RefSim;
  /** Designs per testbench build (default: all in one). */
  batch?: number;
  /** Index of the first design (to reproduce one design of a larger run). */
  first?: number;
  gen?: GenOptions;
  /** Keep the work directory. */
  keep?: boolean;
  log?: (line: string) => void;
}

export interface RandomDut extends DutSpec {
  recipe: Recipe;
  seed: number;
}

export function randomDut(seed: number, index: number, gen: GenOptions = {}): RandomDut {
  const rng = new Rng(designSeed(seed, index));
  const recipe = genRecipe(rng, gen);
  const name = `d${index}`;
  return {
    name,
    index,
    recipe,
    seed,
    build: () => buildRecipe(recipe, name),
    flatten: rng.chance(0.3),
    // The shipped Verilog is always folded (lint would flag constant-only
    // expressions); the TS simulator also runs unfolded to test its codegen
    // on constant operands.
    fold: true,
    simFold: rng.chance(0.6),
  };
}

export interface BatchOptions {
  seed: number;
  cycles: number;
  sim: RefSim;
  keep?: boolean;
  dir?: string;
  /** Testbenches run in parallel (Icarus only; default 2 = the CI cores). */
  shards?: number;
  /** Icarus batches: also lint every design with verilator -Wall (default on). */
  lint?: boolean;
}

export async function runBatch(specs: DutSpec[], opts: BatchOptions): Promise<BatchResult> {
  setLocCapture(false);
  const t0 = performance.now();
  const duts: PreparedDut[] = [];
  try {
    for (const s of specs) {
      duts.push(prepareDut(s, opts.seed));
      // Let the test runner's RPC breathe during long preparations.
      if (duts.length % 50 === 0) await new Promise((r) => setImmediate(r));
    }
  } finally {
    setLocCapture(true);
  }
  const stim = makeStimulus(new Rng(opts.seed ^ 0x57131), opts.cycles);
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), `referee-${opts.sim}-`));
  const shards = opts.sim === 'icarus' ? Math.min(opts.shards ?? 2, specs.length) : 1;
  const { files, shardDirs, shardDuts } = writeBatch(dir, duts, stim, shards);
  const t1 = performance.now();
  const cells = primitiveTypes(duts);
  let runs;
  if (opts.sim === 'icarus') {
    // Lint needs a single top: the first shard's testbench sees every module
    // only when there is one shard, so lint a combined testbench.
    const lint = opts.lint === false ? Promise.resolve() : lintBatch(dir, files, cells, writeLintTb(dir, duts));
    [runs] = await Promise.all([runIcarus(dir, files, cells, shardDirs), lint]);
  } else runs = await runVerilator(dir, files, cells, shardDirs);
  const t2 = performance.now();
  const mismatches: Mismatch[] = [];
  for (let k = 0; k < runs.length; k++) mismatches.push(...(await compareDump(shardDuts[k]!, stim, runs[k]!.outPath)));
  const t3 = performance.now();
  if (!opts.keep && mismatches.length === 0 && !opts.dir) rmSync(dir, { recursive: true, force: true });
  return {
    sim: opts.sim,
    designs: specs.length,
    cycles: opts.cycles,
    mismatches,
    ms: { prepare: t1 - t0, build: Math.max(...runs.map((r) => r.buildMs)), run: Math.max(...runs.map((r) => r.runMs)), compare: t3 - t2 },
    dir,
  };
}

/** Run `designs` random designs in batches; stops at the first failing batch. */
export async function runReferee(o: RefereeOptions): Promise<BatchResult[]> {
  const per = o.batch ?? o.designs;
  const results: BatchResult[] = [];
  const first = o.first ?? 0;
  for (let start = first; start < first + o.designs; start += per) {
    const n = Math.min(per, first + o.designs - start);
    const specs = Array.from({ length: n }, (_, i) => randomDut(o.seed, start + i, o.gen));
    const res = await runBatch(specs, { seed: o.seed, cycles: o.cycles, sim: o.sim, keep: o.keep });
    o.log?.(
      `referee ${o.sim} seed=${o.seed} designs ${start}..${start + n - 1}: ${res.mismatches.length} mismatching designs ` +
        `(prepare ${ms(res.ms.prepare)}, build ${ms(res.ms.build)}, run ${ms(res.ms.run)}, compare ${ms(res.ms.compare)})`,
    );
    results.push(res);
    if (res.mismatches.length) break;
  }
  return results;
}

function ms(x: number): string {
  return `${(x / 1000).toFixed(1)}s`;
}

export interface ShrinkReport {
  mismatch: Mismatch;
  recipe: Recipe;
  verilog: string;
  text: string;
}

/** Shrink the first failing design of a batch result and describe it. */
export async function shrinkFailure(res: BatchResult, seed: number, gen: GenOptions | undefined, log?: (s: string) => void, maxTries = 300): Promise<ShrinkReport> {
  const first = res.mismatches[0]!;
  const dut = randomDut(seed, first.index, gen);
  const cycles = first.cycle + 1;
  const fails = async (r: Recipe): Promise<boolean> => {
    const spec: DutSpec = { ...dut, build: () => buildRecipe(r, dut.name) };
    const out = await runBatch([spec], { seed, cycles, sim: res.sim });
    return out.mismatches.length > 0;
  };
  const small = await shrinkRecipe(dut.recipe, fails, maxTries, log);
  const spec: DutSpec = { ...dut, build: () => buildRecipe(small, dut.name) };
  const final = await runBatch([spec], { seed, cycles, sim: res.sim });
  const verilog = emitVerilog(compileDesign(spec.build(), { flatten: spec.flatten, fold: spec.fold }));
  const m = final.mismatches[0] ?? first;
  const text = [
    `referee mismatch (${res.sim}): seed ${seed}, design ${first.index} (${first.design}), cycle ${first.cycle}, output ${first.signal}: TS ${first.ts}, ${res.sim} ${first.ref}`,
    `shrunk to ${size(small)}; after shrinking: cycle ${m.cycle}, output ${m.signal}: TS ${m.ts}, ${res.sim} ${m.ref}`,
    `TS simulator options: fold=${dut.simFold}; Verilog options: flatten=${dut.flatten} fold=${dut.fold}`,
    `reproduce: npx tsx sim/referee/cli.ts --sim ${res.sim} --seed ${seed} --first ${first.index} --designs 1 --cycles ${cycles}`,
    'recipe:',
    JSON.stringify(small),
    'verilog:',
    verilog,
  ].join('\n');
  return { mismatch: m, recipe: small, verilog, text };
}

/** Specs for named module factories (hand-written designs). */
export function namedSpecs(designs: Record<string, () => Module>): DutSpec[] {
  return Object.values(designs).map((build, index) => {
    const name = build().name;
    return { name, index, build, flatten: index % 2 === 1, fold: true, simFold: index % 3 !== 0 };
  });
}

/** A testbench over all designs of a batch, only for linting. */
function writeLintTb(dir: string, duts: PreparedDut[]): string {
  const d = join(dir, 'lint');
  mkdirSync(d, { recursive: true });
  const path = join(d, 'tb.v');
  writeFileSync(path, testbench(duts, 2));
  return path;
}
