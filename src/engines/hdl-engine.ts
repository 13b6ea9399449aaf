// Shared driver of the emitted-Verilog engines (Verilator, Icarus): build
// the bench once into a cache folder keyed by a hash of its sources, then
// run batches of programs through command files (hdl-bench.ts).

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine, EngineResult } from '../conformance/engine.ts';
import type { Program } from '../program.ts';
import type { CpuConfig } from '../../hdl/cpu/config.ts';
import type { CpuRunResult } from './cpu-sim.ts';
import { benchCommands, parseBenchDumps, parseBenchOutput, writeBenchSources, type BenchRun } from './hdl-bench.ts';
import { buildImage, ImageError } from './image.ts';
import { cpuConfigOf, defaultMaxInsns, toEngineResult, type CpuEngineOptions } from './sim.ts';

/** Verilog benches count cycles in a 24-bit command field. */
export const HDL_MAX_CYCLES = 0xffffff;

export interface Simulator {
  readonly name: string;
  /** Build the bench in `dir` from `sources`; returns the command that runs it (argv). */
  build(dir: string, sources: string[]): string[];
}

export interface HdlBatchResult {
  results: CpuRunResult[];
  /** Per run, the data RAM words it asked for (BenchRun.dumpBytes). */
  dumps: (bigint[] | undefined)[];
  runMs: number;
}

export class HdlEngine implements Engine {
  readonly name: string;
  readonly cfg: CpuConfig;
  readonly dir: string;
  private runner: string[] | undefined;
  private readonly maxCycles: number;
  private readonly maxInsns: number;
  private batchNo = 0;
  /** Dump a VCD of every run() here (simulators that support $dumpvars). */
  vcd: string | undefined;

  constructor(readonly sim: Simulator, opts: CpuEngineOptions = {}, private readonly maxCommands = 1 << 18) {
    this.name = sim.name;
    this.cfg = cpuConfigOf(opts);
    this.maxCycles = Math.min(opts.maxCycles ?? HDL_MAX_CYCLES, HDL_MAX_CYCLES);
    this.maxInsns = opts.maxInsns ?? defaultMaxInsns(this.cfg);
    this.vcd = opts.vcd;
    const key = createHash('sha256').update(JSON.stringify({ sim: sim.name, cfg: this.cfg, maxCommands })).digest('hex').slice(0, 16);
    this.dir = join(privateCacheDir('hdl'), `${sim.name}-${key}`);
  }

  /**
   * Build (or reuse) the bench. Idempotent. The sources and the build go to
   * a folder of this process, then one small file names the build, so two
   * processes building at once never see each other's half-written files.
   */
  build(): void {
    if (this.runner) return;
    mkdirSync(this.dir, { recursive: true });
    const own = join(this.dir, `build-${process.pid}`);
    rmSync(own, { recursive: true, force: true });
    const sources = writeBenchSources(join(own, 'src'), this.cfg, this.maxCommands);
    const hash = createHash('sha256');
    for (const f of sources) hash.update(readFileSync(f));
    const digest = hash.digest('hex');
    const builtFile = join(this.dir, 'built.json');
    if (existsSync(builtFile)) {
      const built = JSON.parse(readFileSync(builtFile, 'utf8')) as { digest: string; runner: string[] };
      if (built.digest === digest && existsSync(built.runner[built.runner.length - 1]!)) {
        rmSync(own, { recursive: true, force: true });
        this.runner = built.runner;
        return;
      }
    }
    this.runner = this.sim.build(own, sources);
    const tmp = join(this.dir, `built-${process.pid}.json`);
    writeFileSync(tmp, JSON.stringify({ digest, runner: this.runner }));
    renameSync(tmp, builtFile);
  }

  /** Run many programs in one simulator process. */
  runBatch(runs: readonly BenchRun[]): HdlBatchResult {
    this.build();
    const n = this.batchNo++;
    const cmds = join(this.dir, `cmds-${process.pid}-${n}.hex`);
    const out = join(this.dir, `out-${process.pid}-${n}.txt`);
    const lines = benchCommands(this.cfg, runs);
    if (lines.length > this.maxCommands) {
      throw new Error(`${this.name}: batch needs ${lines.length} bench commands, the bench holds ${this.maxCommands}; run fewer programs per batch`);
    }
    writeFileSync(cmds, lines.join('\n') + '\n');
    try {
      const t0 = performance.now();
      const [cmd, ...args] = this.runner!;
      const r = runTool(cmd!, [...args, `+cmds=${cmds}`, `+out=${out}`, ...(this.vcd ? [`+vcd=${this.vcd}`] : [])], this.dir);
      const runMs = performance.now() - t0;
      if (r.status !== 0) throw new Error(`${this.name} bench failed (exit ${r.status}): ${(r.stdout + r.stderr).trim().slice(0, 2000)}`);
      return { results: parseBenchOutput(out, runs.length), dumps: parseBenchDumps(out, runs.length), runMs };
    } finally {
      rmSync(cmds, { force: true });
      rmSync(out, { force: true });
    }
  }

  /** Images for a list of programs; a program the CPU cannot hold is reported instead of run. */
  image(program: Program, input: Uint8Array): BenchRun | EngineResult {
    try {
      return { image: buildImage(this.cfg, program, input), maxCycles: this.maxCycles, maxInsns: this.maxInsns };
    } catch (e) {
      if (e instanceof ImageError) return { kind: 'fault', code: 'image', message: e.message };
      throw e;
    }
  }

  run(program: Program, input: Uint8Array): EngineResult {
    const img = this.image(program, input);
    if ('kind' in img) return img;
    const [r] = this.runBatch([img]).results;
    return toEngineResult(this.name, program, r!, this.maxCycles);
  }
}

import { spawnSync } from 'node:child_process';
import { privateCacheDir } from '../paths.ts';

export function runTool(cmd: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw new Error(`cannot run ${cmd}: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
