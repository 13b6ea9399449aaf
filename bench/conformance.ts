// How long `bpfgate conformance --engine sim` takes as a user runs it: the
// command (node bin/bpfgate.mjs, a new process each time), wall clock, best of
// 3, interleaved with the same command with both start-up caches off
// (BPFGATE_BUNDLE=0: the sources through tsx; BPFGATE_SIM_CACHE=0: the CPU
// elaborated and compiled again), which is how it ran before them. Each run
// must end with `313 passed, 0 failed`. Run alone with
// `npm run bench -- conformance`.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../src/paths.ts';

const run = promisify(execFile);
const BIN = join(REPO_ROOT, 'bin', 'bpfgate.mjs');
const COLD = { BPFGATE_BUNDLE: '0', BPFGATE_SIM_CACHE: '0' };

async function seconds(env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const { stdout } = await run(process.execPath, [BIN, 'conformance', '--engine', 'sim', '-q'], {
    cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: 120_000,
  });
  const s = (performance.now() - started) / 1000;
  const last = stdout.trimEnd().split('\n').at(-1);
  if (last !== '313 passed, 0 failed') throw new Error(`conformance --engine sim ended with '${last}'`);
  return s;
}

export async function benchConformance(): Promise<Record<string, number>> {
  await seconds({}); // fills the bundle and the simulator cache
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) {
    cold.push(await seconds(COLD));
    warm.push(await seconds({}));
    process.stderr.write(`  run ${i + 1}: caches off ${cold[i]!.toFixed(2)} s, on ${warm[i]!.toFixed(2)} s\n`);
  }
  const c = Math.min(...cold);
  const w = Math.min(...warm);
  return { 'conformance.sim.cold_s': c, 'conformance.sim.warm_s': w, 'conformance.sim.warm_over_cold': w / c };
}
