// Request payloads of each command, host side, checked against the
// protocol's limits before anything is sent (replies: src/abi/replies.ts).

import { concatBytes as concat } from '../bytes.ts';
import { COMMANDS, maxReadCount, maxWriteCount, REGISTER_COUNT, type ParamSpec } from '../abi/protocol.ts';

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

/** Register payload for write-regs: consecutive registers from `first`. */
export function registerValues(first: number, values: readonly bigint[]): Uint8Array {
  if (!Number.isInteger(first) || first < 0 || first + values.length > REGISTER_COUNT) {
    throw new RequestError(`registers r${first}..r${first + values.length - 1} are outside r0..r${REGISTER_COUNT - 1}`);
  }
  return wordsToBytes(values);
}
