// The playground's engine room, free of the DOM (and of Node's I/O) so the
// page and the Node-side tests run the very same code: load a program from
// assembly, a `.data` file or a clang object; run it on the reference
// interpreter and on the simulated CPU of a shipped build (hdl/cpu/presets.ts);
// count cycles per instruction class; check the two in lockstep; capture a
// window of signals as a waveform and as VCD text; emit the build's Verilog;
// run an XDP program over the packets of a pcap.

import { AsmError, assemble, checkDataFile, disassembleOne, disassembleProgram, formatIssue, validateProgram } from '../../src/asm/index.ts';
import { loadElf } from '../../src/elf/index.ts';
import { ElfError } from '../../src/elf/errors.ts';
import { runProgram } from '../../src/interp/index.ts';
import type { RunResult } from '../../src/interp/types.ts';
import { CLS, opClass } from '../../src/isa/encoding.ts';
import { DEFAULT_MEMORY_MAP } from '../../src/isa/memory-map.ts';
import type { Program } from '../../src/program.ts';
import { CpuSim, type CpuRunResult } from '../../src/engines/cpu-sim.ts';
import { cpuFaultMessage } from '../../src/engines/fault-message.ts';
import { buildImage, ImageError } from '../../src/engines/image.ts';
import { runLockstep, type LockstepResult } from '../../src/engines/lockstep.ts';
import { speedLoopSource } from '../../src/engines/speed-loop.ts';
import { CPU_PRESETS, presetConfig } from '../../hdl/cpu/presets.ts';
import { RUN_STATE } from '../../src/abi/cpu-port.ts';
import { makeSystem } from '../../hdl/cpu/system.ts';
import type { CpuConfig } from '../../hdl/cpu/config.ts';
import { toVerilog } from '../../src/dsl/index.ts';
import { VcdWriter } from '../../sim/vcd-writer.ts';
import { LINKTYPE_ETHERNET, readPcap } from '../../src/pcap/index.ts';
import { PcapError } from '../../src/pcap/errors.ts';
import { XdpSession } from '../../src/xdp/session.ts';
import { loadXdpObject, type XdpObject } from '../../src/xdp/object.ts';
import { createInterpXdpEngine } from '../../src/xdp/interp-engine.ts';
import { createSimXdpEngine } from '../../src/xdp/cpu-engine.ts';
import { XdpError } from '../../src/xdp/errors.ts';
import type { XdpRunResult } from '../../src/xdp/result.ts';
import { PROBES } from '../../src/abi/probes.ts';

// ---- loading ------------------------------------------------------------------

/** A problem in the user's input, with the line it is on when known (1-based). */
export class LoadError extends Error {
  override readonly name = 'LoadError';
  constructor(message: string, readonly line?: number, readonly column?: number) {
    super(message);
  }
}

export interface Loaded {
  readonly program: Program;
  readonly input: Uint8Array;
  /** A `.data` file's `-- result`, when it has one. */
  readonly expected?: bigint;
  /** Whether a `.data` file expects an error (`-- error`). */
  readonly expectsError?: boolean;
}

/** Assemble editor text (bpf_conformance syntax) and validate it like every engine's loader. */
export function loadAssembly(text: string, file = 'editor.s'): Loaded {
  let program: Program;
  try {
    program = assemble(text, { file });
  } catch (e) {
    if (e instanceof AsmError) throw new LoadError(e.message, e.line, e.column);
    throw e;
  }
  const issues = validateProgram(program);
  if (issues.length > 0) {
    const first = issues[0]!;
    const src = program.sources?.[first.pc];
    throw new LoadError(issues.map((i) => formatIssue(i, program)).join('\n'), src?.line, src?.column);
  }
  return { program, input: new Uint8Array(0) };
}

/** A bpf_conformance `.data` file: its program, its `-- mem` input and what it expects. */
export function loadDataFile(text: string, file: string): Loaded {
  const v = checkDataFile(text, file);
  if (v.kind === 'rejected') {
    const m = /:(\d+):(\d+): /.exec(v.message);
    throw new LoadError(v.message, m ? Number(m[1]) : undefined, m ? Number(m[2]) : undefined);
  }
  return {
    program: v.program,
    input: v.data.mem ?? new Uint8Array(0),
    ...(v.data.result !== undefined ? { expected: v.data.result } : {}),
    ...(v.data.error !== undefined ? { expectsError: true } : {}),
  };
}

