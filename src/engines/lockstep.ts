// Lockstep checker: the simulated CPU and the reference interpreter run the
// same program on the same input. After every instruction the CPU retires
// (its retire counter steps at a clock edge), the interpreter executes one
// instruction and the two must agree on the pc, all of r0-r10 and the whole
// memory (the interpreter's writes are replayed onto a model of the CPU's
// data RAM, so a stray hardware write shows up too). At the end both must
// stop the same way: exit with the same r0, or the same fault code at the
// same pc, after the same number of instructions.

import { disassembleOne } from '../asm/disassembler.ts';
import { Interpreter } from '../interp/interpreter.ts';
import type { RunResult, TraceStep } from '../interp/types.ts';
import type { Program } from '../program.ts';
import { stackBytes } from '../../hdl/cpu/config.ts';
import { RUN_STATE } from '../abi/cpu-port.ts';
import type { CpuSim } from './cpu-sim.ts';
import { buildImage, type RunImage } from './image.ts';
import { physicalOffset } from './helper-port.ts';
import { PROBES } from '../abi/probes.ts';

export interface LockstepOptions {
  /** Instruction budget for both sides (default 100,000). */
  maxInsns?: number;
  /** Cycle limit for the CPU (default 50 cycles per instruction of budget). */
  maxCycles?: number;
  /** Called with every instruction both sides retired (e.g. to measure coverage). */
  onRetire?: (step: TraceStep) => void;
}

export interface Divergence {
  /** CPU cycle (since start) at which the difference was seen. */
  readonly cycle: number;
  /** Instructions retired by the interpreter when it was seen. */
  readonly index: number;
  readonly pc: number;
  /** Disassembly of the instruction at pc. */
  readonly insn: string;
  /** What differs, one line. */
  readonly what: string;
  readonly interp: string;
  readonly cpu: string;
}

export interface LockstepResult {
  readonly ok: boolean;
  readonly divergence?: Divergence;
  /** How the interpreter's run ended. */
  readonly outcome: RunResult;
  readonly insns: number;
  readonly cycles: number;
}

const REG_NAMES = Array.from({ length: 11 }, (_, i) => `r${i}`);

function hex(v: bigint): string {
  return `0x${BigInt.asUintN(64, v).toString(16)}`;
}

function regsText(regs: readonly bigint[]): string {
  return regs.map((v, i) => `${REG_NAMES[i]}=${hex(v)}`).join(' ');
}

