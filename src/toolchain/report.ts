// What a build produced, as data (report.json) and as text (report.txt and
// the CLI): cells after synthesis, resources after placement against the
// device's capacity, and each clock's Fmax against the target.

import type { DeviceCapacity } from '../board/devices.ts';

/** Cell counts after yosys synth_ice40. */
export interface SynthStats {
  readonly lut4: number;
  /** All SB_DFF* flip-flop variants. */
  readonly dff: number;
  readonly carry: number;
  /** SB_RAM40_4K* block RAMs. */
  readonly bram: number;
  readonly spram: number;
  /** SB_MAC16 DSP blocks. */
  readonly dsp: number;
  readonly pll: number;
  /** Top-level port bits: the IO pins the design needs. */
  readonly io: number;
  readonly cellsByType: Readonly<Record<string, number>>;
}

export interface ResourceUsage {
  readonly used: number;
  readonly available: number;
}

/** Resources after placement, as nextpnr counts them. */
export interface Utilisation {
  readonly logicCells: ResourceUsage;
  readonly bram: ResourceUsage;
  readonly spram: ResourceUsage;
  readonly dsp: ResourceUsage;
  readonly io: ResourceUsage;
  readonly pll: ResourceUsage;
  readonly globalBuffers: ResourceUsage;
}

export interface ClockTiming {
  readonly clock: string;
  readonly fmaxMHz: number;
  readonly targetMHz: number;
  readonly met: boolean;
}

export interface ResourceOverflow {
  readonly resource: string;
  readonly needed: number;
  readonly available: number;
  readonly detail?: string;
}

export interface BuildStepTime {
  readonly step: string;
  readonly ms: number;
}

export interface BuildReport {
  readonly top: string;
  readonly board: { readonly id: string; readonly title: string };
  /** e.g. "iCE40UP5K-SG48". */
  readonly target: string;
  readonly mode: 'bitstream' | 'synth-only';
  readonly tools: { readonly yosys: string; readonly nextpnr: string };
  /** nextpnr settings (absent in synth-only mode); seed absent means nextpnr's default. */
  readonly pnr?: { readonly router: string; readonly seed?: number };
  readonly synth: SynthStats;
  readonly capacity: DeviceCapacity;
  /** Absent in synth-only mode. */
  readonly utilisation?: Utilisation;
  /** Absent in synth-only mode. */
  readonly timing?: {
    readonly targetMHz: number;
    readonly clocks: readonly ClockTiming[];
    readonly met: boolean;
  };
  readonly steps: readonly BuildStepTime[];
  readonly totalMs: number;
  /** Output file name -> path. */
  readonly files: Readonly<Record<string, string>>;
  readonly warnings: readonly string[];
}

/**
 * Resources the synthesised design certainly needs beyond the device: each
 * LUT4 and each flip-flop takes a logic cell (two can share one, so the
 * larger count is a lower bound), and block RAM/SPRAM/DSP/PLL map 1:1.
 */
export function synthOverflows(stats: SynthStats, capacity: DeviceCapacity): ResourceOverflow[] {
  const overflows: ResourceOverflow[] = [];
  const cells = Math.max(stats.lut4, stats.dff);
  if (cells > capacity.logicCells) {
    overflows.push({
      resource: 'logic cells',
      needed: cells,
      available: capacity.logicCells,
      detail: `at least: ${stats.lut4} LUT4 and ${stats.dff} flip-flops after synthesis`,
    });
  }
  const blocks: [string, number, number][] = [
    ['block RAMs (SB_RAM40_4K)', stats.bram, capacity.bram],
    ['SPRAMs (SB_SPRAM256KA)', stats.spram, capacity.spram],
    ['DSPs (SB_MAC16)', stats.dsp, capacity.dsp],
    ['PLLs', stats.pll, capacity.pll],
  ];
  for (const [resource, needed, available] of blocks) {
    if (needed > available) overflows.push({ resource, needed, available });
  }
  return overflows;
}

const UTILISATION_LABELS: Readonly<Record<keyof Utilisation, string>> = {
  logicCells: 'logic cells',
  bram: 'block RAMs (SB_RAM40_4K)',
  spram: 'SPRAMs (SB_SPRAM256KA)',
  dsp: 'DSPs (SB_MAC16)',
  io: 'IO cells (SB_IO)',
  pll: 'PLLs',
  globalBuffers: 'global buffers (SB_GB)',
};

export function utilisationOverflows(u: Utilisation): ResourceOverflow[] {
  return (Object.keys(UTILISATION_LABELS) as (keyof Utilisation)[])
    .filter((k) => u[k].used > u[k].available)
    .map((k) => ({ resource: UTILISATION_LABELS[k], needed: u[k].used, available: u[k].available }));
}

function percent(used: number, available: number): string {
  return available === 0 ? '-' : `${((100 * used) / available).toFixed(1)}%`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The human-readable report (report.txt, and what the CLI prints). */
export function formatReport(r: BuildReport): string {
  const lines: string[] = [];
  lines.push(`bpfgate ${r.mode === 'synth-only' ? 'synthesis' : 'build'} report: top '${r.top}' for ${r.board.title} (${r.target})`);
  lines.push(`tools: yosys ${r.tools.yosys}, nextpnr-ice40 ${r.tools.nextpnr} (YoWASP)`);
  lines.push('');
  const s = r.synth;
  lines.push(`synthesis: ${s.lut4} LUT4, ${s.dff} flip-flops, ${s.carry} carries, ${s.bram} block RAMs, ${s.spram} SPRAMs, ${s.dsp} DSPs, ${s.pll} PLLs, ${s.io} IO pins`);
  lines.push(`           LUT4 use: ${s.lut4} of ${r.capacity.logicCells} logic cells (${percent(s.lut4, r.capacity.logicCells)})`);
  if (r.utilisation) {
    lines.push('');
    lines.push(`placed (nextpnr${r.pnr ? `, ${r.pnr.router}, seed ${r.pnr.seed ?? 'default'}` : ''}):`);
    for (const key of Object.keys(UTILISATION_LABELS) as (keyof Utilisation)[]) {
      const u = r.utilisation[key];
      if (u.available === 0 && u.used === 0) continue;
      lines.push(`  ${UTILISATION_LABELS[key].padEnd(26)} ${String(u.used).padStart(5)} / ${String(u.available).padEnd(5)} ${percent(u.used, u.available).padStart(6)}`);
    }
  }
  if (r.timing) {
    lines.push('');
    lines.push(`timing (target ${r.timing.targetMHz.toFixed(2)} MHz): ${r.timing.met ? 'met' : 'NOT MET'}`);
    if (r.timing.clocks.length === 0) lines.push('  no clocked paths');
    for (const c of r.timing.clocks) {
      lines.push(`  ${c.clock}: Fmax ${c.fmaxMHz.toFixed(2)} MHz ${c.met ? 'PASS' : 'FAIL'} (target ${c.targetMHz.toFixed(2)} MHz)`);
    }
  }
  lines.push('');
  lines.push(`steps: ${r.steps.map((s) => `${s.step} ${seconds(s.ms)}`).join(', ')}; total ${seconds(r.totalMs)}`);
  if (r.warnings.length) {
    lines.push(`warnings (${r.warnings.length}):`);
    for (const w of r.warnings.slice(0, 20)) lines.push(`  ${w}`);
    if (r.warnings.length > 20) lines.push(`  ... (${r.warnings.length - 20} more in the logs)`);
  }
  lines.push('files:');
  for (const [name, path] of Object.entries(r.files)) lines.push(`  ${name.padEnd(12)} ${path}`);
  return lines.join('\n') + '\n';
}
