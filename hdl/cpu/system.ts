// The CPU system: core + program RAM + data RAM + a host access port.
//
// The host port is a simple synchronous bus of 64-bit words: address,
// write data, write strobe; read data appears the cycle after the address.
// While the core is not running the host owns both RAMs and the register
// file; while it runs, host accesses to them are ignored (the control
// registers stay readable).
//
//   region 0  control registers (HOST_REG)        region 1  r0..r10 (r10 read-only)
//   region 2  program RAM, one slot per word      region 3  data RAM (data region
//                                                            at word 0, stack after it)

import { C, cat, Module, mux, type Expr } from '../../src/dsl/index.ts';
import { dataLimitBits, dataRamWords, log2ceil, pcBits, physAddrBits, type CpuConfig } from './config.ts';
import { makeCore } from './core.ts';
import { HOST_REG, HOST_REGION, RUN_STATE, STATUS_WORD } from '../../src/abi/cpu-port.ts';

/** Word-address bits of the host port: 2 region bits + the largest region. */
export function hostAddrBits(cfg: CpuConfig): number {
  return 2 + Math.max(log2ceil(cfg.progWords), physAddrBits(cfg) - 3, 4);
}

/** Host word address of `index` in `region`. */
export function hostAddress(cfg: CpuConfig, region: number, index: number): number {
  return region * 2 ** (hostAddrBits(cfg) - 2) + index;
}

/** Names of the system's memories (for simulators that load them directly). */
export const SYSTEM_MEMORIES = { prog: 'prog', data: 'data' } as const;