/** A clang -target bpf object. */
export function loadObject(bytes: Uint8Array, file: string): Loaded {
  try {
    return { program: loadElf(bytes, { file }), input: new Uint8Array(0) };
  } catch (e) {
    if (e instanceof ElfError) throw new LoadError(e.message);
    throw e;
  }
}

/** A program as assembly text (labels for jump targets and symbols). */
export function disassemblyOf(program: Program): string {
  return disassembleProgram(program);
}

/** Input bytes as hex ("01 02 ff", "0x0102ff"); empty text is no input. */
export function parseHexInput(text: string): Uint8Array {
  const clean = text.replace(/0x/gi, '').replace(/[\s,]+/g, '');
  if (clean === '') return new Uint8Array(0);
  if (!/^[0-9a-f]*$/i.test(clean) || clean.length % 2 !== 0) {
    throw new LoadError(`input: '${text.trim().slice(0, 40)}' is not an even number of hex digits`);
  }
  return Uint8Array.from(clean.match(/../g)!.map((b) => parseInt(b, 16)));
}

export function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

export const hex64 = (v: bigint): string => `0x${BigInt.asUintN(64, v).toString(16)}`;

// ---- the CPU builds --------------------------------------------------------------

export const PRESET_NAMES: readonly string[] = Object.keys(CPU_PRESETS);

/** The build that runs every conformance program (every RFC group). */
export const DEFAULT_PRESET = 'hx8k';

export function presetSummary(name: string): string {
  return CPU_PRESETS[name]?.summary ?? '';
}

/** The simulated build: the preset with its data RAM in block RAM (the simulator loads it directly, as the tests do). */
export function simConfig(preset: string): CpuConfig {
  return presetConfig(preset, { dataRam: 'bram' });
}

const cpus = new Map<string, CpuSim>();

/** The compiled CPU of a preset (elaborated and compiled to JavaScript on first use, then kept). */
export function cpuFor(preset: string): CpuSim {
  let cpu = cpus.get(preset);
  if (!cpu) {
    cpu = new CpuSim(simConfig(preset));
    cpus.set(preset, cpu);
  }
  return cpu;
}

/** The memory image of a program for a CPU build; a program that does not fit is a load error. */
function imageFor(cpu: CpuSim, loaded: Loaded): ReturnType<typeof buildImage> {
  try {
    return buildImage(cpu.cfg, loaded.program, loaded.input);
  } catch (e) {
    if (e instanceof ImageError) throw new LoadError(e.message);
    throw e;
  }
}

export function isCompiled(preset: string): boolean {
  return cpus.has(preset);
}

/** A core left running (a timeout) is reset before the next program. */
function ready(cpu: CpuSim): void {
  if (cpu.running) cpu.sim.reset();
}

/** The Verilog of a build as it is synthesized (the preset's own data RAM). */
export function verilogFor(preset: string): string {
  const text = toVerilog(makeSystem(presetConfig(preset)), { header: `bpfgate CPU system, build '${preset}': ${presetSummary(preset)}` });
  // Module comments name the DSL source line that made each module; a
  // browser bundle has none to give (src/dsl/loc.ts), so the page leaves them out.
  return text.replace(/^(\/\/ \S+) \(<unknown>\)$/gm, '$1');
}

// ---- runs ----------------------------------------------------------------------

// Budgets of one run in the page. A run is one synchronous call in the
// engine worker (about 0.4 M cycles/s) that Stop can only end by ending the
// worker, so a runaway loop ends by itself in seconds, not minutes: the
// longest conformance program takes under 2,000 cycles.
export const MAX_CYCLES = 5_000_000;
export const MAX_INSNS = 500_000;
/** Lockstep compares registers and memory after every instruction (~30 k instructions/s): it checks this many at most. */
export const LOCKSTEP_MAX_INSNS = 100_000;

/** A build's instruction budget: MAX_INSNS, or less where its budget register is narrower (16 bits on 'minimal'). */
export function insnBudget(preset: string): number {
  return Math.min(MAX_INSNS, 2 ** simConfig(preset).counterBits - 1);
}

export interface FaultInfo {
  readonly code: string;
  readonly pc: number;
  readonly insn: string;
  readonly message: string;
}

export interface EngineOutcome {
  readonly kind: 'exit' | 'fault' | 'timeout';
  readonly r0?: bigint;
  readonly insns: number;
  readonly fault?: FaultInfo;
  readonly ms: number;
}

