// The CPU system running in the TS simulator: elaborate and compile once,
// then load and run any number of programs. Memories are loaded directly
// into the simulator (fast); registers and control values go through the
// system's host port, as a board's host would write them.

import { Simulator } from '../../sim/simulator.ts';
import type { VcdTrace } from '../../sim/vcd-writer.ts';
import { makeConfig, type CpuConfig } from '../../hdl/cpu/config.ts';
import { regRowIndex } from '../../hdl/cpu/regfile.ts';
import { decodeCpuStatus, HOST_REG, HOST_REGION, RUN_STATE } from '../abi/cpu-port.ts';
import { hostAddress, makeSystem, SYSTEM_MEMORIES } from '../../hdl/cpu/system.ts';
import type { FaultCode, HelperTable } from '../interp/types.ts';
import type { RunImage } from './image.ts';
import { SimProbe } from './sim-probe.ts';
import { HELPER_STATUS } from '../abi/helper-port.ts';
import { releaseHelper, serviceHelper } from './helper-port.ts';
import { PROBES } from '../abi/probes.ts';

export interface CpuRunResult {
  readonly kind: 'exit' | 'fault' | 'timeout';
  readonly r0: bigint;
  readonly faultCode?: FaultCode;
  /** The faulting slot; for a timeout, the last slot retired (where a runaway loop is). */
  readonly faultPc?: number;
  /** Cycles from start to halt (the hardware's counter). */
  readonly cycles: number;
  /** Instructions retired (the hardware's counter). */
  readonly insns: number;
}

export interface RunLimits {
  /** Stop (result 'timeout') after this many cycles. */
  maxCycles: number;
  /** Hardware instruction budget (0 = none): a 'budget' fault like the interpreter's maxInsns. */
  maxInsns?: number;
  /** Helpers served on the extension port (ids the core does not have built in). */
  helpers?: HelperTable;
  /** Called every `progressCycles` cycles of a long run (e.g. to show it is alive). */
  onProgress?: (cycles: number, insns: number) => void;
  /** Default 4,194,304 (a few seconds of the TS simulator). */
  progressCycles?: number;
}

const CHUNK = 32;

/** The hardware budget register has counterBits bits (0 = no budget). */
export function checkBudget(cfg: CpuConfig, maxInsns: number): void {
  if (!Number.isInteger(maxInsns) || maxInsns < 0 || maxInsns >= 2 ** cfg.counterBits) {
    throw new RangeError(`instruction budget ${maxInsns} does not fit the CPU's ${cfg.counterBits}-bit budget register (config counterBits)`);
  }
}

export class CpuSim {
  readonly sim: Simulator;
  readonly probe: SimProbe;
  private readonly state: () => number;
  private readonly cyclesReg: () => bigint;
  private readonly retiredReg: () => bigint;
  private readonly lastPc: () => number;
  private readonly prog: { words: Int32Array; perEntry: number; depth: number };
  private readonly data: { words: Int32Array; perEntry: number; depth: number };
  private image: RunImage | undefined;

  /** `simulate` compiles the CPU system for cfg (the Node engines pass the disk-cached sim/sim-cache.ts). */
  constructor(
    readonly cfg: CpuConfig = makeConfig(),
    simulate: (cfg: CpuConfig) => Simulator = (c) => Simulator.createSync(makeSystem(c)),
  ) {
    this.sim = simulate(cfg);
    this.probe = new SimProbe(this.sim);
    this.state = this.probe.reader32(PROBES.runState);
    this.cyclesReg = this.probe.readerBig(PROBES.cycleCount);
    this.retiredReg = this.probe.readerBig(PROBES.retireCount);
    this.lastPc = this.probe.reader32(PROBES.lastRetiredPc);
    this.prog = this.probe.memory(SYSTEM_MEMORIES.prog);
    this.data = this.probe.memory(SYSTEM_MEMORIES.data);
    this.sim.poke('host_be', 0xff);
    this.tieOffHelpers();
    this.sim.reset();
  }

  /** Without a helper table the extension port answers every request at once: unknown id (a bad-helper fault). */
  tieOffHelpers(): void {
    this.sim.poke('h_ready', 1);
    this.sim.poke('h_status', HELPER_STATUS.UNKNOWN);
    this.sim.poke('h_r0', 0);
  }

  // ---- host port -------------------------------------------------------------
  hostWrite(region: number, index: number, value: bigint | number): void {
    const s = this.sim;
    s.poke('host_addr', hostAddress(this.cfg, region, index));
    s.poke('host_wdata', BigInt.asUintN(64, BigInt(value)));
    s.poke('host_we', 1);
    s.step();
    s.poke('host_we', 0);
  }

  hostRead(region: number, index: number): bigint {
    const s = this.sim;
    s.poke('host_addr', hostAddress(this.cfg, region, index));
    s.step();
    return s.peek('host_rdata');
  }

