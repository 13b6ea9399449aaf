// Lockstep fuzzing: random programs (random-program.ts) run on the simulated
// CPU and the reference interpreter in lockstep (lockstep.ts). Program i of
// a run with seed S uses seed S + i, so a failure is reproduced with
// `--seed <its seed> --programs 1`.
//
//   npx tsx src/engines/fuzz.ts --programs 100000 --seed 1 [--config up5k]
//   (--config NAME: a shipped build from hdl/cpu/presets.ts, with its data RAM
//   in block RAM; variants on top or instead: --packet --dsp --small-memory
//   --no-helper-port --small-shifter --no-divider --no-callx; --coverage
//   lists ISA entries never retired; --keep-going collects every divergence)

import { fileURLToPath } from 'node:url';
import { disassembleProgram } from '../asm/disassembler.ts';
import type { Program } from '../program.ts';
import { enabledSpecs, makeConfig, type CpuConfig } from '../../hdl/cpu/config.ts';
import { presetConfig, requirePreset } from '../../hdl/cpu/presets.ts';
import { CpuSim } from './cpu-sim.ts';
import { runLockstep, type Divergence } from './lockstep.ts';
import { ProgramGenerator } from './random-program.ts';

export interface FuzzOptions {
  programs: number;
  seed: number;
  config?: Partial<CpuConfig>;
  /** Instruction budget per program (default 2,000). */
  maxInsns?: number;
  /** Stop at the first divergence (default true). */
  stopOnFirst?: boolean;
  /** Reuse a compiled CPU (its config wins over `config`). */
  cpu?: CpuSim;
  onProgress?: (done: number, report: FuzzReport) => void;
}

export interface FuzzFailure {
  readonly seed: number;
  readonly divergence: Divergence;
  readonly program: Program;
  readonly input: Uint8Array;
}

export interface FuzzReport {
  programs: number;
  insns: number;
  cycles: number;
  /** How the interpreter's runs ended: 'exit' or a fault code. */
  endings: Record<string, number>;
  /** Retired instructions per ISA table id. */
  coverage: Record<string, number>;
  failures: FuzzFailure[];
}

export function fuzz(opts: FuzzOptions): FuzzReport {
  const cpu = opts.cpu ?? new CpuSim(makeConfig(opts.config));
  const gen = new ProgramGenerator(cpu.cfg);
  const report: FuzzReport = { programs: 0, insns: 0, cycles: 0, endings: {}, coverage: {}, failures: [] };
  const coverage = report.coverage;
  const onRetire = (step: { id: string }): void => {
    coverage[step.id] = (coverage[step.id] ?? 0) + 1;
  };
  for (let i = 0; i < opts.programs; i++) {
    const seed = (opts.seed + i) >>> 0;
    const { program, input } = gen.generate(seed);
    const r = runLockstep(cpu, program, input, { maxInsns: opts.maxInsns ?? 2000, onRetire });
    report.programs++;
    report.insns += r.insns;
    report.cycles += r.cycles;
    const ending = r.outcome.kind === 'exit' ? 'exit' : r.outcome.code;
    report.endings[ending] = (report.endings[ending] ?? 0) + 1;
    if (!r.ok) {
      report.failures.push({ seed, divergence: r.divergence!, program, input });
      if (opts.stopOnFirst ?? true) break;
    }
    if (opts.onProgress && (i + 1) % 1000 === 0) opts.onProgress(i + 1, report);
  }
  return report;
}

/** A failure as text: seed, divergence, both states, the program's disassembly and input. */
export function formatFailure(f: FuzzFailure): string {
  const d = f.divergence;
  return [
    `seed ${f.seed}: ${d.what}`,
    `  at pc ${d.pc}: ${d.insn} (instruction #${d.index}, cycle ${d.cycle})`,
    `  interp: ${d.interp}`,
    `  cpu:    ${d.cpu}`,
    `  input (${f.input.length} bytes): ${[...f.input].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`,
    '  program:',
    ...disassembleProgram(f.program).split('\n').map((l) => `    ${l}`),
    `  reproduce: npx tsx src/engines/fuzz.ts --seed ${f.seed} --programs 1`,
  ].join('\n');
}

/** A small memory map (64-byte data region, 2 frames of 64 bytes) that puts every region edge within reach. */
export const SMALL_MEMORY_MAP = { dataBase: 0x2000_0000, dataSize: 64, stackBase: 0x1000_0000, frameSize: 64, maxFrames: 2 };

/** Build options from flags: --packet, --dsp, --small-memory, --no-helper-port, --small-shifter, --no-divider, --no-callx. */
export function configFromFlags(argv: readonly string[]): Partial<CpuConfig> {
  const at = argv.indexOf('--config');
  const preset = at >= 0 ? requirePreset(argv[at + 1] ?? '') : undefined;
  return {
    // A preset as the SoC builds it (presetConfig), its data RAM in block
    // RAM, which the simulator engine loads directly.
    ...(preset ? presetConfig(preset, { dataRam: 'bram' }) : {}),
    ...(argv.includes('--packet') ? { packet: true } : {}),
    ...(argv.includes('--dsp') ? { multiplier: 'dsp' as const } : {}),
    ...(argv.includes('--small-memory') ? { memoryMap: SMALL_MEMORY_MAP } : {}),
    ...(argv.includes('--no-helper-port') ? { helperPort: false } : {}),
    ...(argv.includes('--small-shifter') ? { shifter: 'small' as const } : {}),
    ...(argv.includes('--no-divider') ? { divider: 'none' as const } : {}),
    ...(argv.includes('--no-callx') ? { callx: false } : {}),
  };
}

function main(argv: string[]): number {
  const arg = (name: string, dflt: number): number => {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return dflt;
    const v = Number(argv[i + 1]);
    if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} needs a non-negative integer, got '${argv[i + 1]}'`);
    return v;
  };
  const programs = arg('programs', 10000);
  const seed = arg('seed', 1);
  const config = configFromFlags(argv);
  const t0 = Date.now();
  const report = fuzz({
    programs, seed, stopOnFirst: !argv.includes('--keep-going'), config,
    onProgress: (n, r) => process.stdout.write(`${n} programs, ${r.insns} instructions, ${r.failures.length} divergences (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`),
  });
  for (const f of report.failures) process.stdout.write(`${formatFailure(f)}\n`);
  process.stdout.write(
    `${report.programs} programs, ${report.insns} instructions, ${report.cycles} cycles, ${report.failures.length} divergences ` +
      `in ${((Date.now() - t0) / 1000).toFixed(1)} s; endings ${JSON.stringify(report.endings)}\n`,
  );
  if (argv.includes('--coverage')) {
    const cpuSpecs = enabledSpecs(makeConfig(config));
    const missing = cpuSpecs.filter((s) => !report.coverage[s.id]).map((s) => s.id);
    process.stdout.write(`coverage: ${cpuSpecs.length - missing.length}/${cpuSpecs.length} instructions retired; never: ${missing.join(' ') || 'none'}\n`);
  }
  return report.failures.length === 0 ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`fuzz: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  }
}
