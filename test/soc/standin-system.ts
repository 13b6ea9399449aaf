// A stand-in for the CPU system with the same host bus (hdl/soc/host-bus.ts):
// real program, data and register memories, and a fake "core" simple enough
// to predict exactly in a test, so the host link and the whole host path can
// be tested without the real CPU.
//
// The fake run, from entry pc:
//   acc = r1
//   for each program word w from pc on (one "instruction" each):
//     w == EXIT  (0)       -> stop fetching
//     w == FAULT (all 1s)  -> fault code STANDIN_FAULT at this pc
//     w == SPIN  (~1)      -> execute it again, forever (until the host stops us)
//     otherwise            -> acc += w
//   then acc += every data byte below the data limit; r0 = acc; exited.
// The cycle counter counts every cycle spent running; insns counts words
// executed, EXIT included.

import { C, cat, Module, mux, type Expr } from '../../src/dsl/index.ts';
import { DEFAULT_MEMORY_MAP, type MemoryMap } from '../../src/isa/memory-map.ts';
import { PARAMS, RUN_STATES } from '../../src/abi/protocol.ts';
import { HostReq, HostResp, SPACE_CODES, type HostSystem, type SystemInfo } from '../../hdl/soc/host-bus.ts';

/** The stand-in's fault numbering in the identify reply (not the CPU's: a host names its faults by number). */
export const STANDIN_FAULT_SET = 0xff;

export const STANDIN_WORDS = { exit: 0n, fault: (1n << 64n) - 1n, spin: (1n << 64n) - 2n } as const;
export const STANDIN_FAULT = 1;

export interface StandinConfig {
  readonly progWords: number;
  readonly dataBytes: number;
  /** Leave out the fake core (memories and host access only; the state stays idle). Default false. */
  readonly memoriesOnly?: boolean;
  readonly memoryMap?: MemoryMap;
}

