// External tools used by the referee, lint checks and the benchmark:
// Icarus Verilog, Verilator and yosys. A missing tool is an error with a clear
// message, never a silent skip.

import { execFileSync, spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DesignIR } from '../src/dsl/ir.ts';
import { emitModuleTexts } from '../src/dsl/verilog.ts';
import { findTool } from '../src/tools.ts';

const found = new Map<string, string>();

/** Absolute path of a tool (src/tools.ts's findTool, cached); throws a descriptive error when missing. */
export function requireTool(name: string): string {
  const hit = found.get(name);
  if (hit) return hit;
  const path = findTool(name);
  found.set(name, path);
  return path;
}

export function run(cmd: string, args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd: opts.cwd, encoding: 'utf8', timeout: opts.timeoutMs ?? 600_000, maxBuffer: 1 << 30 });
}

export interface AsyncResult {
  status: number | null;
  stdout: string;
  stderr: string;
  error?: Error;
}

/** Like run() but does not block the event loop (long tool runs inside vitest). */
export function runAsync(cmd: string, args: string[], opts: { cwd?: string } = {}): Promise<AsyncResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < 1 << 20) stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 1 << 20) stderr += d.toString();
    });
    child.on('error', (error) => resolve({ status: null, stdout, stderr, error }));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Writes one file per module (<module>.v), as Verilator's DECLFILENAME wants. */
export function writeModuleFiles(dir: string, d: DesignIR): string[] {
  mkdirSync(dir, { recursive: true });
  return emitModuleTexts(d).map((m) => {
    const path = join(dir, `${m.name}.v`);
    writeFileSync(path, m.text);
    return path;
  });
}

/** yosys's iCE40 simulation library (for primitives in Icarus/Verilator): the
 *  same copy the bitstream flow uses (src/toolchain), so both simulate one version. */
import { cellsSimPath } from '../src/toolchain/roundtrip.ts';
export { cellsSimPath };

/** The named modules cut out of cells_sim.v (smaller and faster to compile
 *  than the whole library, and free of constructs Verilator rejects). */
export function primLibrary(names: string[]): string {
  const text = readFileSync(cellsSimPath(), 'utf8');
  const out: string[] = [];
  for (const name of names) {
    const start = text.search(new RegExp(`^module ${name}\\b`, 'm'));
    if (start < 0) throw new Error(`cells_sim.v has no module ${name}`);
    const end = text.indexOf('endmodule', start);
    out.push(text.slice(start, end + 'endmodule'.length));
  }
  return out.join('\n\n') + '\n';
}

export interface LintResult {
  ok: boolean;
  output: string;
}

/** verilator --lint-only -Wall over the given files; ok only with zero
 *  warnings. Vendor primitive models (from cells_sim.v) are added for `prims`
 *  and exempted from lint by a config file: they are not our output. */
export function verilatorLint(files: string[], top: string, prims: string[] = []): LintResult {
  const v = requireTool('verilator');
  const extra: string[] = [];
  if (prims.length) {
    const dir = dirname(files[0]!);
    writeFileSync(join(dir, 'cells_sim.v'), primLibrary(prims));
    writeFileSync(join(dir, 'lint.vlt'), '`verilator_config\nlint_off -file "*/cells_sim.v"\n');
    extra.push(join(dir, 'lint.vlt'), join(dir, 'cells_sim.v'));
  }
  const r = run(v, ['--lint-only', '-Wall', '--top-module', top, ...extra, ...files]);
  const output = (r.stdout ?? '') + (r.stderr ?? '');
  return { ok: r.status === 0 && !/%Warning|%Error/.test(output), output };
}

/** The yosys command: $BPFGATE_YOSYS, else yosys on PATH. (Switch point for
 *  @yowasp/yosys once the lead adds it to package.json.) */
export function yosysCommand(): string[] {
  const env = process.env.BPFGATE_YOSYS;
  if (env) return env.split(' ');
  return [requireTool('yosys')];
}

export interface SynthResult extends LintResult {
  /** Per top module: cell type -> count after synth_ice40. */
  cells: Record<string, Record<string, number>>;
}

/** Run `synth_ice40` (UltraPlus DSP inference on with dsp) on each top,
 *  spread over `jobs` yosys processes; returns the logs and the cell counts. */
export async function yosysSynth(files: string[], tops: string[], opts: { dsp?: boolean; jobs?: number } = {}): Promise<SynthResult> {
  const [cmd, ...pre] = yosysCommand();
  const dir = dirname(files[0]!);
  const jobs = Math.max(1, Math.min(opts.jobs ?? 2, tops.length));
  const groups: string[][] = Array.from({ length: jobs }, () => []);
  tops.forEach((t, i) => groups[i % jobs]!.push(t));
  const runs = await Promise.all(
    groups.map((group) => {
      const script = [
        `read_verilog ${files.join(' ')}`,
        'design -save orig',
        ...group.flatMap((t) => ['design -load orig', `synth_ice40 -top ${t}${opts.dsp ? ' -dsp' : ''}`, `tee -q -o ${join(dir, `stat_${t}.txt`)} stat`]),
      ].join('; ');
      return runAsync(cmd!, [...pre, '-q', '-p', script]);
    }),
  );
  const output = runs.map((r) => (r.stdout ?? '') + (r.stderr ?? '')).join('\n');
  const ok = runs.every((r) => r.status === 0) && !/ERROR/.test(output);
  const cells: SynthResult['cells'] = {};
  if (ok) {
    for (const t of tops) {
      const text = readFileSync(join(dir, `stat_${t}.txt`), 'utf8');
      const counts: Record<string, number> = {};
      for (const m of text.matchAll(/^\s+(SB_\w+)\s+(\d+)\s*$/gm)) counts[m[1]!] = Number(m[2]);
      cells[t] = counts;
    }
  }
  return { ok, output, cells };
}
