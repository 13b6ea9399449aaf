// The bus between the host link (hdl/soc/host-link.ts) and a CPU system: what
// the link asks for (HostReq) and what the system answers (HostResp), plus
// the facts about a system the link reports in its identify reply.
//
// Accesses: the link holds `req` high, with we/space/addr/wdata/be stable,
// until the system raises `done` (for reads `rdata` is valid in that cycle).
// The system may perform a write in any cycle while req is high, even more
// than once (every write is idempotent), and raises done only while req is
// high. The link only accesses memories while the core is not running
// (status reads happen at any time).
//
// `addr` is the protocol's address as sent: a slot index (prog), a register
// number (regs), a status word number (status), or a BYTE address (data; the
// system uses addr[..:3] as the 64-bit word and `be` selects the byte, with
// wdata holding the byte in every lane).
//
// The status space is four 64-bit words, laid out so that their bytes, in
// order, are exactly the status reply of the protocol (STATUS_FIELDS):
//   0: state | fault << 8 | pc << 16    (6 bytes are sent)
//   1: r0    2: cycle counter    3: retired-instruction counter
//
// Control pulses (one cycle, no done): start (run from entry pc = wdata),
// stop, set_param (run parameter `param` = wdata, see PARAMS in
// src/abi/protocol.ts). Values arrive zero-extended in wdata.

import { bundle, type Module } from '../../src/dsl/index.ts';
import type { MemoryMap } from '../../src/isa/memory-map.ts';

/** Encoding of HostReq.space. */
export const SPACE_CODES = { prog: 0, data: 1, regs: 2, status: 3 } as const;
export type BusSpace = keyof typeof SPACE_CODES;

/** Bytes of each status word that go into the status reply. */
export const STATUS_WORD_BYTES = [6, 8, 8, 8] as const;

export const HostReq = bundle({
  req: 1,
  we: 1,
  space: 2,
  addr: 32,
  wdata: 64,
  /** Byte lanes of a data write (program and register writes use all eight). */
  be: 8,
  start: 1,
  stop: 1,
  set_param: 1,
  /** PARAMS id for set_param. */
  param: 3,
});

export const HostResp = bundle({
  done: 1,
  rdata: 64,
  /** RUN_STATES code (src/abi/protocol.ts), for the busy check and the LEDs. */
  state: 3,
});

export type HostReqLayout = typeof HostReq;
export type HostRespLayout = typeof HostResp;

/** What the identify reply says about a system (its build parameters). */
export interface SystemInfo {
  readonly progWords: number;
  readonly dataBytes: number;
  readonly memoryMap: MemoryMap;
  /** CPU build feature bits (docs/host-protocol.md). */
  readonly features: number;
  /** Numbering of the status fault codes (src/abi/fault-sets.ts). */
  readonly faultSet: number;
}

/** A system module the SoC can wire to the link: ports `host_req` (in, HostReq) and `host_resp` (out, HostResp). */
export interface HostSystem {
  readonly module: Module;
  readonly info: SystemInfo;
}

