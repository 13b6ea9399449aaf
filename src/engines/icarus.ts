// The CPU's emitted Verilog under Icarus Verilog, as a conformance Engine.
// The bench (hdl-bench.ts) is compiled once with iverilog and cached; every
// batch is one `vvp` run.

import { join } from 'node:path';
import { requireTool } from '../../sim/tools.ts';
import { HdlEngine, runTool, type Simulator } from './hdl-engine.ts';
import { BENCH_TOP } from './hdl-bench.ts';
import type { CpuEngineOptions } from './sim.ts';

export const icarusSimulator: Simulator = {
  name: 'icarus',
  build(dir, sources) {
    const iverilog = requireTool('iverilog');
    const vvp = requireTool('vvp');
    const out = join(dir, 'bench.vvp');
    // NO_ICE40_DEFAULT_ASSIGNMENTS: yosys's cell models use SystemVerilog port defaults otherwise.
    const r = runTool(iverilog, ['-g2005', '-DNO_ICE40_DEFAULT_ASSIGNMENTS', '-s', BENCH_TOP, '-o', out, ...sources], dir);
    if (r.status !== 0) throw new Error(`iverilog failed (exit ${r.status}):\n${(r.stdout + r.stderr).trim().slice(0, 4000)}`);
    return [vvp, '-n', out];
  },
};

export function createIcarusEngine(opts: CpuEngineOptions = {}): HdlEngine {
  return new HdlEngine(icarusSimulator, opts);
}
