// Payloads of each command, host side: building requests (checked against
// the protocol's limits before anything is sent) and decoding replies.

import {
  COMMANDS, ERROR_FIELDS, IDENTIFY_FIELDS, IDENTIFY_MAGIC, layoutBytes, maxReadCount, maxWriteCount,
  REGISTER_COUNT, runStateName, STATUS_FIELDS, type FieldValues, type ParamSpec, type ReplyField, type RunState,
} from './protocol.ts';

/** A request payload that breaks the protocol's limits (caught before sending). */
export class RequestError extends RangeError {
  override name = 'RequestError';
}

export function u32le(v: number): Uint8Array {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff_ffff) throw new RequestError(`${v} is not an unsigned 32-bit value`);
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, v, true);
  return out;
}

export function u64le(v: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

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

// ---- requests -------------------------------------------------------------

export function emptyRequest(): Uint8Array {
  return new Uint8Array(0);
}

export function valueRequest(v: number): Uint8Array {
  return u32le(v);
}

export function paramRequest(param: ParamSpec, value: number): Uint8Array {
  return concat(u32le(value), Uint8Array.of(param.id));
}

/** A read of `count` units at `address`. */
export function readRequest(cmd: typeof COMMANDS.readProg | typeof COMMANDS.readData | typeof COMMANDS.readRegs, address: number, count: number): Uint8Array {
  const max = maxReadCount(cmd.request.unit);
  if (!Number.isInteger(count) || count < 1 || count > max) {
    throw new RequestError(`${cmd.name}: count ${count} is outside 1..${max} (one reply frame)`);
  }
  return concat(u32le(address), Uint8Array.of(count));
}

/** A write of whole units (`data.length` must be a multiple of the unit). */
export function writeRequest(cmd: typeof COMMANDS.writeProg | typeof COMMANDS.writeData | typeof COMMANDS.writeRegs, address: number, data: Uint8Array): Uint8Array {
  const unit = cmd.request.unit;
  const max = maxWriteCount(unit);
  const n = data.length / unit;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new RequestError(`${cmd.name}: ${data.length} bytes is not 1..${max} units of ${unit} byte(s)`);
  }
  return concat(u32le(address), data);
}

export function wordsToBytes(words: readonly bigint[]): Uint8Array {
  return concat(...words.map(u64le));
}

export function bytesToWords(bytes: Uint8Array): bigint[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: bigint[] = [];
  for (let at = 0; at + 8 <= bytes.length; at += 8) out.push(view.getBigUint64(at, true));
  return out;
}

// ---- replies --------------------------------------------------------------

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

/** Register payload for write-regs: consecutive registers from `first`. */
export function registerValues(first: number, values: readonly bigint[]): Uint8Array {
  if (!Number.isInteger(first) || first < 0 || first + values.length > REGISTER_COUNT) {
    throw new RequestError(`registers r${first}..r${first + values.length - 1} are outside r0..r${REGISTER_COUNT - 1}`);
  }
  return wordsToBytes(values);
}