  // ---- loading ---------------------------------------------------------------
  /** Load a run: memories directly, registers and limits through the host port. */
  load(image: RunImage): void {
    if (this.state() === RUN_STATE.RUNNING) throw new Error('cpu sim: cannot load while the core runs');
    const p = this.prog.words;
    p.fill(0);
    image.prog.forEach((w, i) => {
      p[2 * i] = Number(w & 0xffffffffn) | 0;
      p[2 * i + 1] = Number(w >> 32n) | 0;
    });
    const d = this.data.words;
    d.fill(0);
    const bytes = new Uint8Array(d.buffer, d.byteOffset, image.data.length);
    bytes.set(image.data);
    const { REGS, CONTROL } = HOST_REGION;
    image.regs.forEach((v, i) => this.hostWrite(REGS, i, v));
    this.hostWrite(CONTROL, HOST_REG.PROG_LEN, image.prog.length);
    this.hostWrite(CONTROL, HOST_REG.DATA_LIMIT, image.dataLimit);
    this.hostWrite(CONTROL, HOST_REG.PKT_OFF, image.packetOffset);
    this.hostWrite(CONTROL, HOST_REG.PKT_LEN, image.packetLength);
    this.image = image;
  }

  /** Start the loaded program (one host write); the core runs from the next cycle. */
  start(maxInsns = 0): void {
    if (!this.image) throw new Error('cpu sim: nothing loaded');
    checkBudget(this.cfg, maxInsns);
    this.hostWrite(HOST_REGION.CONTROL, HOST_REG.INSN_LIMIT, maxInsns);
    this.hostWrite(HOST_REGION.CONTROL, HOST_REG.START, this.image.entry);
  }

  get running(): boolean {
    return this.state() === RUN_STATE.RUNNING;
  }

  /**
   * Load, start and run to halt, fault or the cycle limit. `trace` starts a
   * waveform of the run (e.g. sim/vcd.ts traceVcd to a file in Node); it is
   * a callback so this module stays free of I/O and runs in a browser too.
   */
  run(image: RunImage, limits: RunLimits, trace?: (sim: Simulator) => VcdTrace): CpuRunResult {
    this.load(image);
    const vcd = trace?.(this.sim);
    this.start(limits.maxInsns ?? 0);
    const external = limits.helpers !== undefined && limits.helpers.size > 0;
    const hValid = this.sim.fast('h_valid');
    if (external) releaseHelper(this);
    let spent = 0;
    const every = limits.progressCycles ?? 1 << 22;
    let nextProgress = limits.onProgress ? every : Infinity;
    while (this.running && spent < limits.maxCycles) {
      if (spent >= nextProgress) {
        nextProgress += every;
        limits.onProgress!(Number(this.cyclesReg()), Number(this.retiredReg()));
      }
      if (external) {
        // One cycle at a time, answering helper requests in the cycle they appear.
        const answering = hValid.get() !== 0;
        if (answering) serviceHelper(this, limits.helpers!);
        this.sim.step();
        if (answering) releaseHelper(this);
        spent++;
      } else {
        this.sim.step(CHUNK);
        spent += CHUNK;
      }
    }
    void vcd?.close();
    if (external) this.tieOffHelpers();
    return this.result();
  }

  /** The outcome after the core stopped (or 'timeout' while it still runs). */
  result(): CpuRunResult {
    const st = this.state();
    const cycles = Number(this.cyclesReg());
    const insns = Number(this.retiredReg());
    if (st === RUN_STATE.RUNNING) return { kind: 'timeout', r0: 0n, faultPc: this.lastPc(), cycles, insns };
    const status = decodeCpuStatus(this.hostRead(HOST_REGION.CONTROL, HOST_REG.STATUS));
    const r0 = this.hostRead(HOST_REGION.REGS, 0);
    if (status.state === RUN_STATE.HALTED) return { kind: 'exit', r0, cycles, insns };
    if (!status.fault) throw new Error(`the CPU stopped in run state ${status.state}, neither halted nor faulted`);
    return { kind: 'fault', r0, faultCode: status.fault.code, faultPc: status.fault.pc, cycles, insns };
  }

  // ---- architectural state (for the lockstep checker) --------------------------
  /** r0..r10 read straight from the register file RAM (valid right after a clock edge). */
  regsReader(): () => bigint[] {
    const rf = this.probe.memory(PROBES.registers);
    const depth = this.probe.reader32(PROBES.callDepth);
    const W = rf.words;
    const word = (row: number): bigint => (BigInt(W[2 * row + 1]! >>> 0) << 32n) | BigInt(W[2 * row]! >>> 0);
    return () => {
      const d = depth();
      const out: bigint[] = [];
      for (let r = 0; r <= 10; r++) out.push(word(regRowIndex(this.cfg, r, d)));
      return out;
    };
  }

  /** The data RAM's backing words (data region at 0, stack after it). */
  get dataWords(): Int32Array {
    return this.data.words;
  }
}
