// The bpfgate CPU system (hdl/cpu/system.ts) behind the host link's bus
// (hdl/soc/host-bus.ts). The CPU's host port is a word bus over four regions
// (control registers, r0..r10, program RAM, data RAM) with read data one
// cycle after the address; this adapter maps the link's spaces onto it:
//
//   link space / command           CPU host port
//   prog[addr]                     PROG[addr]
//   data[byte addr], be            DATA[addr >> 3], be
//   regs[addr]                     REGS[addr]
//   status word 0                  CONTROL STATUS, re-packed (below)
//   status words 1, 2, 3           REGS[0], CONTROL CYCLES, CONTROL RETIRED
//   start (entry in wdata)         write CONTROL START
//   set_param id (value in wdata)  write the CONTROL register of that parameter
//   stop                           reset the CPU system for one cycle (see below)
//
// The CPU's STATUS word (src/abi/cpu-port.ts STATUS_WORD) holds state, fault
// code and pc; the link wants state in byte 0, fault in byte 1, pc in bytes
// 2..5. Run states 0..3 (idle, running, halted, faulted) already match the
// protocol's (test/abi/contract.test.ts checks it).
//
// The run state for the LEDs and the busy check: while the link is not
// using the port, the adapter keeps reading STATUS and latches its state.
//
// Stop: the CPU has no stop input, so stop resets the CPU system (its
// memories keep their contents); the adapter then reports `stopped` until the
// next start. Counters read 0 after a stop.

import { C, cat, Module, mux, type Expr } from '../../src/dsl/index.ts';
import { makeConfig, type CpuConfig } from '../cpu/config.ts';
import { HELPER_STATUS, HELPER_STATUS_BITS } from '../../src/abi/helper-port.ts';
import { HOST_REG, HOST_REGION, STATUS_WORD } from '../../src/abi/cpu-port.ts';
import { hostAddrBits, makeSystem } from '../cpu/system.ts';
import { CPU_FAULT_SET } from '../../src/abi/fault-sets.ts';
import { PARAMS, RUN_STATES, type ParamKey } from '../../src/abi/protocol.ts';
import { HostReq, HostResp, SPACE_CODES, type HostSystem, type SystemInfo } from './host-bus.ts';

/** CONTROL register of each run parameter. */
const PARAM_REGS: Record<ParamKey, number> = {
  dataLimit: HOST_REG.DATA_LIMIT,
  progLength: HOST_REG.PROG_LEN,
  insnBudget: HOST_REG.INSN_LIMIT,
  packetOffset: HOST_REG.PKT_OFF,
  packetLength: HOST_REG.PKT_LEN,
};


/** Identify feature bits of a CPU build (docs/host-protocol.md). */
export function cpuFeatures(cfg: CpuConfig): number {
  const bits = [
    cfg.multiplier !== 'none',
    cfg.multiplier === 'dsp',
    cfg.divider !== 'none',
    cfg.atomics,
    cfg.packet,
    cfg.v4,
    cfg.callx,
    cfg.helperPort,
  ];
  return bits.reduce((acc, on, i) => acc | (on ? 1 << i : 0), 0);
}

/**
 * The SoC's default CPU build: the CPU's defaults without the helper
 * extension port (nothing outside the core answers it on a board, and its
 * argument registers cost area).
 */
export function socCpuConfig(overrides: Partial<CpuConfig> = {}): CpuConfig {
  return makeConfig({ helperPort: false, ...overrides });
}

