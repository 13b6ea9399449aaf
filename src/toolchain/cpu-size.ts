// Size of the CPU core on iCE40: synthesise the core alone (no program/data
// RAM, no host port: those belong to the SoC) with yosys `synth_ice40` and
// report LUT4 / DFF / carry / block-RAM / DSP counts.
//
//   npx tsx src/toolchain/cpu-size.ts [--dsp] [--minimal]

import { fileURLToPath } from 'node:url';
import { deviceInfo, type DeviceId } from '../board/devices.ts';
import { toVerilog } from '../dsl/index.ts';
import { synthesize } from './synth.ts';
import type { SynthStats } from './report.ts';
import { makeConfig, type CpuConfig } from '../../hdl/cpu/config.ts';
import { makeCore } from '../../hdl/cpu/core.ts';

export interface CpuSize {
  readonly stats: SynthStats;
  readonly seconds: number;
}

/** Synthesise the core for `device` (default UP5K; DSPs used when the multiplier is 'dsp'). */
export async function synthCpu(cfg: CpuConfig = makeConfig(), device: DeviceId = 'up5k'): Promise<CpuSize> {
  const t0 = performance.now();
  const verilog = toVerilog(makeCore(cfg), { header: 'bpfgate CPU core (src/toolchain/cpu-size.ts)' });
  const r = await synthesize({ verilog, top: 'core', device: deviceInfo(device), dsp: cfg.multiplier === 'dsp' });
  return { stats: r.stats, seconds: (performance.now() - t0) / 1000 };
}

export function formatSize(s: SynthStats): string {
  return `LUT4 ${s.lut4}, DFF ${s.dff}, carry ${s.carry}, BRAM ${s.bram}, SPRAM ${s.spram}, DSP ${s.dsp}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const cfg = makeConfig({
    ...(args.includes('--dsp') ? { multiplier: 'dsp' as const } : {}),
    ...(args.includes('--minimal') ? { multiplier: 'none' as const, divider: 'none' as const, atomics: false, helperPort: false } : {}),
  });
  synthCpu(cfg).then(
    (r) => process.stdout.write(`core (${cfg.multiplier} multiplier, ${cfg.divider} divider): ${formatSize(r.stats)} in ${r.seconds.toFixed(0)} s\n`),
    (e: unknown) => {
      process.stderr.write(`synth: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