export interface CpuOutcome extends EngineOutcome {
  readonly cycles: number;
  /** Simulated cycles per wall-clock second of this run. */
  readonly cyclesPerSecond: number;
}

function disasmAt(program: Program, pc: number): string {
  const insn = program.insns[pc];
  return insn ? disassembleOne(insn, program.insns[pc + 1]) : '<no instruction>';
}

/** Run on the interpreter with the build's memory map (so out-of-bounds agrees with a small build's data RAM). */
export function runInterpOn(preset: string, loaded: Loaded): EngineOutcome {
  const cfg = simConfig(preset);
  const t = performance.now();
  const r = runProgram(loaded.program, { input: loaded.input, maxInsns: insnBudget(preset), memoryMap: cfg.memoryMap, legacyPacket: cfg.packet });
  const ms = performance.now() - t;
  if (r.kind === 'exit') return { kind: 'exit', r0: r.r0, insns: r.insns, ms };
  return { kind: 'fault', insns: r.insns, ms, fault: { code: r.code, pc: r.pc, insn: disasmAt(loaded.program, r.pc), message: r.message } };
}

function cpuOutcome(loaded: Loaded, r: CpuRunResult, ms: number): CpuOutcome {
  const base = { insns: r.insns, cycles: r.cycles, ms, cyclesPerSecond: r.cycles / Math.max(ms, 1e-3) * 1000 };
  if (r.kind === 'exit') return { kind: 'exit', r0: r.r0, ...base };
  if (r.kind === 'timeout') return { kind: 'timeout', ...base, fault: { code: 'timeout', pc: -1, insn: '', message: `cycle limit of ${MAX_CYCLES} reached` } };
  const pc = r.faultPc ?? 0;
  const code = r.faultCode ?? 'illegal-instruction';
  return { kind: 'fault', ...base, fault: { code, pc, insn: disasmAt(loaded.program, pc), message: cpuFaultMessage('sim', loaded.program, code, pc) } };
}

/** The simulated CPU at full speed (chunked steps, exactly what src/engines/sim.ts runs). */
export function runCpu(preset: string, loaded: Loaded): CpuOutcome {
  const cpu = cpuFor(preset);
  ready(cpu);
  const image = imageFor(cpu, loaded);
  const t = performance.now();
  const r = cpu.run(image, { maxCycles: MAX_CYCLES, maxInsns: insnBudget(preset) });
  return cpuOutcome(loaded, r, performance.now() - t);
}

// ---- cycles per instruction class and the waveform ----------------------------------

const CLASS_NAMES: Record<number, string> = Object.fromEntries(Object.entries(CLS).map(([k, v]) => [v, k.toLowerCase()]));

export interface ClassCost {
  readonly cls: string;
  readonly insns: number;
  readonly cycles: number;
  readonly cpi: number;
}

/** Signals offered by default: pc through the pipeline, register writes, memory ports. */
export const DEFAULT_SIGNALS: readonly string[] = [
  'prog_r0_addr', 'u_core.d_valid', 'u_core.d_pc', 'u_core.e_valid', 'u_core.e_pc', 'u_core.e_step', 'retire', 'retire_pc',
  'u_core.rf_we', 'u_core.rf_wr', 'u_core.rf_wdata',
  'u_core.dmem_re', 'u_core.dmem_raddr', 'u_core.dmem_we', 'u_core.dmem_waddr', 'u_core.dmem_wdata',
];

export interface WaveSignal {
  readonly name: string;
  readonly width: number;
  /** One value per cycle of the window. */
  readonly values: bigint[];
}

export interface Waveform {
  /** First cycle of the window, counted from the start of the run. */
  readonly start: number;
  readonly signals: WaveSignal[];
  /** The same window as a VCD file. */
  readonly vcd: string;
}

export interface ProfiledRun {
  readonly result: CpuOutcome;
  readonly classes: ClassCost[];
  readonly wave: Waveform;
}

/** Signal names of a build's simulation (named nets, no flattened duplicates). */
export function signalNames(preset: string): { name: string; width: number }[] {
  const sim = cpuFor(preset).sim;
  return sim.signals().filter((s) => !s.name.includes('__')).map((s) => ({ name: s.name, width: s.width }));
}

/**
 * Run cycle by cycle: every retired instruction is charged the cycles since
 * the one before (the first one also its fetch), by opcode class; the cycles
 * [start, start + length) of the run are sampled into a waveform and a VCD.
 */