export function standinSystem(cfg: StandinConfig): HostSystem {
  if (cfg.dataBytes % 8 !== 0) throw new RangeError(`stand-in system: data size ${cfg.dataBytes} is not a multiple of 8`);
  const info: SystemInfo = {
    progWords: cfg.progWords,
    dataBytes: cfg.dataBytes,
    memoryMap: cfg.memoryMap ?? { ...DEFAULT_MEMORY_MAP, dataSize: cfg.dataBytes },
    features: 0,
    faultSet: STANDIN_FAULT_SET,
  };
  const m = new Module('standin_system');
  const req = m.input('host_req', HostReq);
  const resp = m.output('host_resp', HostResp);

  const prog = m.memory('prog', { width: 64, depth: cfg.progWords });
  const data = m.memory('data', { width: 64, depth: cfg.dataBytes / 8 });
  const regs = m.memory('regs', { width: 64, depth: 16 });
  const PW = prog.addrWidth;
  const DW = data.addrWidth;
  const LW = Math.ceil(Math.log2(cfg.dataBytes + 1));

  const runState = m.reg('run_state', 3, { reset: RUN_STATES.idle });
  const running = runState.eq(RUN_STATES.running);
  const PH = { init: 0, init2: 1, fetch: 2, exec: 3, sum: 4, sum2: 5, done: 6 } as const;
  const phase = m.reg('phase', 3, { reset: PH.init });
  const pc = m.reg('pc', PW, { reset: 0 });
  const acc = m.reg('acc', 64, { reset: 0 });
  const r0 = m.reg('r0', 64, { reset: 0 });
  const fault = m.reg('fault', 8, { reset: 0 });
  const cycles = m.reg('cycles', 64, { reset: 0 });
  const insns = m.reg('insns', 64, { reset: 0 });
  const limit = m.reg('limit', LW, { reset: 0 });
  const sidx = m.reg('sidx', DW + 1, { reset: 0 });

  // ---- host side: accesses complete one cycle after req (block RAM latency)
  const ack = m.reg('ack', 1, { reset: 0 });
  const ackSpace = m.reg('ack_space', 2, { reset: 0 });
  const ackAddr = m.reg('ack_addr', 2, { reset: 0 });
  m.sync(ack, req.req.and(ack.not()));
  m.sync(ackSpace, req.space);
  m.sync(ackAddr, req.addr.slice(1, 0));
  const hostSpace = (s: keyof typeof SPACE_CODES): Expr => req.req.and(req.space.eq(SPACE_CODES[s])).and(running.not());
  const hostWrite = (s: keyof typeof SPACE_CODES): Expr => hostSpace(s).and(req.we);

  const progR = prog.reader();
  const dataR = data.reader();
  const regsR = regs.reader();
  const regsW = regs.writer();
  prog.writePort(req.addr.slice(PW - 1, 0), req.wdata, hostWrite('prog'));
  const dataWord = req.addr.slice(DW + 2, 3);
  data.writePort(dataWord, req.wdata, hostWrite('data'), req.be);
  m.comb(progR.addr, mux(running, pc, req.addr.slice(PW - 1, 0)));
  m.comb(progR.en, mux(running, C(1, 1), hostSpace('prog')));
  m.comb(dataR.addr, mux(running, sidx.slice(DW - 1, 0), dataWord));
  m.comb(dataR.en, mux(running, C(1, 1), hostSpace('data')));
  m.comb(regsR.addr, mux(running, C(4, 1), req.addr.slice(3, 0)));
  m.comb(regsR.en, mux(running, C(1, 1), hostSpace('regs')));
  m.comb(regsW.addr, req.addr.slice(3, 0));
  m.comb(regsW.data, req.wdata);
  m.comb(regsW.en, hostWrite('regs'));

  m.If(req.set_param.and(req.param.eq(PARAMS.dataLimit.id)).and(running.not()), () => m.sync(limit, req.wdata.slice(LW - 1, 0)));

  // ---- the fake core
  if (!cfg.memoriesOnly) {
    m.If(running, () => {
      m.sync(cycles, cycles.add(1));
      m.Switch(phase)
        .Case(PH.init, () => m.sync(phase, PH.init2)) // regs read port is reading r1
        .Case(PH.init2, () => {
          m.sync(acc, regsR.data);
          m.sync(phase, PH.fetch);
        })
        .Case(PH.fetch, () => m.sync(phase, PH.exec)) // prog read port is reading pc
        .Case(PH.exec, () => {
          const w = progR.data;
          m.If(w.eq(STANDIN_WORDS.exit), () => {
            m.sync(insns, insns.add(1));
            m.sync(sidx, 0);
            m.sync(phase, PH.sum);
          }).Elif(w.eq(STANDIN_WORDS.fault), () => {
            m.sync(fault, STANDIN_FAULT);
            m.sync(runState, RUN_STATES.fault);
          }).Elif(w.eq(STANDIN_WORDS.spin), () => {
            m.sync(insns, insns.add(1));
            m.sync(phase, PH.fetch);
          }).Else(() => {
            m.sync(acc, acc.add(w));
            m.sync(insns, insns.add(1));
            m.sync(pc, pc.add(1));
            m.sync(phase, PH.fetch);
          });
        })
        .Case(PH.sum, () => {
          // data read port is reading word sidx
          const byteAddr = cat(sidx, C(3, 0));
          m.If(byteAddr.zext(Math.max(byteAddr.width, LW)).ge(limit.zext(Math.max(byteAddr.width, LW))), () => m.sync(phase, PH.done))
            .Else(() => m.sync(phase, PH.sum2));
        })
        .Case(PH.sum2, () => {
          const W = Math.max(DW + 4, LW) + 1;
          const base = cat(sidx, C(3, 0)).zext(W);
          let sum: Expr = C(11, 0);
          for (let i = 0; i < 8; i++) {
            const inside = base.add(i).lt(limit.zext(W));
            sum = sum.add(mux(inside, dataR.data.slice(8 * i + 7, 8 * i).zext(11), C(11, 0)));
          }
          m.sync(acc, acc.add(sum.zext(64)));
          m.sync(sidx, sidx.add(1));
          m.sync(phase, PH.sum);
        })
        .Case(PH.done, () => {
          m.sync(r0, acc);
          m.sync(runState, RUN_STATES.exited);
        });
      m.If(req.stop, () => m.sync(runState, RUN_STATES.stopped));
    }).Elif(req.start, () => {
      m.sync(runState, RUN_STATES.running);
      m.sync(phase, PH.init);
      m.sync(pc, req.wdata.slice(PW - 1, 0));
      m.sync(cycles, 0);
      m.sync(insns, 0);
      m.sync(fault, 0);
    });
    // r0 also lands in the register file, where read-regs finds it.
    m.If(running.and(phase.eq(PH.done)), () => {
      m.comb(regsW.addr, 0);
      m.comb(regsW.data, acc);
      m.comb(regsW.en, 1);
    });
  }

  // The status space: words laid out as the protocol's status reply.
  const statusWords = [cat(pc.zext(48), fault, runState.zext(8)).zext(64), r0, cycles, insns];
  const rdata = m.wire('rdata', 64);
  m.Switch(ackSpace)
    .Case(SPACE_CODES.prog, () => m.comb(rdata, progR.data))
    .Case(SPACE_CODES.data, () => m.comb(rdata, dataR.data))
    .Case(SPACE_CODES.regs, () => m.comb(rdata, regsR.data))
    .Default(() => {
      const sw = m.Switch(ackAddr);
      statusWords.forEach((v, i) => sw.Case(i, () => m.comb(rdata, v)));
    });

  m.comb(resp.done, ack);
  m.comb(resp.rdata, rdata);
  m.comb(resp.state, runState);
  return { module: m, info };
}

/** What the stand-in computes, for tests: the software model of the fake run. */
export function standinModel(prog: readonly bigint[], entry: number, data: Uint8Array, limit: number, r1: bigint):
  { state: 'exited' | 'fault' | 'spin'; r0: bigint; insns: number; pc: number } {
  let acc = r1;
  let insns = 0;
  for (let pc = entry; ; pc++) {
    const w = prog[pc] ?? 0n;
    if (w === STANDIN_WORDS.fault) return { state: 'fault', r0: 0n, insns, pc };
    if (w === STANDIN_WORDS.spin) return { state: 'spin', r0: 0n, insns, pc };
    insns++;
    if (w === STANDIN_WORDS.exit) {
      for (let i = 0; i < limit; i++) acc += BigInt(data[i] ?? 0);
      return { state: 'exited', r0: BigInt.asUintN(64, acc), insns, pc };
    }
    acc = BigInt.asUintN(64, acc + w);
  }
}
