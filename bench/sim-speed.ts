// Simulator speed on the CPU system and on the full SoC (CPU + UART + host
// link), TS against a tuned Verilator (bench/replay.ts). The stimulus of each
// comes from a real run on the TS simulator: for the CPU, host-port writes of
// the program, registers and limits, the start, the run and a read of r0;
// for the SoC, the soc-sim engine's host client talking over the UART pins.
// r0 is checked against the reference interpreter on both.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeConfig, type CpuConfig } from '../hdl/cpu/config.ts';
import { HOST_REG, HOST_REGION } from '../src/abi/cpu-port.ts';
import { hostAddress, makeSystem } from '../hdl/cpu/system.ts';
import { cpuSystem, socCpuConfig } from '../hdl/soc/cpu-system.ts';
import { socCore } from '../hdl/soc/soc-core.ts';
import { MIN_DIVISOR } from '../hdl/soc/uart.ts';
import { buildImage } from '../src/engines/image.ts';
import { HELPER_STATUS } from '../src/abi/helper-port.ts';
import { createHostEngine } from '../src/host/engine.ts';
import { SimUartTransport } from '../src/host/sim-transport.ts';
import { runProgram } from '../src/interp/index.ts';
import type { Module } from '../src/dsl/module.ts';
import type { Program } from '../src/program.ts';
import { Simulator, type SimOptions } from '../sim/simulator.ts';
import { checkSame, recordStimulus, tsReplay, verilatorReplay, type ReplayResult, type Stimulus } from './replay.ts';

export interface SpeedFigures {
  cycles: number;
  ts: ReplayResult;
  verilator: ReplayResult & { buildMs: number };
}

/** The CPU system driven through its host port, as a board's host would. */
export function cpuStimulus(cfg: CpuConfig, program: Program, opts: SimOptions = {}): { sim: Simulator; stimulus: Stimulus; r0: bigint } {
  const sim = Simulator.createSync(makeSystem(cfg), opts);
  const rec = recordStimulus(sim);
  sim.poke('host_be', 0xff);
  sim.poke('h_ready', 1);
  sim.poke('h_status', HELPER_STATUS.UNKNOWN);
  sim.poke('h_r0', 0);
  sim.reset();
  const write = (region: number, index: number, v: bigint | number): void => {
    sim.poke('host_addr', hostAddress(cfg, region, index));
    sim.poke('host_wdata', BigInt.asUintN(64, BigInt(v)));
    sim.poke('host_we', 1);
    sim.step();
    sim.poke('host_we', 0);
  };
  const img = buildImage(cfg, program, new Uint8Array(0));
  img.prog.forEach((w, i) => write(HOST_REGION.PROG, i, w));
  img.regs.forEach((v, i) => write(HOST_REGION.REGS, i, v));
  write(HOST_REGION.CONTROL, HOST_REG.PROG_LEN, img.prog.length);
  write(HOST_REGION.CONTROL, HOST_REG.DATA_LIMIT, img.dataLimit);
  write(HOST_REGION.CONTROL, HOST_REG.PKT_OFF, img.packetOffset);
  write(HOST_REGION.CONTROL, HOST_REG.PKT_LEN, img.packetLength);
  write(HOST_REGION.CONTROL, HOST_REG.INSN_LIMIT, 0);
  write(HOST_REGION.CONTROL, HOST_REG.START, img.entry);
  const running = sim.fast('running');
  while (running.get()) sim.step();
  sim.poke('host_addr', hostAddress(cfg, HOST_REGION.REGS, 0));
  sim.step();
  rec.stop();
  return { sim, stimulus: rec.stimulus, r0: sim.peekBits('host_rdata') };
}

/** The SoC driven over its UART pins by the soc-sim engine's host client. */
async function socStimulus(program: Program): Promise<{ sim: Simulator; top: Module; stimulus: Stimulus; r0: bigint }> {
  const clockHz = 12_000_000;
  const baud = clockHz / MIN_DIVISOR;
  const core = socCore({ clockHz, baud, system: cpuSystem(socCpuConfig()) });
  const sim = Simulator.createSync(core.module);
  const rec = recordStimulus(sim);
  sim.poke('uart_rx', 1);
  sim.reset(2);
  const engine = createHostEngine('soc-sim', new SimUartTransport(sim, { clockHz, baud }), { timeoutMs: 20, runTimeoutMs: 1000, pollMs: 0.05 });
  const r = await engine.runDetailed(program, new Uint8Array(0));
  rec.stop();
  if (r.kind !== 'exit') throw new Error(`soc speed program did not exit: ${r.kind}`);
  // Verilator gets its own elaboration of the same SoC.
  const top = socCore({ clockHz, baud, system: cpuSystem(socCpuConfig()) }).module;
  return { sim, top, stimulus: rec.stimulus, r0: r.r0 };
}

async function compare(what: string, top: Module, rec: { sim: Simulator; stimulus: Stimulus }, watch: string): Promise<SpeedFigures> {
  const dir = mkdtempSync(join(tmpdir(), `bpfgate-speed-${what}-`));
  try {
    const ts = tsReplay(rec.sim, rec.stimulus, watch);
    const verilator = await verilatorReplay(dir, top, rec.stimulus, watch);
    checkSame(what, ts, verilator);
    return { cycles: rec.stimulus.cycles, ts, verilator };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function cpuSpeed(program: Program): Promise<SpeedFigures & { r0: bigint }> {
  const cfg = makeConfig();
  const want = runProgram(program, { input: new Uint8Array(0) });
  const rec = cpuStimulus(cfg, program);
  if (want.kind !== 'exit' || rec.r0 !== BigInt.asUintN(64, want.r0)) throw new Error(`cpu speed program: r0 ${rec.r0} but the interpreter says ${JSON.stringify(want.kind === 'exit' ? String(want.r0) : want.kind)}`);
  const f = await compare('cpu', makeSystem(cfg), rec, 'retire');
  if (f.verilator.outputs['host_rdata'] !== rec.r0) throw new Error(`cpu speed program: Verilator's r0 is ${f.verilator.outputs['host_rdata']}, expected ${rec.r0}`);
  return { ...f, r0: rec.r0 };
}

export async function socSpeed(program: Program): Promise<SpeedFigures & { r0: bigint }> {
  const want = runProgram(program, { input: new Uint8Array(0) });
  const rec = await socStimulus(program);
  if (want.kind !== 'exit' || rec.r0 !== BigInt.asUintN(64, want.r0)) throw new Error(`soc speed program: r0 ${rec.r0} but the interpreter disagrees`);
  // The UART tx pin is hashed every cycle: the same hash means Verilator sent the same reply bytes (r0 included).
  return { ...(await compare('soc', rec.top, rec, 'uart_tx')), r0: rec.r0 };
}