export function cpuSystem(cfg: CpuConfig = socCpuConfig()): HostSystem {
  const info: SystemInfo = {
    progWords: cfg.progWords,
    dataBytes: cfg.memoryMap.dataSize,
    memoryMap: cfg.memoryMap,
    features: cpuFeatures(cfg),
    faultSet: CPU_FAULT_SET,
  };
  const AW = hostAddrBits(cfg);
  const OW = AW - 2;
  const m = new Module('cpu_system');
  const req = m.input('host_req', HostReq);
  const resp = m.output('host_resp', HostResp);

  const isSpace = (s: keyof typeof SPACE_CODES): Expr => req.space.eq(SPACE_CODES[s]);
  const region = m.wire('region', 2);
  const index = m.wire('index', OW);
  const we = m.wire('we', 1, { default: 0 });
  const word = req.addr.slice(OW - 1, 0);

  // Address: the link's access, a control write, or (when idle) STATUS.
  m.comb(region, HOST_REGION.CONTROL);
  m.comb(index, HOST_REG.STATUS);
  m.If(req.req, () => {
    m.comb(we, req.we);
    m.If(isSpace('prog'), () => {
      m.comb(region, HOST_REGION.PROG);
      m.comb(index, word);
    }).Elif(isSpace('data'), () => {
      m.comb(region, HOST_REGION.DATA);
      m.comb(index, req.addr.slice(OW + 2, 3));
    }).Elif(isSpace('regs'), () => {
      m.comb(region, HOST_REGION.REGS);
      m.comb(index, word);
    }).Else(() => {
      const statusWord = req.addr.slice(1, 0);
      m.Switch(statusWord)
        .Case(1, () => {
          m.comb(region, HOST_REGION.REGS);
          m.comb(index, 0);
        })
        .Case(2, () => m.comb(index, HOST_REG.CYCLES))
        .Case(3, () => m.comb(index, HOST_REG.RETIRED));
    });
  });
  m.If(req.start, () => {
    m.comb(we, 1);
    m.comb(index, HOST_REG.START);
  });
  m.If(req.set_param, () => {
    m.comb(we, 1);
    const ids = m.Switch(req.param);
    for (const [key, p] of Object.entries(PARAMS)) ids.Case(p.id, () => m.comb(index, PARAM_REGS[key as ParamKey]));
  });

  // Stop = reset the CPU system for a cycle.
  const stopped = m.reg('stopped', 1, { reset: 0 });
  m.If(req.stop, () => m.sync(stopped, 1)).Elif(req.start, () => m.sync(stopped, 0));
  const cpu = m.instance('u_cpu', makeSystem(cfg), {
    host_addr: cat(region, index),
    host_wdata: req.wdata,
    host_we: we,
    host_be: req.be,
    h_ready: 1,
    // No helpers outside the core on a board: every external id faults as unknown.
    h_status: C(HELPER_STATUS_BITS, HELPER_STATUS.UNKNOWN),
    h_r0: C(64, 0),
  }, { rst: m.rst.or(req.stop) });
  const rdata = cpu.o.host_rdata as Expr;

  // Accesses complete the cycle after their address, like the CPU's reads.
  const done = m.reg('done', 1, { reset: 0 });
  m.sync(done, req.req.and(done.not()));
  // Re-pack STATUS for the link (and latch the run state while idle).
  const wasStatus0 = m.reg('was_status0', 1, { reset: 0 });
  const wasIdle = m.reg('was_idle', 1, { reset: 0 });
  m.sync(wasStatus0, req.req.and(isSpace('status')).and(req.addr.slice(1, 0).eq(0)));
  m.sync(wasIdle, req.req.not().and(req.start.not()).and(req.set_param.not()));
  // A field of the CPU's status word as read back.
  const field = ([lsb, width]: readonly [number, number]): Expr => rdata.slice(lsb + width - 1, lsb);
  const cpuState = m.reg('cpu_state', 2, { reset: RUN_STATES.idle });
  m.If(wasIdle, () => m.sync(cpuState, field(STATUS_WORD.state)));
  m.If(req.start, () => m.sync(cpuState, RUN_STATES.running));
  const withStop = (s: Expr): Expr => mux(stopped.and(s.eq(RUN_STATES.idle)), C(3, RUN_STATES.stopped), s.zext(3));
  const state = withStop(cpuState);
  // The pc field runs to bit 63: the CPU's status word is zero above it.
  const status0 = cat(rdata.slice(63, STATUS_WORD.faultPc[0]), field(STATUS_WORD.faultCode).zext(8), withStop(field(STATUS_WORD.state)).zext(8));

  m.comb(resp.done, done);
  m.comb(resp.rdata, mux(wasStatus0, status0, rdata));
  m.comb(resp.state, state);
  return { module: m, info };
}
