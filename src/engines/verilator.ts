// The CPU's emitted Verilog under Verilator, as a conformance Engine. The
// bench (hdl-bench.ts) is verilated once (`--binary --timing`) and cached.

import { join } from 'node:path';
import { requireTool } from '../../sim/tools.ts';
import { HdlEngine, runTool, type Simulator } from './hdl-engine.ts';
import { BENCH_TOP } from './hdl-bench.ts';
import type { CpuEngineOptions } from './sim.ts';

export const verilatorSimulator: Simulator = {
  name: 'verilator',
  build(dir, sources) {
    const verilator = requireTool('verilator');
    const obj = join(dir, 'obj');
    const r = runTool(verilator, [
      '--binary', '--timing', '-Wno-fatal', '-Wno-lint', '-Wno-style', '--top-module', BENCH_TOP, '-Mdir', obj, '-j', '2',
      ...sources,
    ], dir);
    if (r.status !== 0) throw new Error(`verilator build failed (exit ${r.status}):\n${(r.stdout + r.stderr).trim().slice(0, 4000)}`);
    return [join(obj, `V${BENCH_TOP}`)];
  },
};

export function createVerilatorEngine(opts: CpuEngineOptions = {}): HdlEngine {
  return new HdlEngine(verilatorSimulator, opts);
}
