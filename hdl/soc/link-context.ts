// What the three parts of the host link (receive, execute, reply) share: one
// state machine, the frame buffer, the request registers, and the datapath
// controls. Each part only says WHEN something happens (it raises control
// wires in its own states); link-datapath.ts says HOW each register changes,
// once. Written this way every register gets one small input mux instead of
// a chain of one mux per state that touches it, which is what keeps the link
// small on an iCE40.

import type { BundleOf, Expr, Module, ReadPort, Signal, WritePort } from '../../src/dsl/index.ts';
import type { Fsm } from './fsm.ts';
import type { HostRespLayout, SystemInfo } from './host-bus.ts';
import type { BaudPlan } from './uart.ts';

export const LINK_STATES = [
  // receive (link-receive.ts)
  'rx_sync', 'rx_seq', 'rx_cmd', 'rx_len', 'rx_data', 'rx_crc_hi', 'rx_crc_lo',
  // execute (link-execute.ts)
  'x_check', 'x_dispatch',
  'w_read', 'w_take', 'w_bus', // write: gather payload bytes, then one bus write
  'x_control', // a control pulse (run, stop, set-param); values were gathered like writes
  'r_bus', 'r_put', // read: one bus read per reply byte
  'e_code', 'e_cmd', // error reply payload
  // reply (link-reply.ts)
  'tx_sync', 'tx_seq', 'tx_cmd', 'tx_len', 'tx_read', 'tx_data', 'tx_crc_hi', 'tx_crc_lo',
] as const;

export type LinkState = (typeof LINK_STATES)[number];

/** Frame buffer layout: the payload at 0..255, the identify reply (a ROM) above. */
export const BUF_DEPTH = 512;
export const IDENTIFY_BASE = 256;

/** Control wires (1 bit, default 0) the parts raise; link-datapath.ts acts on them. */
export const CONTROLS = [
  'crc_init', 'crc_step', // crc <= 0xFFFF / crc <= update(crc, crc_in)
  'hdr_clear', 'hdr_seq', 'hdr_cmd', 'hdr_len', 'hdr_shift', 'hdr_count', // take a received header byte
  'store', // buffer[idx] <= the received byte
  'fetch', // read buffer[idx] (from the identify ROM when fromRom); data next cycle
  'addr_clear', 'addr_inc',
  'idx_clear', 'idx_four', 'idx_inc',
  'olen_clear', 'olen_rom', 'put', // put: buffer[olen++] <= put_data
  'k_clear', 'k_inc',
  'units_load', 'units_dec',
  'word_shift', 'word_zero', // word <= {buffer data (or 0 with word_zero), word[63:8]}
] as const;
export type Control = (typeof CONTROLS)[number];

export interface LinkContext {
  readonly m: Module;
  readonly fsm: Fsm<LinkState>;
  readonly plan: BaudPlan;
  readonly system: SystemInfo;

  // UART byte streams
  readonly rxData: Signal;
  readonly rxValid: Signal;
  readonly rxError: Signal;
  readonly txData: Signal;
  readonly txStart: Signal;
  readonly txReady: Signal;

  /** System bus request fields (wires defaulting to 0) and the response. */
  readonly bus: {
    readonly req: Signal; readonly we: Signal; readonly space: Signal; readonly be: Signal;
    readonly start: Signal; readonly stop: Signal; readonly setParam: Signal;
  };
  readonly resp: BundleOf<HostRespLayout['fields']>;

  /** Raise a datapath control in the current state. */
  ctl(c: Control): void;
  /** Byte folded into the CRC when crc_step is raised. */
  readonly crcIn: Signal;
  /** Byte written by `put`. */
  readonly putData: Signal;
  /** Units the checked command moves (loaded by units_load). */
  readonly cmdUnits: Signal;
  /** Frame buffer ports (driven by link-datapath.ts; read data is valid the cycle after `fetch`). */
  readonly bufRead: ReadPort;
  readonly bufWrite: WritePort;

  // the request, as received
  readonly seq: Signal;
  readonly cmd: Signal;
  readonly len: Signal;
  /**
   * The low bits of payload bytes 0..3 (little-endian): the address or value
   * of every command that has one, as far as a valid request can reach
   * (rangeBits - 1 bits); addrHigh says a 1 was sent above them.
   */
  readonly addr: Signal;
  readonly addrHigh: Signal;
  /** Payload byte 4: the count of a read. */
  readonly count: Signal;
  readonly crc: Signal;
  /** The CRC register after folding in crcIn. */
  readonly crcNext: Expr;

  // execution
  /** Buffer index: request payload while receiving/executing, reply while sending. */
  readonly idx: Signal;
  /** Reply payload length (also the write index while building it). */
  readonly olen: Signal;
  /** The reply is an error reply (cmd ERROR_REPLY) rather than the request's command. */
  readonly isError: Signal;
  /** Send the reply payload from the identify ROM instead of the payload area. */
  readonly fromRom: Signal;
  /** Right-shifting byte assembler: 8 payload bytes in, one 64-bit bus word out. */
  readonly word: Signal;
  /** Byte index within the current bus word. */
  readonly k: Signal;
  /** Units (words or bytes) still to transfer. */
  readonly units: Signal;
  /** SPACE_CODES of the request being executed. */
  readonly space: Signal;
  /** Error code of the pending error reply. */
  readonly ecode: Signal;

  /** Start an error reply with this protocol error code. */
  fail(code: number): void;
}
