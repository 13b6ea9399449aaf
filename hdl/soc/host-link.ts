// The host protocol engine (docs/host-protocol.md) in hardware: request
// frames come in as bytes from the UART receiver, are checked and executed
// on the CPU system's host bus, and the reply goes out through the UART
// transmitter. One state machine in three parts:
//   link-receive.ts  frame in, CRC check           (rx_* states)
//   link-execute.ts  checks, bus accesses, reply   (x_*, w_*, r_*, e_* states)
//   link-reply.ts    frame out                     (tx_* states)
// Strictly one request at a time: bytes that arrive while a request is being
// executed or answered are ignored (the host waits for each reply).

import { Module, mux, type Signal } from '../../src/dsl/index.ts';
import { encodeIdentify } from '../../src/abi/replies.ts';
import { ERROR_CODES, MAX_PAYLOAD, PROTOCOL_VERSION } from '../../src/abi/protocol.ts';
import { Fsm } from './fsm.ts';
import { HostReq, HostResp, type SystemInfo } from './host-bus.ts';
import { crc16Next } from './crc16.ts';
import { buildDatapath } from './link-datapath.ts';
import { buildExecute, rangeBits } from './link-execute.ts';
import { BUF_DEPTH, CONTROLS, IDENTIFY_BASE, LINK_STATES, type Control, type LinkContext, type LinkState } from './link-context.ts';
import { buildReceive } from './link-receive.ts';
import { buildReply } from './link-reply.ts';
import type { BaudPlan } from './uart.ts';

export interface HostLinkConfig {
  readonly plan: BaudPlan;
  readonly system: SystemInfo;
  /** Clock cycles without a byte after which a half-received frame is dropped. */
  readonly frameTimeoutCycles: number;
}

/** Default frame timeout: 10 ms, long enough for USB-serial bridges that send in bursts. */
export function defaultFrameTimeoutCycles(clockHz: number): number {
  return Math.round(clockHz / 100);
}

/** The identify reply of this build (it lives in the frame buffer's block RAM as a ROM). */
export function identifyBytes(cfg: HostLinkConfig): Uint8Array {
  const { system, plan } = cfg;
  const mm = system.memoryMap;
  return encodeIdentify({
    version: PROTOCOL_VERSION, maxPayload: MAX_PAYLOAD, features: system.features,
    clockHz: Math.round(plan.clockHz), baud: Math.round(plan.baud),
    progWords: system.progWords, dataBytes: system.dataBytes, dataBase: mm.dataBase, stackBase: mm.stackBase,
    frameSize: mm.frameSize, maxFrames: mm.maxFrames, faultSet: system.faultSet,
  });
}

/**
 * Ports: rx_data/rx_valid/rx_error (from uart_rx), tx_data/tx_start (to
 * uart_tx), tx_ready (from uart_tx), host_req (to the system, HostReq) and
 * host_resp (from it, HostResp).
 */
export function hostLink(cfg: HostLinkConfig): Module {
  const m = new Module('host_link');
  const rxData = m.input('rx_data', 8);
  const rxValid = m.input('rx_valid', 1);
  const rxError = m.input('rx_error', 1);
  const txData = m.output('tx_data', 8);
  const txStart = m.output('tx_start', 1);
  const txReady = m.input('tx_ready', 1);
  const reqOut = m.output('host_req', HostReq);
  const resp = m.input('host_resp', HostResp);

  const rom = identifyBytes(cfg);
  // The link never reads a buffer byte on the edge it writes it (the
  // soc-sim tests run with the simulator poisoning such reads).
  const buf = m.memory('frame_buf', { width: 8, depth: BUF_DEPTH, init: [...new Array<number>(IDENTIFY_BASE).fill(0), ...rom], readDuringWrite: 'undefined' });
  const fsm = new Fsm<LinkState>(m, 'link_state', LINK_STATES, 'rx_sync');
  const r = (name: string, width: number) => m.reg(name, width, { reset: 0 });
  // Bus request fields a state drives; they read 0 otherwise.
  const w = (name: string, width: number) => m.wire(name, width, { default: 0 });
  const bus = {
    req: w('bus_req', 1), we: w('bus_we', 1), space: w('bus_space', 2), be: w('bus_be', 8),
    start: w('bus_start', 1), stop: w('bus_stop', 1), setParam: w('bus_set_param', 1),
  };

  const on = Object.fromEntries(CONTROLS.map((c) => [c, w(`ctl_${c}`, 1)])) as Record<Control, Signal>;
  const crc = r('crc', 16);
  const crcIn = w('crc_in', 8);
  // The CRC folds in the received byte, or the transmitted one while replying.
  m.comb(crcIn, mux(fsm.isAny(['tx_seq', 'tx_cmd', 'tx_len', 'tx_data']), txData, rxData));

  const ctx: LinkContext = {
    m, fsm, plan: cfg.plan, system: cfg.system,
    rxData, rxValid, rxError, txData, txStart, txReady,
    bus, resp,
    ctl: (c) => m.comb(on[c], 1),
    crcIn, putData: w('put_data', 8), cmdUnits: w('units_next', 8),
    bufRead: buf.reader(), bufWrite: buf.writer(),
    seq: r('seq', 8), cmd: r('cmd', 8), len: r('len', 8), addr: m.wire('addr', rangeBits(cfg.system) - 1), addrHigh: r('addr_high', 1),
    count: r('count', 8),
    crc, crcNext: crc16Next(crc, crcIn),
    idx: r('idx', 8), olen: r('olen', 8), isError: r('is_error', 1), fromRom: r('from_rom', 1), word: r('word', 64),
    k: r('k', 3), units: r('units', 8), space: r('space', 2),
    ecode: r('ecode', Math.ceil(Math.log2(Math.max(...Object.values(ERROR_CODES).map((e) => e.code)) + 1))),
    fail(code: number) {
      m.sync(ctx.ecode, code);
      m.sync(ctx.isError, 1);
      m.sync(ctx.fromRom, 0);
      ctx.ctl('olen_clear');
      fsm.goto('e_code');
    },
  };

  buildReceive(ctx, cfg.frameTimeoutCycles);
  buildExecute(ctx);
  buildReply(ctx);
  buildDatapath(ctx, on);

  // The request: addresses and values straight from the request registers,
  // write data from the byte assembler.
  m.comb(reqOut.req, bus.req);
  m.comb(reqOut.we, bus.we);
  m.comb(reqOut.space, bus.space);
  m.comb(reqOut.addr, ctx.addr.zext(32));
  m.comb(reqOut.wdata, ctx.word);
  m.comb(reqOut.be, bus.be);
  m.comb(reqOut.start, bus.start);
  m.comb(reqOut.stop, bus.stop);
  m.comb(reqOut.set_param, bus.setParam);
  m.comb(reqOut.param, ctx.count.slice(2, 0));
  return m;
}
