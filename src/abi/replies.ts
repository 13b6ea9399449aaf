// Reply payloads of the host protocol (src/abi/protocol.ts): the fixed
// field layouts decoded by the host and encoded by the hardware (the
// identify reply's bytes are baked into the host link, hdl/soc/host-link.ts)
// and by software models of the board.

import {
  ERROR_FIELDS, IDENTIFY_FIELDS, IDENTIFY_MAGIC, layoutBytes, runStateName, STATUS_FIELDS,
  type FieldValues, type ReplyField, type RunState,
} from './protocol.ts';

/** Little-endian fields in order; the payload must have exactly the layout's size. */
export function decodeFields<F extends readonly ReplyField[]>(fields: F, payload: Uint8Array, what: string): FieldValues<F> {
  const want = layoutBytes(fields);
  if (payload.length !== want) {
    throw new RangeError(`${what} reply has ${payload.length} payload bytes, expected ${want}`);
  }
  const out: Record<string, bigint> = {};
  let at = 0;
  for (const f of fields) {
    let v = 0n;
    for (let i = f.bytes - 1; i >= 0; i--) v = (v << 8n) | BigInt(payload[at + i]!);
    out[f.key] = v;
    at += f.bytes;
  }
  return out as FieldValues<F>;
}

/** The inverse of decodeFields (used by tests and the software model of the board). */
export function encodeFields<F extends readonly ReplyField[]>(fields: F, values: FieldValues<F>): Uint8Array {
  const out = new Uint8Array(layoutBytes(fields));
  let at = 0;
  for (const f of fields) {
    let v = BigInt.asUintN(f.bytes * 8, (values as Record<string, bigint>)[f.key]!);
    for (let i = 0; i < f.bytes; i++) {
      out[at + i] = Number(v & 0xffn);
      v >>= 8n;
    }
    at += f.bytes;
  }
  return out;
}

export interface BoardInfo {
  readonly version: number;
  readonly maxPayload: number;
  /** Build feature bits of the CPU (see docs/host-protocol.md). */
  readonly features: number;
  readonly clockHz: number;
  readonly baud: number;
  readonly progWords: number;
  readonly dataBytes: number;
  readonly dataBase: number;
  readonly stackBase: number;
  readonly frameSize: number;
  readonly maxFrames: number;
  /** Which numbering the status reply's fault codes use. */
  readonly faultSet: number;
}

export function decodeIdentify(payload: Uint8Array): BoardInfo {
  const f = decodeFields(IDENTIFY_FIELDS, payload, 'identify');
  const magic = IDENTIFY_MAGIC.reduceRight((v, b) => (v << 8n) | BigInt(b), 0n);
  if (f.magic !== magic) {
    throw new RangeError(`identify reply does not start with "BPFG" (got 0x${f.magic.toString(16)}): not a bpfgate board`);
  }
  const n = (k: Exclude<keyof typeof f, 'magic'>): number => Number(f[k]);
  return {
    version: n('version'), maxPayload: n('maxPayload'), features: n('features'), clockHz: n('clockHz'), baud: n('baud'),
    progWords: n('progWords'), dataBytes: n('dataBytes'), dataBase: n('dataBase'), stackBase: n('stackBase'),
    frameSize: n('frameSize'), maxFrames: n('maxFrames'), faultSet: n('faultSet'),
  };
}

export function encodeIdentify(info: BoardInfo): Uint8Array {
  const magic = IDENTIFY_MAGIC.reduceRight((v, b) => (v << 8n) | BigInt(b), 0n);
  const values: Record<string, bigint> = { magic };
  for (const [k, v] of Object.entries(info)) values[k] = BigInt(v);
  return encodeFields(IDENTIFY_FIELDS, values as FieldValues<typeof IDENTIFY_FIELDS>);
}

export interface BoardStatus {
  readonly state: RunState;
  /** Fault code (0 = none), in the board's fault numbering. */
  readonly fault: number;
  /** Slot index of the current (or faulting, or final exit) instruction. */
  readonly pc: number;
  readonly r0: bigint;
  readonly cycles: bigint;
  readonly insns: bigint;
}

export function decodeStatus(payload: Uint8Array): BoardStatus {
  const f = decodeFields(STATUS_FIELDS, payload, 'status');
  const state = runStateName(Number(f.state));
  if (state === undefined) throw new RangeError(`status reply has an unknown run state ${f.state}`);
  return { state, fault: Number(f.fault), pc: Number(f.pc), r0: f.r0, cycles: f.cycles, insns: f.insns };
}

export function decodeError(payload: Uint8Array): { error: number; cmd: number } {
  const f = decodeFields(ERROR_FIELDS, payload, 'error');
  return { error: Number(f.error), cmd: Number(f.cmd) };
}

