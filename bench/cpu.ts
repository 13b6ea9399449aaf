// CPU figures: cycles per instruction per class (micro-programs on the TS
// simulator), total cycles of a few programs next to the interpreter's
// instruction counts, and simulator speed on the CPU system and the SoC (TS
// simulator vs a tuned Verilator, bench/sim-speed.ts; Icarus too); with BPFGATE_BENCH_SYNTH=1 also the core's iCE40
// size. Run alone with `npx tsx bench/cpu.ts`.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { assemble } from '../src/asm/assembler.ts';
import { parseDataFile, programFromDataFile } from '../src/asm/data-file.ts';
import { loadElf } from '../src/elf/index.ts';
import { runProgram } from '../src/interp/index.ts';
import { CONFORMANCE_TESTS, REPO_ROOT } from '../src/paths.ts';
import type { Program } from '../src/program.ts';
import { CpuSim } from '../src/engines/cpu-sim.ts';
import { buildImage } from '../src/engines/image.ts';
import { speedLoopSource } from '../src/engines/speed-loop.ts';
import { createIcarusEngine } from '../src/engines/icarus.ts';
import type { HdlEngine } from '../src/engines/hdl-engine.ts';
import { REPS, tunedFlagsText } from './replay.ts';
import { cpuSpeed, socSpeed } from './sim-speed.ts';

const REPEAT = 64;

/** Instruction classes: setup, then the measured instruction repeated. */
const CLASSES: Record<string, { setup: string; body: (i: number) => string; after?: string; minus?: number }> = {
  alu: { setup: 'mov %r1, 3\nmov %r2, 5', body: (i) => (i % 2 ? 'add %r1, %r2' : 'xor32 %r2, 7') },
  shift: { setup: 'lddw %r1, 0x123456789abcdef', body: (i) => `lsh %r1, ${(i * 37) % 64}` },
  mul: { setup: 'mov %r1, 3\nmov %r2, 1000', body: () => 'mul %r1, %r2' },
  mul64: { setup: 'mov %r1, 3\nlddw %r2, 0x8123456789abcdef', body: () => 'mul %r1, %r2' },
  // The divisions divide a fresh copy each time (the mov, one cycle, is subtracted).
  div32: { setup: 'mov %r3, 1000000', body: () => 'mov %r2, %r3\ndiv32 %r2, 7', minus: 1 },
  div64: { setup: 'lddw %r3, 0x8123456789abcdef', body: () => 'mov %r2, %r3\ndiv %r2, 7', minus: 1 },
  load: { setup: 'stxdw [%r10-8], %r10', body: (i) => `ldxdw %r${1 + (i % 3)}, [%r10-8]` },
  load_unaligned: { setup: 'stxdw [%r10-8], %r10', body: () => 'ldxdw %r1, [%r10-12]' },
  store: { setup: '', body: (i) => `stxw [%r10-${8 + 4 * (i % 8)}], %r1` },
  store_unaligned: { setup: '', body: () => 'stxdw [%r10-12], %r1' },
  atomic: { setup: 'stdw [%r10-8], 0', body: () => 'lock add [%r10-8], %r1' },
  lddw: { setup: '', body: (i) => `lddw %r1, ${i + 0x100000000}` },
  jump_taken: { setup: '', body: () => 'ja +0' },
  branch_taken: { setup: '', body: () => 'jeq %r1, %r1, +0' },
  branch_not_taken: { setup: '', body: () => 'jne %r1, %r1, +0' },
  call_exit: { setup: '', body: () => 'call local fn', after: 'fn:\nexit' },
  helper: { setup: '', body: () => 'call 5' },
};

function cyclesOf(cpu: CpuSim, program: Program, input: Uint8Array = new Uint8Array(0)): { cycles: number; insns: number } {
  const r = cpu.run(buildImage(cpu.cfg, program, input), { maxCycles: 50_000_000, maxInsns: 0 });
  if (r.kind !== 'exit') throw new Error(`bench program did not exit: ${r.kind} ${r.faultCode ?? ''} at ${r.faultPc ?? ''}`);
  return { cycles: r.cycles, insns: r.insns };
}

function classProgram(name: string, n: number): Program {
  const c = CLASSES[name]!;
  const body = Array.from({ length: n }, (_, i) => c.body(i)).join('\n');
  return assemble(`${c.setup}\n${body}\nmov %r0, 0\nexit\n${c.after ?? ''}\n`, { file: `cpi-${name}` });
}

export function dataProgram(name: string): { program: Program; input: Uint8Array } {
  const file = join(CONFORMANCE_TESTS, `${name}.data`);
  const data = parseDataFile(readFileSync(file, 'utf8'), file);
  return { program: programFromDataFile(data, file), input: data.mem ?? new Uint8Array(0) };
}

