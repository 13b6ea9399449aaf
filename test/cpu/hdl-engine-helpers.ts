// Shared by the Verilator and Icarus conformance tests: run the suite on an
// HDL engine while the sim engine runs the same programs, so the cycle
// counts of the two can be compared program by program.

import { expect } from 'vitest';
import type { Engine, EngineResult } from '../../src/conformance/engine.ts';
import { formatResultLine, runConformance } from '../../src/conformance/index.ts';
import { requireConformanceData } from '../../src/paths.ts';
import type { Program } from '../../src/program.ts';
import { createSimEngine } from '../../src/engines/sim.ts';
import type { HdlEngine } from '../../src/engines/hdl-engine.ts';
import { assemble } from '../../src/asm/index.ts';
import type { CpuConfig } from '../../hdl/cpu/config.ts';

/** `config`: the CPU build both engines run (the HDL engine must have been made with it too). */
export async function conformanceWithCycleCheck(hdl: HdlEngine, config?: Partial<CpuConfig>): Promise<void> {
  const sim = createSimEngine(config ? { config } : {});
  const mismatches: string[] = [];
  let compared = 0;
  const both: Engine = {
    name: hdl.name,
    run(program: Program, input: Uint8Array): EngineResult {
      const a = hdl.run(program, input);
      const b = sim.run(program, input) as EngineResult;
      // Runs that reached the hardware carry its counters (an image error never ran).
      if (a.cycles !== undefined && b.cycles !== undefined) {
        compared++;
        const r0 = (r: EngineResult): string => (r.kind === 'exit' ? String(r.r0) : r.code ?? '?');
        if (a.cycles !== b.cycles || a.insns !== b.insns || a.kind !== b.kind || r0(a) !== r0(b)) {
          mismatches.push(`${hdl.name} ${a.kind} ${r0(a)} ${a.cycles} cycles/${a.insns} insns, sim ${b.kind} ${r0(b)} ${b.cycles}/${b.insns}`);
        }
      }
      return a;
    },
  };
  const summary = await runConformance([requireConformanceData()], { engine: both });
  expect(summary.results.filter((r) => !r.passed).map(formatResultLine)).toEqual([]);
  expect(summary.passed).toBeGreaterThanOrEqual(313);
  expect(compared).toBeGreaterThanOrEqual(300);
  expect(mismatches).toEqual([]);
}

/**
 * A run must not see the stack of the run before it (the bench clears it):
 * the top and the bottom of the frame (the frame is all a run can reach
 * when the build isolates frames).
 */
export function checkRunsAreIndependent(hdl: HdlEngine): void {
  const writer = assemble('lddw %r1, 0x1122334455667788\nstxdw [%r10-8], %r1\nstxdw [%r10-512], %r1\nmov %r0, 1\nexit\n');
  const reader = assemble('ldxdw %r0, [%r10-8]\nldxdw %r1, [%r10-512]\nor %r0, %r1\nexit\n');
  const runs = [writer, reader].map((p) => {
    const img = hdl.image(p, new Uint8Array(0));
    if ('kind' in img) throw new Error(img.kind === 'fault' ? img.message : 'unexpected');
    return img;
  });
  const { results } = hdl.runBatch(runs);
  expect(results.map((r) => [r.kind, r.r0])).toEqual([['exit', 1n], ['exit', 0n]]);
}