/** Run `program` on both sides and compare after every retired instruction. */
export function runLockstep(cpu: CpuSim, program: Program, input: Uint8Array, opts: LockstepOptions = {}): LockstepResult {
  const cfg = cpu.cfg;
  const maxInsns = opts.maxInsns ?? 100_000;
  const maxCycles = opts.maxCycles ?? maxInsns * 50 + 1000;
  const image = buildImage(cfg, program, input);
  // The CPU has one stack region, no frame isolation (yet): compare it with
  // the interpreter's model of that. Random programs do leave their frames.
  const interp = new Interpreter(program, { memoryMap: cfg.memoryMap, legacyPacket: cfg.packet, isolateFrames: cfg.frameIsolation });
  const steps = interp.steps({ input, maxInsns });
  const expected = expectedRam(cpu, image);
  const ram = new Uint8Array(cpu.dataWords.buffer, cpu.dataWords.byteOffset, cpu.dataWords.byteLength);
  const checkedBytes = memoryRanges(cpu, image);

  cpu.load(image);
  cpu.start(maxInsns);
  const sim = cpu.sim;
  const state = cpu.probe.reader32(PROBES.runState);
  const retiredReg = cpu.probe.readerLow32(PROBES.retireCount);
  const lastPc = cpu.probe.reader32(PROBES.lastRetiredPc);
  const regs = cpu.regsReader();
  let retired = 0;
  let cycle = 0;
  let last: TraceStep | undefined;

  const diverge = (what: string, pc: number, interpText: string, cpuText: string, outcome: RunResult): LockstepResult => ({
    ok: false,
    divergence: {
      cycle, index: retired, pc, insn: program.insns[pc] ? disassembleOne(program.insns[pc]!, program.insns[pc + 1]) : '<none>',
      what, interp: interpText, cpu: cpuText,
    },
    outcome, insns: retired, cycles: cycle,
  });

  for (;;) {
    sim.step();
    cycle++;
    const running = state() === RUN_STATE.RUNNING;
    if (retiredReg() !== retired >>> 0) {
      const next = steps.next();
      retired++;
      if (next.done) {
        return diverge('the CPU retired an instruction the interpreter did not', lastPc(), describeResult(next.value), `retired pc ${lastPc()}`, next.value);
      }
      const step = next.value;
      last = step;
      opts.onRetire?.(step);
      if (step.pc !== lastPc()) {
        return diverge('retired a different instruction', step.pc, `pc ${step.pc}`, `pc ${lastPc()}`, peekOutcome(steps));
      }
      const got = regs();
      if (got.some((v, i) => v !== step.regs[i])) {
        const bad = got.map((v, i) => (v !== step.regs[i] ? REG_NAMES[i] : '')).filter(Boolean).join(', ');
        return diverge(`registers differ (${bad})`, step.pc, regsText(step.regs), regsText(got), peekOutcome(steps));
      }
      for (const w of step.memWrites) applyWrite(cpu, image, expected, w.addr, w.bytes, w.value);
      const at = firstDifference(expected, ram, checkedBytes);
      if (at >= 0) {
        return diverge(`memory differs at physical byte ${at} (${describePhysical(cpu, at)})`, step.pc,
          `byte = 0x${expected[at]!.toString(16)}`, `byte = 0x${ram[at]!.toString(16)}`, peekOutcome(steps));
      }
    }
    if (!running) break;
    if (cycle >= maxCycles) {
      return diverge(`the CPU did not stop within ${maxCycles} cycles`, last?.nextPc ?? program.entry, 'stopped or still running', 'running', peekOutcome(steps));
    }
  }

  // Both must have stopped the same way.
  const end = steps.next();
  const outcome: RunResult = end.done ? end.value : peekOutcome(steps);
  const hw = cpu.result();
  if (!end.done) {
    return diverge('the CPU stopped but the interpreter goes on', end.value.pc, `next pc ${end.value.pc}`, describeHw(hw), outcome);
  }
  const at = firstDifference(expected, ram, [[0, ram.length]]);
  if (at >= 0) {
    return diverge(`memory differs at the end, physical byte ${at} (${describePhysical(cpu, at)})`, last?.pc ?? program.entry,
      `byte = 0x${expected[at]!.toString(16)}`, `byte = 0x${ram[at]!.toString(16)}`, outcome);
  }
  const pc = outcome.kind === 'fault' ? outcome.pc : last?.pc ?? program.entry;
  if (outcome.kind !== hw.kind) return diverge('the runs end differently', pc, describeResult(outcome), describeHw(hw), outcome);
  if (outcome.kind === 'exit' && outcome.r0 !== hw.r0) return diverge('r0 differs at exit', pc, hex(outcome.r0), hex(hw.r0), outcome);
  if (outcome.kind === 'fault' && (outcome.code !== hw.faultCode || outcome.pc !== hw.faultPc)) {
    return diverge('the faults differ', pc, describeResult(outcome), describeHw(hw), outcome);
  }
  if (outcome.insns !== hw.insns) return diverge('instruction counts differ', pc, String(outcome.insns), String(hw.insns), outcome);
  return { ok: true, outcome, insns: retired, cycles: hw.cycles };
}

function peekOutcome(steps: Generator<TraceStep, RunResult, void>): RunResult {
  for (;;) {
    const n = steps.next();
    if (n.done) return n.value;
  }
}

function describeResult(r: RunResult): string {
  return r.kind === 'exit' ? `exit r0=${hex(r.r0)} after ${r.insns}` : `fault ${r.code} at pc ${r.pc} after ${r.insns}: ${r.message}`;
}

function describeHw(r: ReturnType<CpuSim['result']>): string {
  return r.kind === 'exit' ? `exit r0=${hex(r.r0)} after ${r.insns}` : r.kind === 'fault' ? `fault ${r.faultCode} at pc ${r.faultPc} after ${r.insns}` : 'still running';
}

/** The CPU's data RAM as the interpreter says it should be at the start. */
function expectedRam(cpu: CpuSim, image: RunImage): Uint8Array {
  const bytes = new Uint8Array(cpu.dataWords.byteLength);
  bytes.set(image.data, 0);
  return bytes;
}

/** Byte ranges compared after every instruction: the accessible data and the stack. */
function memoryRanges(cpu: CpuSim, image: RunImage): [number, number][] {
  const ds = cpu.cfg.memoryMap.dataSize;
  return [[0, image.dataLimit], [ds, ds + stackBytes(cpu.cfg)]];
}

function applyWrite(cpu: CpuSim, image: RunImage, mem: Uint8Array, addr: number, bytes: number, value: bigint): void {
  const p = physicalOffset(cpu.cfg, image.dataLimit, BigInt(addr), bytes);
  if (p < 0) throw new Error(`lockstep: the interpreter wrote outside memory at 0x${addr.toString(16)}`);
  for (let i = 0; i < bytes; i++) mem[p + i] = Number((value >> BigInt(8 * i)) & 0xffn);
}

function firstDifference(a: Uint8Array, b: Uint8Array, ranges: [number, number][]): number {
  for (const [lo, hi] of ranges) for (let i = lo; i < hi; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function describePhysical(cpu: CpuSim, p: number): string {
  const mm = cpu.cfg.memoryMap;
  return p >= mm.dataSize ? `stack address 0x${(mm.stackBase + p - mm.dataSize).toString(16)}` : `data address 0x${(mm.dataBase + p).toString(16)}`;
}
