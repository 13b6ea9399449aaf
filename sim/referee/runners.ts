// Build and run a batch testbench in Icarus Verilog or Verilator. Verilator
// builds with -Wall: any warning in the generated RTL fails the batch. The
// testbench and the vendor cell library are exempted by a config file (they
// are not our output).

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { primLibrary, requireTool, runAsync, type AsyncResult } from '../tools.ts';

export interface RunResult {
  buildMs: number;
  runMs: number;
  outPath: string;
}

function fail(what: string, r: AsyncResult): never {
  const text = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(0, 60).join('\n');
  throw new Error(`${what} failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ''}):\n${text}`);
}

/** Writes the vendor models the batch needs next to it; returns the path. */
function cellsFile(dir: string, prims: string[]): string[] {
  if (prims.length === 0) return [];
  const path = join(dir, 'cells_sim.v');
  writeFileSync(path, primLibrary(prims));
  return [path];
}

/** Compile and run each shard (a directory holding tb.v and stim.hex) in
 *  Icarus; shards run concurrently. */
export async function runIcarus(dir: string, files: string[], prims: string[], shards: string[]): Promise<RunResult[]> {
  const iverilog = requireTool('iverilog');
  const vvp = requireTool('vvp');
  const cells = cellsFile(dir, prims);
  return Promise.all(
    shards.map(async (sd) => {
      const t0 = performance.now();
      const c = await runAsync(iverilog, ['-g2005', '-DNO_ICE40_DEFAULT_ASSIGNMENTS', '-s', 'tb', '-o', join(sd, 'sim.vvp'), join(sd, 'tb.v'), ...files, ...cells], { cwd: sd });
      if (c.status !== 0) fail('iverilog', c);
      const t1 = performance.now();
      const r = await runAsync(vvp, ['-n', join(sd, 'sim.vvp')], { cwd: sd });
      if (r.status !== 0 || !existsSync(join(sd, 'out.txt'))) fail('vvp', r);
      return { buildMs: t1 - t0, runMs: performance.now() - t1, outPath: join(sd, 'out.txt') };
    }),
  );
}

/** One verilated model per shard, built with -Wall (warnings fail the build). */
export async function runVerilator(dir: string, files: string[], prims: string[], shards: string[], jobs = 2): Promise<RunResult[]> {
  const verilator = requireTool('verilator');
  const vlt = join(dir, 'referee.vlt');
  writeFileSync(vlt, '`verilator_config\nlint_off -file "*/tb.v"\nlint_off -file "*/cells_sim.v"\n');
  const cells = cellsFile(dir, prims);
  const out: RunResult[] = [];
  for (const sd of shards) {
    const t0 = performance.now();
    const args = [
      '--binary', '--timing', '-Wall', '--top-module', 'tb', '-Mdir', join(sd, 'obj'), '-j', String(jobs),
      // Anything left uninitialised gets random values, so X-dependence shows up.
      '--x-assign', 'unique', '--x-initial', 'unique',
      // The batch runs once for a few hundred thousand cycles: compile fast, not well.
      '-MAKEFLAGS', 'OPT_FAST=-O0 OPT_SLOW=-O0 OPT_GLOBAL=-O0',
      vlt, join(sd, 'tb.v'), ...files, ...cells,
    ];
    const c = await runAsync(verilator, args, { cwd: sd });
    if (c.status !== 0) fail('verilator', c);
    const t1 = performance.now();
    const r = await runAsync(join(sd, 'obj', 'Vtb'), [], { cwd: sd });
    if (r.status !== 0 || !existsSync(join(sd, 'out.txt'))) fail('verilated testbench', r);
    out.push({ buildMs: t1 - t0, runMs: performance.now() - t1, outPath: join(sd, 'out.txt') });
  }
  return out;
}

/** verilator --lint-only -Wall over a batch (for batches run in Icarus), so
 *  every design in the tests is also lint clean. */
export async function lintBatch(dir: string, files: string[], prims: string[], tb: string): Promise<void> {
  const verilator = requireTool('verilator');
  const vlt = join(dir, 'lint.vlt');
  writeFileSync(vlt, '`verilator_config\nlint_off -file "*/tb.v"\nlint_off -file "*/cells_sim.v"\n');
  const r = await runAsync(verilator, ['--lint-only', '-Wall', '--timing', '--top-module', 'tb', vlt, tb, ...files, ...cellsFile(dir, prims)]);
  if (r.status !== 0) fail('verilator --lint-only -Wall', r);
}
