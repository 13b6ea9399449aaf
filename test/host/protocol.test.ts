// The host protocol codec: CRC, frames, payload layouts, and every way a
// request or a reply can be wrong.

import { describe, expect, it } from 'vitest';
import { crc16 } from '../../src/abi/crc16.ts';
import { Rng } from '../../src/random.ts';
import { encodeFrame, FrameParser } from '../../src/host/frame.ts';
import { decodeIdentify, decodeStatus, encodeFields, encodeIdentify, type BoardInfo } from '../../src/abi/replies.ts';
import { paramRequest, readRequest, registerValues, RequestError, writeRequest } from '../../src/host/messages.ts';
import { COMMAND_LIST, COMMANDS, ERROR_CODES, IDENTIFY_FIELDS, layoutBytes, MAX_PAYLOAD, PARAM_LIST, PARAMS, STATUS_FIELDS, SYNC_REPLY, SYNC_REQUEST } from '../../src/abi/protocol.ts';

const INFO: BoardInfo = {
  version: 1, maxPayload: 255, features: 0x1234, clockHz: 12_000_000, baud: 115_200, progWords: 4096, dataBytes: 65536,
  dataBase: 0x2000_0000, stackBase: 0x1000_0000, frameSize: 512, maxFrames: 8, faultSet: 1,
};

describe('CRC-16/CCITT-FALSE', () => {
  it('has the catalogue check value for "123456789"', () => {
    expect(crc16(new TextEncoder().encode('123456789'))).toBe(0x29b1);
  });
  it('of a frame body with its CRC appended (high byte first) is zero', () => {
    const frame = encodeFrame('request', { seq: 7, cmd: 2, payload: Uint8Array.of(1, 2, 3) });
    expect(crc16(frame.subarray(1))).toBe(0);
  });
});

describe('frames', () => {
  it('round-trip through the parser for every payload length, fed in random pieces', () => {
    const rng = new Rng(42);
    const frames = Array.from({ length: MAX_PAYLOAD + 1 }, (_, len) => ({
      seq: rng.below(256),
      cmd: rng.below(256),
      payload: rng.bytes(len),
    }));
    const stream = frames.flatMap((f) => [...encodeFrame('reply', f)]);
    const parser = new FrameParser('reply');
    const got = [];
    for (let at = 0; at < stream.length;) {
      const n = rng.int(1, 40);
      got.push(...parser.push(stream.slice(at, at + n)));
      at += n;
    }
    expect(got.map((g) => (g.kind === 'frame' ? g.frame : g))).toEqual(frames);
    expect(parser.skipped).toBe(0);
    expect(parser.pending).toBe(0);
  });

  it('uses a different sync byte per direction', () => {
    expect(encodeFrame('request', { seq: 0, cmd: 1, payload: new Uint8Array(0) })[0]).toBe(SYNC_REQUEST);
    expect(encodeFrame('reply', { seq: 0, cmd: 1, payload: new Uint8Array(0) })[0]).toBe(SYNC_REPLY);
    const parser = new FrameParser('reply');
    expect(parser.push(encodeFrame('request', { seq: 0, cmd: 1, payload: new Uint8Array(0) }))).toEqual([]);
  });

  it('skips garbage before a frame and counts it', () => {
    const parser = new FrameParser('reply');
    const frame = encodeFrame('reply', { seq: 3, cmd: 0x0b, payload: Uint8Array.of(9) });
    const items = parser.push([0x00, 0x13, 0xff, ...frame]);
    expect(items).toEqual([{ kind: 'frame', frame: { seq: 3, cmd: 0x0b, payload: Uint8Array.of(9) } }]);
    expect(parser.skipped).toBe(3);
  });

  it('reports a corrupt frame and still finds the good frame after it', () => {
    const bad = encodeFrame('reply', { seq: 1, cmd: 5, payload: Uint8Array.of(1, 2, 3) });
    bad[5] ^= 0x40;
    const good = encodeFrame('reply', { seq: 2, cmd: 5, payload: Uint8Array.of(4) });
    const items = new FrameParser('reply').push([...bad, ...good]);
    expect(items[0]).toMatchObject({ kind: 'bad-crc', seq: 1, cmd: 5 });
    expect(items.at(-1)).toEqual({ kind: 'frame', frame: { seq: 2, cmd: 5, payload: Uint8Array.of(4) } });
  });

  it('detects every single-bit error in a frame', () => {
    const frame = encodeFrame('request', { seq: 9, cmd: 4, payload: Uint8Array.from({ length: 40 }, (_, i) => i * 7) });
    for (let bit = 8; bit < frame.length * 8; bit++) {
      const f = Uint8Array.from(frame);
      f[bit >> 3] ^= 1 << (bit & 7);
      const items = new FrameParser('request').push(f);
      expect(items.some((i) => i.kind === 'frame' && i.frame.seq === 9 && i.frame.cmd === 4 && i.frame.payload.length === 40)).toBe(false);
    }
  });

  it('refuses to build oversized or malformed frames', () => {
    expect(() => encodeFrame('request', { seq: 0, cmd: 1, payload: new Uint8Array(256) })).toThrow(/256 bytes; at most 255/);
    expect(() => encodeFrame('request', { seq: 256, cmd: 1, payload: new Uint8Array(0) })).toThrow(/seq 256 is not a byte/);
    expect(() => encodeFrame('request', { seq: 0, cmd: -1, payload: new Uint8Array(0) })).toThrow(/cmd -1 is not a byte/);
  });
});