export function profileCpu(preset: string, loaded: Loaded, window: { start: number; length: number; signals: readonly string[] }): ProfiledRun {
  const cpu = cpuFor(preset);
  ready(cpu);
  const sim = cpu.sim;
  const known = new Set(sim.signals().map((s) => s.name));
  const chosen = window.signals.filter((n) => known.has(n));
  const image = imageFor(cpu, loaded);
  const state = cpu.probe.reader32(PROBES.runState);
  const retired = cpu.probe.readerLow32(PROBES.retireCount);
  const lastPc = cpu.probe.reader32(PROBES.lastRetiredPc);
  const perClass = new Map<string, { insns: number; cycles: number }>();
  const signals: WaveSignal[] = chosen.map((name) => ({ name, width: sim.signals().find((s) => s.name === name)!.width, values: [] }));
  let vcd = '';
  const writer = new VcdWriter(sim, (s) => (vcd += s), { signals: chosen });

  const t = performance.now();
  cpu.load(image);
  cpu.start(insnBudget(preset));
  let cycle = 0;
  let seen = 0;
  let since = 0;
  const end = window.start + window.length;
  while (state() === RUN_STATE.RUNNING && cycle < MAX_CYCLES) {
    sim.step();
    cycle++;
    since++;
    const n = retired();
    if (n !== seen) {
      seen = n;
      const insn = loaded.program.insns[lastPc()];
      const cls = insn ? CLASS_NAMES[opClass(insn.opcode)]! : '?';
      const c = perClass.get(cls) ?? { insns: 0, cycles: 0 };
      c.insns++;
      c.cycles += since;
      perClass.set(cls, c);
      since = 0;
    }
    if (cycle > window.start && cycle <= end) {
      for (const s of signals) s.values.push(sim.peekBits(s.name));
      writer.sample();
    }
  }
  const result = cpuOutcome(loaded, cpu.result(), performance.now() - t);
  const classes = [...perClass].map(([cls, c]) => ({ cls, ...c, cpi: c.cycles / c.insns })).sort((a, b) => b.cycles - a.cycles);
  return { result, classes, wave: { start: window.start, signals, vcd } };
}

// ---- lockstep --------------------------------------------------------------------

export function lockstep(preset: string, loaded: Loaded): LockstepResult {
  const cpu = cpuFor(preset);
  ready(cpu);
  return runLockstep(cpu, loaded.program, loaded.input, { maxInsns: Math.min(LOCKSTEP_MAX_INSNS, insnBudget(preset)) });
}

// ---- the conformance examples -------------------------------------------------------

export interface SuiteEntry {
  readonly name: string;
  /** pass: both engines agree with the file and with each other, instruction by instruction. */
  readonly verdict: 'pass' | 'mismatch' | 'not-in-build';
  readonly detail: string;
  readonly cycles?: number;
}

/**
 * One conformance file on both engines: the interpreter against the file's
 * expectation, the CPU against the interpreter in lockstep. A build that
 * leaves an instruction group out faults it as illegal: that is reported as
 * not in the build, not as a mismatch.
 */
export function checkExample(preset: string, name: string, text: string): SuiteEntry {
  let loaded: Loaded;
  try {
    loaded = loadDataFile(text, `${name}.data`);
  } catch (e) {
    if (!(e instanceof LoadError)) throw e;
    return /^--\s*error\s*$/m.test(text)
      ? { name, verdict: 'pass', detail: 'rejected as expected' }
      : { name, verdict: 'mismatch', detail: e.message };
  }
  const interp = runInterpOn(preset, loaded);
  const cpu = runCpu(preset, loaded);
  if (cpu.fault?.code === 'illegal-instruction' && interp.fault?.code !== 'illegal-instruction') {
    return { name, verdict: 'not-in-build', detail: `${cpu.fault.insn}: not in build '${preset}'`, cycles: cpu.cycles };
  }
  if (loaded.expected !== undefined && (interp.kind !== 'exit' || interp.r0 !== loaded.expected)) {
    return { name, verdict: 'mismatch', detail: `interpreter: ${describe(interp)}, file expects ${hex64(loaded.expected)}` };
  }
  const ls = lockstep(preset, loaded);
  if (!ls.ok) {
    const d = ls.divergence!;
    return { name, verdict: 'mismatch', detail: `lockstep: cycle ${d.cycle}, pc ${d.pc} (${d.insn}): ${d.what}`, cycles: cpu.cycles };
  }
  return { name, verdict: 'pass', detail: describe(cpu), cycles: cpu.cycles };
}

