// Simulator benchmark: the same design (bench/sim-design.ts) in the TS
// compiled simulator, Verilator (-O3) and Icarus Verilog, measured side by
// side in one run. The three must also agree on the final checksum.
//
//   npx tsx bench/sim.ts            (or via npm run bench -- sim)
//
// Ends with `key: value` lines (sim.bench.*).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileDesign } from '../src/dsl/passes/index.ts';
import { Simulator } from '../sim/simulator.ts';
import { requireTool, runAsync, writeModuleFiles } from '../sim/tools.ts';
import { benchCore } from './sim-design.ts';

const TOP = 'bench_core';

function log(s: string): void {
  process.stderr.write(`sim bench: ${s}\n`);
}

async function must(what: string, p: Promise<{ status: number | null; stdout: string; stderr: string }>): Promise<string> {
  const r = await p;
  if (r.status !== 0) throw new Error(`${what} failed:\n${r.stdout}${r.stderr}`.slice(0, 4000));
  return r.stdout;
}

/** Best of REPS measurements (CPU time) after a warm-up, for TS and Verilator alike. */
const REPS = 3;

function tsRun(cycles: number): { buildMs: number; cps: number; checksum: bigint; cells: number } {
  const t0 = performance.now();
  const sim = Simulator.createSync(benchCore());
  const buildMs = performance.now() - t0;
  sim.reset();
  sim.step(cycles / 4); // warm-up: lets V8 optimise the generated code
  let best = 0;
  for (let r = 0; r < REPS; r++) {
    const c0 = process.cpuUsage();
    sim.step(cycles);
    const c1 = process.cpuUsage(c0);
    best = Math.max(best, cycles / ((c1.user + c1.system) / 1e6));
  }
  // Then reset and run `cycles` more: the Verilator main does the same sequence.
  sim.reset();
  sim.step(cycles);
  return { buildMs, cps: best, checksum: sim.peekBits('checksum'), cells: sim.ir.cells.length };
}

const VERILATOR_MAIN = (top: string) => `
#include "V${top}.h"
#include "verilated.h"
#include <ctime>
#include <cstdio>
#include <cstdlib>
int main(int argc, char** argv) {
  VerilatedContext* ctx = new VerilatedContext;
  V${top}* top = new V${top}{ctx};
  long n = atol(argv[1]);
  top->clk = 0; top->rst = 1; top->eval();
  top->clk = 1; top->eval(); top->clk = 0; top->rst = 0; top->eval();
  // Process CPU time, like the TS measurement (fair on a loaded machine);
  // warm-up, then the best of ${3} runs.
  for (long i = 0; i < n / 4; i++) { top->clk = 1; top->eval(); top->clk = 0; top->eval(); }
  double best = 1e30;
  for (int r = 0; r < 3; r++) {
    std::clock_t t0 = std::clock();
    for (long i = 0; i < n; i++) { top->clk = 1; top->eval(); top->clk = 0; top->eval(); }
    double s = double(std::clock() - t0) / CLOCKS_PER_SEC;
    if (s < best) best = s;
  }
  // Checksum after exactly n cycles from reset.
  top->rst = 1; top->clk = 1; top->eval(); top->clk = 0; top->rst = 0; top->eval();
  for (long i = 0; i < n; i++) { top->clk = 1; top->eval(); top->clk = 0; top->eval(); }
  printf("%ld %.9f %016llx\\n", n, best, (unsigned long long)top->checksum);
  top->final(); delete top; delete ctx; return 0;
}
`;

async function verilatorRun(dir: string, files: string[], cycles: number): Promise<{ buildMs: number; cps: number; checksum: bigint }> {
  const v = requireTool('verilator');
  const main = join(dir, 'main.cpp');
  writeFileSync(main, VERILATOR_MAIN(TOP));
  const t0 = performance.now();
  await must(
    'verilator',
    runAsync(v, ['--cc', '--exe', '--build', '-O3', '-Wall', '--x-assign', 'fast', '--x-initial', 'fast', '-j', '2', '--top-module', TOP,
      '-Mdir', join(dir, 'vobj'), '-CFLAGS', '-O3', '-MAKEFLAGS', 'OPT_FAST=-O3 OPT_SLOW=-O1 OPT_GLOBAL=-O3', main, ...files]),
  );
  const buildMs = performance.now() - t0;
  const out = await must('verilated bench', runAsync(join(dir, 'vobj', `V${TOP}`), [String(cycles)]));
  const [n, s, sum] = out.trim().split(/\s+/);
  return { buildMs, cps: Number(n) / Number(s), checksum: BigInt('0x' + sum) };
}

