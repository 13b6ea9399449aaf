// Frames on the wire: building one, and a streaming parser that turns a byte
// stream into frames (resynchronising on the sync byte after garbage).

import { crc16 } from '../abi/crc16.ts';
import { MAX_PAYLOAD, SYNC_REPLY, SYNC_REQUEST } from '../abi/protocol.ts';

export interface Frame {
  readonly seq: number;
  readonly cmd: number;
  readonly payload: Uint8Array;
}

export type Direction = 'request' | 'reply';

export function syncByte(direction: Direction): number {
  return direction === 'request' ? SYNC_REQUEST : SYNC_REPLY;
}

/** The bytes of one frame. Throws a RangeError for an oversized payload or a bad field. */
export function encodeFrame(direction: Direction, frame: Frame): Uint8Array {
  const { seq, cmd, payload } = frame;
  if (payload.length > MAX_PAYLOAD) {
    throw new RangeError(`frame payload is ${payload.length} bytes; at most ${MAX_PAYLOAD} fit in one frame`);
  }
  for (const [name, v] of [['seq', seq], ['cmd', cmd]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new RangeError(`frame ${name} ${v} is not a byte`);
  }
  const out = new Uint8Array(payload.length + 6);
  out[0] = syncByte(direction);
  out[1] = seq;
  out[2] = cmd;
  out[3] = payload.length;
  out.set(payload, 4);
  const crc = crc16(out.subarray(1, 4 + payload.length));
  out[4 + payload.length] = crc >> 8;
  out[5 + payload.length] = crc & 0xff;
  return out;
}

/** Something the parser saw: a good frame, or a frame whose CRC failed. */
export type ParsedItem =
  | { readonly kind: 'frame'; readonly frame: Frame }
  | { readonly kind: 'bad-crc'; readonly seq: number; readonly cmd: number; readonly expected: number; readonly got: number };

/**
 * Incremental parser for one direction. Bytes before a sync byte are
 * skipped (and counted, for diagnostics). After a CRC failure the parser
 * rescans from the byte after the bad frame's sync, so one corrupt frame
 * cannot swallow a good one that follows.
 */
export class FrameParser {
  private buf: number[] = [];
  /** Bytes thrown away while looking for a sync byte. */
  skipped = 0;

  constructor(readonly direction: Direction) {}

  /** Feed bytes; returns every item completed by them, in order. */
  push(bytes: ArrayLike<number>): ParsedItem[] {
    for (let i = 0; i < bytes.length; i++) this.buf.push(bytes[i]! & 0xff);
    const out: ParsedItem[] = [];
    const sync = syncByte(this.direction);
    for (;;) {
      const start = this.buf.indexOf(sync);
      if (start < 0) {
        this.skipped += this.buf.length;
        this.buf = [];
        return out;
      }
      if (start > 0) {
        this.skipped += start;
        this.buf = this.buf.slice(start);
      }
      if (this.buf.length < 4) return out;
      const len = this.buf[3]!;
      const total = len + 6;
      if (this.buf.length < total) return out;
      const body = this.buf.slice(1, 4 + len);
      const expected = crc16(body);
      const got = (this.buf[4 + len]! << 8) | this.buf[5 + len]!;
      if (expected === got) {
        out.push({ kind: 'frame', frame: { seq: body[0]!, cmd: body[1]!, payload: Uint8Array.from(body.slice(3)) } });
        this.buf = this.buf.slice(total);
      } else {
        out.push({ kind: 'bad-crc', seq: body[0]!, cmd: body[1]!, expected, got });
        this.skipped += 1;
        this.buf = this.buf.slice(1);
      }
    }
  }

  /** Bytes held while waiting for the rest of a frame. */
  get pending(): number {
    return this.buf.length;
  }

  reset(): void {
    this.buf = [];
  }
}