export function makeSystem(cfg: CpuConfig): Module {
  const m = new Module('bpfgate_cpu');
  const AW = hostAddrBits(cfg);
  const OW = AW - 2;
  const PW = pcBits(cfg);
  const PA = log2ceil(cfg.progWords);
  const WA = physAddrBits(cfg) - 3;
  const LB = dataLimitBits(cfg);
  const CB = cfg.counterBits;

  const hostAddr = m.input('host_addr', AW);
  const hostWdata = m.input('host_wdata', 64);
  const hostWe = m.input('host_we', 1);
  const hostBe = m.input('host_be', 8);
  const hostRdata = m.output('host_rdata', 64);
  const hReady = m.input('h_ready', 1);
  const hStatus = m.input('h_status', 2);
  const hR0 = m.input('h_r0', 64);
  const runningOut = m.output('running', 1);
  const retireOut = m.output('retire', 1);
  const retirePcOut = m.output('retire_pc', PW);

  const region = hostAddr.slice(AW - 1, OW);
  const index = hostAddr.slice(OW - 1, 0);
  const inRegion = (r: number): Expr => region.eq(r);
  const ctlWrite = (reg: number): Expr => hostWe.and(inRegion(HOST_REGION.CONTROL)).and(index.eq(reg));

  const progLen = m.reg('prog_len', PW);
  const dataLimit = m.reg('data_limit', LB);
  const pktOff = m.reg('pkt_off', LB);
  const pktLen = m.reg('pkt_len', LB);
  const insnLimit = m.reg('insn_limit', CB);

  // Read-during-write is never used: the host writes the program only while
  // the core is idle and ignores the read data of a write; the LSU never
  // reads and writes the data RAM in one cycle (see lsu.ts).
  const prog = m.memory(SYSTEM_MEMORIES.prog, { width: 64, depth: cfg.progWords, readDuringWrite: 'undefined' });
  const data = m.memory(SYSTEM_MEMORIES.data, { width: 64, depth: dataRamWords(cfg), spram: cfg.dataRam === 'spram', readDuringWrite: 'undefined' });
  const progRead = prog.reader();
  const dataRead = data.reader();
  const dataWrite = data.writer();

  const startNow = ctlWrite(HOST_REG.START);
  const core = m.instance('u_core', makeCore(cfg), {
    start: startNow,
    entry: hostWdata.slice(PW - 1, 0),
    prog_len: progLen, data_limit: dataLimit, pkt_off: pktOff, pkt_len: pktLen, insn_limit: insnLimit,
    prog_data: progRead.data, dmem_rdata: dataRead.data,
    host_reg: index.slice(3, 0),
    host_reg_we: hostWe.and(inRegion(HOST_REGION.REGS)).and(index.ltU(10)),
    host_reg_wdata: hostWdata,
    h_ready: hReady, h_status: hStatus, h_r0: hR0,
  });
  const o = core.o;
  const running = (o.state as Expr).eq(RUN_STATE.RUNNING);

  // Program RAM: the core fetches (from the start cycle on, when it
  // addresses the entry slot); the host reads and writes while idle.
  m.comb(progRead.addr, mux(running.or(startNow), o.prog_addr, index.slice(PA - 1, 0)));
  m.comb(progRead.en, 1);
  prog.writePort(index.slice(PA - 1, 0), hostWdata, running.not().and(hostWe).and(inRegion(HOST_REGION.PROG)));

  // Data RAM: the LSU's ports while running, the host's otherwise.
  m.comb(dataRead.addr, mux(running, o.dmem_raddr, index.slice(WA - 1, 0)));
  m.comb(dataRead.en, 1);
  m.comb(dataWrite.addr, mux(running, o.dmem_waddr, index.slice(WA - 1, 0)));
  m.comb(dataWrite.data, mux(running, o.dmem_wdata, hostWdata));
  m.comb(dataWrite.en, mux(running, o.dmem_we, hostWe.and(inRegion(HOST_REGION.DATA))));
  m.comb(dataWrite.be, mux(running, o.dmem_be, hostBe));

  m.If(running.not(), () => {
    m.If(ctlWrite(HOST_REG.PROG_LEN), () => m.sync(progLen, hostWdata.slice(PW - 1, 0)));
    m.If(ctlWrite(HOST_REG.DATA_LIMIT), () => m.sync(dataLimit, hostWdata.slice(LB - 1, 0)));
    m.If(ctlWrite(HOST_REG.PKT_OFF), () => m.sync(pktOff, hostWdata.slice(LB - 1, 0)));
    m.If(ctlWrite(HOST_REG.PKT_LEN), () => m.sync(pktLen, hostWdata.slice(LB - 1, 0)));
    m.If(ctlWrite(HOST_REG.INSN_LIMIT), () => m.sync(insnLimit, hostWdata.slice(CB - 1, 0)));
  });

  // Reads: control registers are sampled with the address; the RAMs and the
  // register file answer one cycle later, like them. The run parameters are
  // write-only (the host knows what it wrote; their read mux cost ~60 LUTs).
  const status = statusWord({ state: o.state as Expr, faultCode: o.fault_code as Expr, faultPc: o.fault_pc as Expr });
  const ctlValue = m.wire('ctl_value', 64);
  m.Switch(index.slice(3, 0))
    .Case(HOST_REG.STATUS, () => m.comb(ctlValue, status.zext(64)))
    .Case(HOST_REG.CYCLES, () => m.comb(ctlValue, (o.cycles as Expr).zext(64)))
    .Case(HOST_REG.RETIRED, () => m.comb(ctlValue, (o.retired as Expr).zext(64)))
    .Case(HOST_REG.DEPTH, () => m.comb(ctlValue, (o.depth as Expr).zext(64)));
  const ctlQ = m.reg('ctl_q', 64);
  const regionQ = m.reg('region_q', 2);
  m.sync(ctlQ, ctlValue);
  m.sync(regionQ, region);
  m.Switch(regionQ)
    .Case(HOST_REGION.CONTROL, () => m.comb(hostRdata, ctlQ))
    .Case(HOST_REGION.REGS, () => m.comb(hostRdata, o.host_reg_rdata))
    .Case(HOST_REGION.PROG, () => m.comb(hostRdata, progRead.data))
    .Default(() => m.comb(hostRdata, dataRead.data));

  m.comb(runningOut, running);
  m.comb(retireOut, o.retire);
  m.comb(retirePcOut, o.retire_pc);
  m.comb(m.output('h_valid', 1), o.h_valid);
  m.comb(m.output('h_id', 32), o.h_id);
  for (const i of [1, 2, 3, 4, 5]) m.comb(m.output(`h_a${i}`, 64), o[`h_a${i}`]);
  return m;
}

/** The status word (src/abi/cpu-port.ts STATUS_WORD): each field at its bit, zeros between. */
function statusWord(fields: Record<keyof typeof STATUS_WORD, Expr>): Expr {
  const parts: Expr[] = [];
  let at = 0;
  const placed = (Object.keys(STATUS_WORD) as (keyof typeof STATUS_WORD)[]).sort((a, b) => STATUS_WORD[a][0] - STATUS_WORD[b][0]);
  for (const key of placed) {
    const [lsb, width] = STATUS_WORD[key];
    if (lsb > at) parts.push(C(lsb - at, 0));
    parts.push(fields[key].zext(width));
    at = lsb + width;
  }
  return cat(...parts.reverse());
}