async function icarusRun(dir: string, files: string[], cycles: number): Promise<{ buildMs: number; cps: number; checksum: bigint }> {
  const tb = join(dir, 'tb_icarus.v');
  writeFileSync(
    tb,
    `module tb;
  reg clk = 1'b0;
  reg rst = 1'b1;
  wire [63:0] checksum;
  wire [7:0] pc_out;
  integer i;
  real t0;
  ${TOP} dut (.clk(clk), .rst(rst), .checksum(checksum), .pc_out(pc_out));
  initial begin
    #1 clk = 1'b1; #1 clk = 1'b0; rst = 1'b0;
    t0 = $realtime;
    for (i = 0; i < ${cycles}; i = i + 1) begin
      #1 clk = 1'b1; #1 clk = 1'b0;
    end
    $display("%016h", checksum);
    $finish;
  end
endmodule
`,
  );
  const t0 = performance.now();
  await must('iverilog', runAsync(requireTool('iverilog'), ['-g2005', '-o', join(dir, 'bench.vvp'), tb, ...files]));
  const buildMs = performance.now() - t0;
  // vvp start-up is small next to the run; time the whole process.
  const t1 = performance.now();
  const out = await must('vvp', runAsync(requireTool('vvp'), ['-n', join(dir, 'bench.vvp')]));
  const secs = (performance.now() - t1) / 1000;
  const sum = out.trim().split('\n').find((l) => /^[0-9a-f]{16}$/.test(l.trim()))!;
  return { buildMs, cps: cycles / secs, checksum: BigInt('0x' + sum.trim()) };
}

export async function benchSim(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'sim-bench-'));
  const files = writeModuleFiles(dir, compileDesign(benchCore()));
  const ts = tsRun(2_000_000);
  log(`TS: ${ts.cells} cells, ${Math.round(ts.cps)} cycles/s, build ${ts.buildMs.toFixed(0)} ms`);
  const vl = await verilatorRun(dir, files, 2_000_000);
  log(`Verilator: ${Math.round(vl.cps)} cycles/s, build ${vl.buildMs.toFixed(0)} ms`);
  const ic = await icarusRun(dir, files, 50_000);
  log(`Icarus: ${Math.round(ic.cps)} cycles/s, build ${ic.buildMs.toFixed(0)} ms`);
  // Same cycles in each simulator -> same checksum (TS and Verilator ran 2M, Icarus 50k).
  const tsShort = Simulator.createSync(benchCore());
  tsShort.reset();
  tsShort.step(50_000);
  if (tsShort.peekBits('checksum') !== ic.checksum) throw new Error(`checksum differs: TS ${tsShort.peekBits('checksum').toString(16)} Icarus ${ic.checksum.toString(16)}`);
  if (ts.checksum !== vl.checksum) throw new Error(`checksum differs: TS ${ts.checksum.toString(16)} Verilator ${vl.checksum.toString(16)}`);
  return {
    'sim.bench.cells': ts.cells,
    'sim.bench.ts_cycles_per_s': Math.round(ts.cps),
    'sim.bench.verilator_cycles_per_s': Math.round(vl.cps),
    'sim.bench.icarus_cycles_per_s': Math.round(ic.cps),
    'sim.bench.ts_over_verilator': ts.cps / vl.cps,
    'sim.bench.ts_over_icarus': ts.cps / ic.cps,
    'sim.bench.ts_build_ms': Math.round(ts.buildMs),
    'sim.bench.verilator_build_ms': Math.round(vl.buildMs),
    'sim.bench.icarus_build_ms': Math.round(ic.buildMs),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await benchSim();
  for (const [k, v] of Object.entries(figures)) process.stdout.write(`${k}: ${Number.isInteger(v) ? v : v.toPrecision(4)}\n`);
}
