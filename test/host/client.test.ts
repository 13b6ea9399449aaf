// The HostClient against scripted transports: silence, stale replies, error
// replies, corrupt replies, answers to the wrong command, and how large
// transfers are split into frames.

import { describe, expect, it } from 'vitest';
import { HostClient } from '../../src/host/client.ts';
import { BoardRejectedError, HostTimeoutError, ProtocolError } from '../../src/host/errors.ts';
import { encodeFrame, FrameParser, type Frame } from '../../src/host/frame.ts';
import { encodeFields, encodeIdentify } from '../../src/abi/replies.ts';
import { COMMANDS, ERROR_CODES, ERROR_FIELDS, ERROR_REPLY, STATUS_FIELDS } from '../../src/abi/protocol.ts';
import { FakeTransport } from './support/fake-transport.ts';

/** A transport whose board answers each request frame with `answer(request)`. */
function board(answer: (req: Frame) => Uint8Array | undefined, name?: string): FakeTransport {
  const parser = new FrameParser('request');
  return new FakeTransport((bytes) => {
    const out: number[] = [];
    for (const item of parser.push(bytes)) {
      if (item.kind !== 'frame') continue;
      const reply = answer(item.frame);
      if (reply) out.push(...reply);
    }
    return Uint8Array.from(out);
  }, name);
}

const ok = (req: Frame, payload: Uint8Array = new Uint8Array(0)) => encodeFrame('reply', { seq: req.seq, cmd: req.cmd, payload });

describe('HostClient', () => {
  it('times out cleanly on a silent board, naming the port and the command', async () => {
    const client = new HostClient(new FakeTransport(() => undefined, '/dev/ttyUSB1'), { timeoutMs: 250 });
    const err = await client.status().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostTimeoutError);
    expect((err as Error).message).toBe(
      "/dev/ttyUSB1: no reply to 'status' within 250 ms; heard nothing at all: is the bpfgate bitstream loaded, and is this its UART?",
    );
  });

  it('says what it heard when the reply never completes', async () => {
    const t = new FakeTransport(() => Uint8Array.of(0x11, 0x22, 0x5a, 0x01), 'p');
    const err = await new HostClient(t, { timeoutMs: 50 }).stop().catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^p: no reply to 'stop' within 50 ms; heard 4 byte\(s\) but no complete reply \(2 not part of any frame\)/);
  });

  it('skips a stale reply with another sequence number', async () => {
    const t = board((req) => {
      const stale = encodeFrame('reply', { seq: (req.seq + 200) & 0xff, cmd: req.cmd, payload: Uint8Array.of(1) });
      return Uint8Array.from([...stale, ...ok(req, encodeFields(STATUS_FIELDS, { state: 2n, fault: 0n, pc: 5n, r0: 7n, cycles: 9n, insns: 3n }))]);
    });
    const s = await new HostClient(t).status();
    expect(s).toEqual({ state: 'exited', fault: 0, pc: 5, r0: 7n, cycles: 9n, insns: 3n });
  });

  it('turns an error reply into BoardRejectedError with the protocol name', async () => {
    const t = board((req) =>
      encodeFrame('reply', {
        seq: req.seq, cmd: ERROR_REPLY,
        payload: encodeFields(ERROR_FIELDS, { error: BigInt(ERROR_CODES.outOfRange.code), cmd: BigInt(req.cmd) }),
      }), 'sim');
    const err = await new HostClient(t).readData(0x10000, 4).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BoardRejectedError);
    expect((err as BoardRejectedError).code).toBe('out-of-range');
    expect((err as Error).message).toBe("sim: the board refused 'read-data': out-of-range: the address or count is outside the memory");
  });

  it('refuses a corrupt reply and an answer to another command', async () => {
    const corrupt = board((req) => {
      const f = ok(req, Uint8Array.of(1, 2));
      f[4] ^= 1;
      return f;
    });
    await expect(new HostClient(corrupt).stop()).rejects.toThrow(ProtocolError);
    await expect(new HostClient(corrupt).stop()).rejects.toThrow(/reply to 'stop' failed its CRC check/);
    const confused = board((req) => encodeFrame('reply', { seq: req.seq, cmd: COMMANDS.run.code, payload: new Uint8Array(0) }));
    await expect(new HostClient(confused).stop()).rejects.toThrow("asked 'stop', the board answered 'run'");
  });

  it('refuses a reply of the wrong size or from something that is not a bpfgate board', async () => {
    const short = board((req) => ok(req, new Uint8Array(3)));
    await expect(new HostClient(short).status()).rejects.toThrow(/status reply has 3 payload bytes, expected 30/);
    const other = board((req) => {
      const id = encodeIdentify({ version: 1, maxPayload: 255, features: 0, clockHz: 1, baud: 1, progWords: 1, dataBytes: 8, dataBase: 0, stackBase: 0, frameSize: 8, maxFrames: 1, faultSet: 0 });
      id[0] = 0;
      return ok(req, id);
    });
    await expect(new HostClient(other).identify()).rejects.toThrow(/not a bpfgate board/);
  });

  it('splits large transfers into frames and reassembles reads', async () => {
    const mem = new Uint8Array(4096);
    const seen: { cmd: number; len: number }[] = [];
    const t = board((req) => {
      seen.push({ cmd: req.cmd, len: req.payload.length });
      const view = new DataView(req.payload.buffer, req.payload.byteOffset);
      const addr = view.getUint32(0, true);
      if (req.cmd === COMMANDS.writeData.code) {
        mem.set(req.payload.subarray(4), addr);
        return ok(req);
      }
      if (req.cmd === COMMANDS.readData.code) return ok(req, mem.slice(addr, addr + req.payload[4]!));
      return undefined;
    });
    const client = new HostClient(t);
    const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 31) & 0xff);
    await client.writeData(17, data);
    expect(seen.map((s) => s.len)).toEqual([255, 255, 255, 4 + 1000 - 3 * 251]);
    seen.length = 0;
    expect(await client.readData(17, 1000)).toEqual(data);
    expect(seen.length).toBe(4);
  });
});