export function describe(o: EngineOutcome): string {
  if (o.kind === 'exit') return `r0 = ${hex64(o.r0!)}`;
  return o.fault ? `${o.kind} ${o.fault.code}${o.fault.pc >= 0 ? ` at pc ${o.fault.pc}` : ''}` : o.kind;
}

// ---- XDP over a pcap ------------------------------------------------------------

export function readPackets(bytes: Uint8Array, file: string): Uint8Array[] {
  try {
    const capture = readPcap(bytes, { file, requireLinktype: LINKTYPE_ETHERNET });
    return capture.packets.map((p) => p.data);
  } catch (e) {
    if (e instanceof PcapError) throw new LoadError(e.message);
    throw e;
  }
}

/** An XDP program: a clang object (maps, helpers) or, from the editor, a map-free program. */
export function xdpObjectOf(source: { object: Uint8Array; file: string } | { program: Program; file: string }): XdpObject {
  try {
    if ('object' in source) return loadXdpObject(source.object, { file: source.file });
  } catch (e) {
    if (e instanceof ElfError || e instanceof XdpError) throw new LoadError(e.message);
    throw e;
  }
  return {
    file: source.file, section: 'xdp', program: source.program, maps: [], mapRefs: [], globalRefs: [],
    helpersCalled: new Set(), usedMaps: new Set(),
  };
}

export interface XdpVerdict {
  readonly index: number;
  readonly length: number;
  readonly interp: string;
  readonly cpu: string;
  readonly cycles?: number;
  readonly agree: boolean;
}

function verdictText(r: XdpRunResult): string {
  return r.kind === 'exit' ? r.actionName : `${r.kind}: ${r.message}`;
}

/**
 * Every packet through the interpreter and through the simulated CPU of the
 * build, with the helper port on (map helpers are answered there) and the
 * default 64 KiB data memory: an XDP frame (3.8 KiB) does not fit the
 * block-RAM builds' 2 KiB.
 */
export async function runXdp(preset: string, object: XdpObject, packets: readonly Uint8Array[]): Promise<XdpVerdict[]> {
  const memoryMap = DEFAULT_MEMORY_MAP;
  const cfg = presetConfig(preset, { dataRam: 'bram', helperPort: true, memoryMap });
  try {
    const maxInsns = insnBudget(preset);
    const interp = new XdpSession(object, { engine: createInterpXdpEngine({ memoryMap }), memoryMap, maxInsns });
    const cpu = new XdpSession(object, { engine: createSimXdpEngine({ config: cfg, memoryMap }), memoryMap, maxInsns });
    const out: XdpVerdict[] = [];
    for (const [index, packet] of packets.entries()) {
      const a = await interp.run(packet);
      const b = await cpu.run(packet);
      const agree = a.kind === b.kind && (a.kind !== 'exit' || (b.kind === 'exit' && a.action === b.action));
      out.push({ index, length: packet.length, interp: verdictText(a), cpu: verdictText(b), ...(b.cycles !== undefined ? { cycles: b.cycles } : {}), agree });
    }
    return out;
  } catch (e) {
    if (e instanceof XdpError) throw new LoadError(e.message);
    throw e;
  }
}

// ---- speed ------------------------------------------------------------------------

/** A loop of about 9 cycles per iteration (the one bench/cpu.ts times), as a Loaded program. */
export function speedProgram(iterations: number): Loaded {
  return loadAssembly(speedLoopSource(iterations), 'speed.s');
}

/**
 * Simulated CPU cycles per second on this JavaScript engine: the loop above
 * at full speed, after a short warm-up run (the same code in Node and in
 * the page, so the two figures compare the engines, not the programs).
 */
export function speedBench(preset: string = DEFAULT_PRESET, iterations = 100_000): { cycles: number; ms: number; cyclesPerSecond: number } {
  runCpu(preset, speedProgram(2_000));
  const r = runCpu(preset, speedProgram(iterations));
  if (r.kind !== 'exit') throw new Error(`speed loop did not exit: ${describe(r)}`);
  return { cycles: r.cycles, ms: r.ms, cyclesPerSecond: r.cyclesPerSecond };
}