describe('payloads', () => {
  it('identify round-trips and checks its magic and length', () => {
    const bytes = encodeIdentify(INFO);
    expect(bytes.length).toBe(layoutBytes(IDENTIFY_FIELDS));
    expect([...bytes.subarray(0, 4)]).toEqual([...new TextEncoder().encode('BPFG')]);
    expect(decodeIdentify(bytes)).toEqual(INFO);
    const wrong = Uint8Array.from(bytes);
    wrong[0] = 0x58;
    expect(() => decodeIdentify(wrong)).toThrow(/not a bpfgate board/);
    expect(() => decodeIdentify(bytes.subarray(1))).toThrow(/identify reply has 35 payload bytes, expected 36/);
  });

  it('status decodes every field little-endian and refuses unknown states', () => {
    const values = { state: 3n, fault: 8n, pc: 0x01020304n, r0: 0xfedcba9876543210n, cycles: 123456789012n, insns: 42n };
    const bytes = encodeFields(STATUS_FIELDS, values);
    expect(decodeStatus(bytes)).toEqual({ state: 'fault', fault: 8, pc: 0x01020304, r0: values.r0, cycles: values.cycles, insns: 42n });
    expect(() => decodeStatus(encodeFields(STATUS_FIELDS, { ...values, state: 9n }))).toThrow(/unknown run state 9/);
  });

  it('checks request limits before anything is sent', () => {
    expect(() => readRequest(COMMANDS.readData, 0, 0)).toThrow(RequestError);
    expect(() => readRequest(COMMANDS.readData, 0, 256)).toThrow(/count 256 is outside 1..255/);
    expect(() => readRequest(COMMANDS.readProg, 0, 32)).toThrow(/count 32 is outside 1..31/);
    expect(() => writeRequest(COMMANDS.writeProg, 0, new Uint8Array(12))).toThrow(/not 1..31 units of 8/);
    expect(() => writeRequest(COMMANDS.writeData, 0, new Uint8Array(252))).toThrow(/not 1..251 units of 1/);
    expect(() => writeRequest(COMMANDS.writeData, -1, new Uint8Array(1))).toThrow(/-1 is not an unsigned 32-bit value/);
    expect(() => registerValues(10, [1n, 2n])).toThrow(/r10..r11 are outside r0..r10/);
    expect([...readRequest(COMMANDS.readData, 0x01020304, 9)]).toEqual([4, 3, 2, 1, 9]);
  });

  it('builds set-param requests as value then parameter id', () => {
    expect([...paramRequest(PARAMS.insnBudget, 0x01020304)]).toEqual([4, 3, 2, 1, PARAMS.insnBudget.id]);
    const ids = PARAM_LIST.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Math.max(...ids)).toBeLessThan(8); // the bus carries a 3-bit parameter id
  });

  it('has unique command and error codes', () => {
    const codes = COMMAND_LIST.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    const errs = Object.values(ERROR_CODES).map((e) => e.code);
    expect(new Set(errs).size).toBe(errs.length);
    expect(errs).not.toContain(0);
  });
});