/** An examples/c program compiled with clang (skipped with a note when clang is missing). */
export function cProgram(name: string): Program | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'bpfgate-bench-'));
  const out = join(dir, `${name}.o`);
  try {
    execFileSync('clang', ['-target', 'bpf', '-O2', '-mcpu=v3', '-c', join(REPO_ROOT, 'examples', 'c', `${name}.c`), '-o', out], { stdio: 'pipe' });
    return loadElf(new Uint8Array(readFileSync(out)), { file: out });
  } catch (e) {
    process.stderr.write(`bench cpu: cannot build examples/c/${name}.c (${(e as Error).message.split('\n')[0]}); skipped\n`);
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An Ethernet + 802.1Q + IPv4 + UDP frame to port 53 (the parser's longest path). */
function udpFrame(): Uint8Array {
  const eth = [...Array(12).fill(0x02), 0x81, 0x00, 0x00, 0x05, 0x08, 0x00];
  const ip = [0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
  const udp = [0x30, 0x39, 0, 53, 0, 8, 0, 0];
  return Uint8Array.from([...eth, ...ip, ...udp]);
}

/** A loop of about `iterations` * 9 cycles, for simulator speed. */
function speedProgram(iterations: number): Program {
  return assemble(speedLoopSource(iterations), { file: 'speed' });
}

function hdlCyclesPerSecond(engine: HdlEngine, iterations: number, cycles: number): number {
  engine.build();
  const run = (p: Program): number => {
    const img = buildImage(engine.cfg, p, new Uint8Array(0));
    return engine.runBatch([{ image: img, maxCycles: 0xffffff, maxInsns: 0 }]).runMs;
  };
  const base = run(speedProgram(1));
  const long = run(speedProgram(iterations));
  return cycles / Math.max(1e-3, (long - base) / 1000);
}

export async function benchCpu(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const cpu = new CpuSim();

  for (const name of Object.keys(CLASSES)) {
    const a = cyclesOf(cpu, classProgram(name, REPEAT));
    const b = cyclesOf(cpu, classProgram(name, 0));
    out[`cpu.cpi.${name}`] = (a.cycles - b.cycles) / REPEAT - (CLASSES[name]!.minus ?? 0);
  }

  const programs: [string, Program, Uint8Array][] = [];
  const prime = dataProgram('prime');
  programs.push(['prime67', prime.program, prime.input]);
  const subnet = dataProgram('subnet');
  programs.push(['subnet', subnet.program, subnet.input]);
  const inputs: Record<string, Uint8Array> = {
    primes: new Uint8Array(0),
    crc32: Uint8Array.from({ length: 64 }, (_, i) => (i * 7 + 1) & 0xff),
    packet_parser: udpFrame(),
  };
  for (const name of ['primes', 'crc32', 'packet_parser']) {
    const p = cProgram(name);
    if (p) programs.push([`c_${name}`, p, inputs[name]!]);
  }
  for (const [name, program, input] of programs) {
    const hw = cyclesOf(cpu, program, input);
    const ref = runProgram(program, { input });
    out[`cpu.cycles.${name}`] = hw.cycles;
    out[`cpu.insns.${name}`] = ref.insns;
    out[`cpu.cpi.program.${name}`] = hw.cycles / ref.insns;
  }

  // Simulator speed on the CPU and on the SoC: TS against a tuned Verilator
  // replaying the same recorded stimulus (bench/replay.ts), CPU seconds, best
  // of 3 each, side by side. Icarus runs the conformance bench (wall clock).
  const iterations = 30_000;
  const speed = speedProgram(iterations);
  process.stderr.write(`bench cpu: Verilator build: ${tunedFlagsText()}\n`);
  const c = await cpuSpeed(speedProgram(2 * iterations));
  process.stderr.write(`bench cpu: CPU system, ${c.cycles} cycles: TS ${Math.round(c.ts.cyclesPerS)} cycles/s, Verilator ${Math.round(c.verilator.cyclesPerS)} cycles/s (best of ${REPS} CPU seconds), r0 ${c.r0} on both\n`);
  out['cpu.sim.cycles'] = c.cycles;
  out['cpu.sim.ts_cycles_per_s'] = Math.round(c.ts.cyclesPerS);
  out['cpu.sim.verilator_cycles_per_s'] = Math.round(c.verilator.cyclesPerS);
  out['cpu.sim.ts_over_verilator'] = c.ts.cyclesPerS / c.verilator.cyclesPerS;
  const soc = await socSpeed(speedProgram(iterations));
  process.stderr.write(`bench cpu: SoC (CPU + UART + host link), ${soc.cycles} cycles: TS ${Math.round(soc.ts.cyclesPerS)} cycles/s, Verilator ${Math.round(soc.verilator.cyclesPerS)} cycles/s, r0 ${soc.r0} on both\n`);
  out['cpu.sim.soc.cycles'] = soc.cycles;
  out['cpu.sim.soc.ts_cycles_per_s'] = Math.round(soc.ts.cyclesPerS);
  out['cpu.sim.soc.verilator_cycles_per_s'] = Math.round(soc.verilator.cyclesPerS);
  out['cpu.sim.soc.ts_over_verilator'] = soc.ts.cyclesPerS / soc.verilator.cyclesPerS;
  const run = cyclesOf(cpu, speed);
  const icarus = hdlCyclesPerSecond(createIcarusEngine(), iterations, run.cycles);
  out['cpu.sim.icarus_cycles_per_s'] = Math.round(icarus);
  out['cpu.sim.ts_over_icarus'] = c.ts.cyclesPerS / icarus;

  // Size (yosys synth_ice40 on the core, ~1 minute): with BPFGATE_BENCH_SYNTH=1.
  if (process.env.BPFGATE_BENCH_SYNTH === '1') {
    const { synthCpu } = await import('../src/toolchain/cpu-size.ts');
    const size = (await synthCpu()).stats;
    out['cpu.size.lut4'] = size.lut4;
    out['cpu.size.dff'] = size.dff;
    out['cpu.size.carry'] = size.carry;
    out['cpu.size.bram'] = size.bram;
    out['cpu.size.dsp'] = size.dsp;
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await benchCpu();
  for (const [k, v] of Object.entries(figures)) process.stdout.write(`${k}: ${Number.isInteger(v) ? v : v.toPrecision(4)}\n`);
}
