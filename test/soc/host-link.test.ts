// The host link in hardware, through the simulated SoC's UART pins, with the
// stand-in system (test/soc/standin-system.ts): every command, every error
// reply, and for every bad frame a check that nothing changed in the
// system's memories (read straight out of the simulator, not through the
// link being tested).

import { beforeAll, describe, expect, it } from 'vitest';
import { STANDIN_WORDS, standinModel, standinSystem } from './standin-system.ts';
import { HostClient } from '../../src/host/client.ts';
import { BoardRejectedError } from '../../src/host/errors.ts';
import { encodeFrame, FrameParser, type Frame } from '../../src/host/frame.ts';
import { decodeError } from '../../src/abi/replies.ts';
import { u32le } from '../../src/host/messages.ts';
import { COMMANDS, ERROR_CODES, ERROR_REPLY, PARAMS, type ErrorKey } from '../../src/abi/protocol.ts';
import { createSimulatedSoc, type SimulatedSoc } from '../../src/host/sim-soc.ts';
import { byteSegments } from '../../src/host/uart-line.ts';

const PROG_WORDS = 64;
const DATA_BYTES = 512;
const CLOCK = 12e6;
const BAUD = CLOCK / 8;
const FRAME_TIMEOUT = 3000;

let soc: SimulatedSoc;
let client: HostClient;

beforeAll(async () => {
  soc = await createSimulatedSoc({
    system: standinSystem({ progWords: PROG_WORDS, dataBytes: DATA_BYTES }),
    clockHz: CLOCK, baud: BAUD, frameTimeoutCycles: FRAME_TIMEOUT,
  });
  client = new HostClient(soc.transport, { timeoutMs: 5 });
});

/** The system's memories and registers, read directly from the simulator. */
function snapshot(): { prog: bigint[]; data: bigint[]; regs: bigint[]; limit: bigint; state: bigint } {
  const sim = soc.transport.sim;
  return {
    prog: sim.mem('u_sys.prog').dump(),
    data: sim.mem('u_sys.data').dump(),
    regs: sim.mem('u_sys.regs').dump(),
    limit: sim.peek('u_sys.limit'),
    state: sim.peek('u_sys.run_state'),
  };
}

/** Send raw bytes and return the first reply frame (or undefined after `ms`). */
async function exchange(bytes: Uint8Array | (() => Promise<void>), ms = 2): Promise<Frame | undefined> {
  const t = soc.transport;
  await t.discardInput();
  if (bytes instanceof Uint8Array) await t.write(bytes);
  else await bytes();
  const parser = new FrameParser('reply');
  const end = t.now() + ms;
  while (t.now() < end) {
    for (const item of parser.push(await t.read(end - t.now()))) {
      if (item.kind === 'frame') return item.frame;
    }
  }
  return undefined;
}

function expectError(reply: Frame | undefined, error: ErrorKey, cmd: number, seq: number): void {
  expect(reply, 'an error reply').toBeDefined();
  expect(reply!.cmd).toBe(ERROR_REPLY);
  expect(reply!.seq).toBe(seq);
  expect(decodeError(reply!.payload)).toEqual({ error: ERROR_CODES[error].code, cmd });
}

const frame = (seq: number, cmd: number, payload: number[] | Uint8Array) =>
  encodeFrame('request', { seq, cmd, payload: Uint8Array.from(payload) });

describe('host link (stand-in system, simulated UART)', () => {
  it('identifies itself with the build parameters', async () => {
    const info = await client.identify();
    expect(info).toMatchObject({
      version: 1, maxPayload: 255, clockHz: CLOCK, baud: BAUD, progWords: PROG_WORDS, dataBytes: DATA_BYTES,
      dataBase: 0x2000_0000, stackBase: 0x1000_0000, frameSize: 512, maxFrames: 8, faultSet: 0xff,
    });
    expect(soc.transport.framingErrors).toBe(0);
  });

  it('writes and reads back program words, data bytes (unaligned, several frames) and registers', async () => {
    const words = Array.from({ length: 40 }, (_, i) => (BigInt(i + 1) * 0x0123_4567_89ab_cdefn) & ((1n << 64n) - 1n));
    await client.writeProgram(20, words);
    expect(await client.readProgram(20, 40)).toEqual(words);
    expect(soc.transport.sim.mem('u_sys.prog').read(59)).toBe(words[39]);

    const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 0xff);
    await client.writeData(5, data);
    expect(await client.readData(5, 300)).toEqual(data);
    expect(await client.readData(0, 5)).toEqual(new Uint8Array(5));
    const word0 = soc.transport.sim.mem('u_sys.data').read(0);
    expect(word0 >> 40n).toBe(BigInt(data[0]! | (data[1]! << 8) | (data[2]! << 16)));

    const regs = Array.from({ length: 11 }, (_, i) => BigInt(i) * 0x1111_1111_1111n + 0x8000_0000_0000_0000n);
    await client.writeRegisters(0, regs);
    expect(await client.readRegisters(0, 11)).toEqual(regs);
    expect(await client.readRegisters(7, 2)).toEqual(regs.slice(7, 9));
  });

  it('runs the fake program and reports r0, pc, cycles and instructions', async () => {
    const prog = [3n, 0x100n, 7n, STANDIN_WORDS.exit];
    const data = Uint8Array.from({ length: 24 }, (_, i) => i + 1);
    await client.writeProgram(8, prog);
    await client.writeData(0, data);
    await client.setDataLimit(21);
    await client.writeRegisters(1, [1000n]);
    await client.run(8);
    await soc.transport.sleep(0.05);
    const s = await client.status();
    const model = standinModel([...Array<bigint>(8).fill(1n), ...prog], 8, data, 21, 1000n);
    expect(s).toMatchObject({ state: 'exited', fault: 0, r0: model.r0, insns: BigInt(model.insns), pc: model.pc });
    expect(s.cycles).toBeGreaterThan(BigInt(2 * model.insns));
    expect((await client.readRegisters(0, 1))[0]).toBe(model.r0);
  });

  it('reports a fault with its code and pc', async () => {
    await client.writeProgram(0, [1n, 2n, STANDIN_WORDS.fault]);
    await client.run(0);
    await soc.transport.sleep(0.05);
    expect(await client.status()).toMatchObject({ state: 'fault', fault: 1, pc: 2, insns: 2n });
  });

  it('refuses memory commands while running (busy), answers status/identify, and stops', async () => {
    await client.writeProgram(0, [5n, STANDIN_WORDS.spin]);
    await client.run(0);
    const before = snapshot();
    expect((await client.status()).state).toBe('running');
    const err = await client.writeProgram(0, [9n]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BoardRejectedError);
    expect((err as BoardRejectedError).code).toBe('busy');
    await expect(client.run(0)).rejects.toThrow(/refused 'run': busy/);
    await expect(client.readData(0, 1)).rejects.toThrow(/refused 'read-data': busy/);
    expect((await client.identify()).progWords).toBe(PROG_WORDS);
    expect(snapshot().prog).toEqual(before.prog);
    const c1 = (await client.status()).cycles;
    await soc.transport.sleep(0.01);
    expect((await client.status()).cycles).toBeGreaterThan(c1);
    await client.stop();
    expect((await client.status()).state).toBe('stopped');
    await client.writeProgram(0, [9n]);
  });

  describe('bad frames get an error reply and change nothing', () => {
    const cases: { what: string; seq: number; error: ErrorKey; cmd: number; send: (seq: number) => Uint8Array | (() => Promise<void>) }[] = [
      { what: 'a bad CRC', seq: 0x31, error: 'badCrc', cmd: COMMANDS.writeData.code,
        send: (seq) => {
        const f = frame(seq, COMMANDS.writeData.code, [...u32le(0), 0xde, 0xad]);
        f[f.length - 1] ^= 0x01;
        return f;
      } },
      { what: 'an unknown command', seq: 0x32, error: 'unknownCommand', cmd: 0x55,
        send: (seq) => frame(seq, 0x55, [1, 2, 3]) },
      { what: 'the error command sent as a request', seq: 0x33, error: 'unknownCommand', cmd: ERROR_REPLY,
        send: (seq) => frame(seq, ERROR_REPLY, []) },
      { what: 'write-prog with a partial word', seq: 0x34, error: 'badLength', cmd: COMMANDS.writeProg.code,
        send: (seq) => frame(seq, COMMANDS.writeProg.code, [...u32le(0), 1, 2, 3, 4, 5, 6, 7]) },
      { what: 'write-prog with no words', seq: 0x35, error: 'badLength', cmd: COMMANDS.writeProg.code,
        send: (seq) => frame(seq, COMMANDS.writeProg.code, [...u32le(0)]) },
      { what: 'write-data with no bytes', seq: 0x36, error: 'badLength', cmd: COMMANDS.writeData.code,
        send: (seq) => frame(seq, COMMANDS.writeData.code, [...u32le(0)]) },
      { what: 'read-data without a count', seq: 0x37, error: 'badLength', cmd: COMMANDS.readData.code,
        send: (seq) => frame(seq, COMMANDS.readData.code, [...u32le(0)]) },
      { what: 'read-prog of 32 words (reply too big)', seq: 0x38, error: 'badLength', cmd: COMMANDS.readProg.code,
        send: (seq) => frame(seq, COMMANDS.readProg.code, [...u32le(0), 32]) },
      { what: 'read-regs of 0 registers', seq: 0x39, error: 'badLength', cmd: COMMANDS.readRegs.code,
        send: (seq) => frame(seq, COMMANDS.readRegs.code, [...u32le(0), 0]) },
      { what: 'stop with a payload', seq: 0x3a, error: 'badLength', cmd: COMMANDS.stop.code,
        send: (seq) => frame(seq, COMMANDS.stop.code, [0]) },
      { what: 'run with a short entry', seq: 0x3b, error: 'badLength', cmd: COMMANDS.run.code,
        send: (seq) => frame(seq, COMMANDS.run.code, [0, 0]) },
      { what: 'write-data past the end', seq: 0x3c, error: 'outOfRange', cmd: COMMANDS.writeData.code,
        send: (seq) => frame(seq, COMMANDS.writeData.code, [...u32le(DATA_BYTES - 2), 1, 2, 3]) },
      { what: 'write-prog past the end', seq: 0x3d, error: 'outOfRange', cmd: COMMANDS.writeProg.code,
        send: (seq) => frame(seq, COMMANDS.writeProg.code, [...u32le(PROG_WORDS - 1), ...new Uint8Array(16).fill(0xee)]) },
      { what: 'write-regs past r10', seq: 0x3e, error: 'outOfRange', cmd: COMMANDS.writeRegs.code,
        send: (seq) => frame(seq, COMMANDS.writeRegs.code, [...u32le(10), ...new Uint8Array(16).fill(0xee)]) },
      { what: 'read-data at a huge address', seq: 0x3f, error: 'outOfRange', cmd: COMMANDS.readData.code,
        send: (seq) => frame(seq, COMMANDS.readData.code, [...u32le(0x8000_0000), 1]) },
      { what: 'write-data at an address that wraps', seq: 0x40, error: 'outOfRange', cmd: COMMANDS.writeData.code,
        send: (seq) => frame(seq, COMMANDS.writeData.code, [...u32le(0xffff_ffff), 1, 2]) },
      { what: 'a data limit beyond data memory', seq: 0x41, error: 'outOfRange', cmd: COMMANDS.setParam.code,
        send: (seq) => frame(seq, COMMANDS.setParam.code, [...u32le(DATA_BYTES + 1), PARAMS.dataLimit.id]) },
      { what: 'a program length beyond program memory', seq: 0x46, error: 'outOfRange', cmd: COMMANDS.setParam.code,
        send: (seq) => frame(seq, COMMANDS.setParam.code, [...u32le(PROG_WORDS + 1), PARAMS.progLength.id]) },
      { what: 'an unknown run parameter', seq: 0x47, error: 'badParam', cmd: COMMANDS.setParam.code,
        send: (seq) => frame(seq, COMMANDS.setParam.code, [...u32le(0), 0x17]) },
      { what: 'set-param without a parameter id', seq: 0x48, error: 'badLength', cmd: COMMANDS.setParam.code,
        send: (seq) => frame(seq, COMMANDS.setParam.code, [...u32le(0)]) },
      { what: 'run at an entry outside the program memory', seq: 0x42, error: 'outOfRange', cmd: COMMANDS.run.code,
        send: (seq) => frame(seq, COMMANDS.run.code, [...u32le(PROG_WORDS)]) },
      { what: 'a frame that stops half-way', seq: 0x43, error: 'frameTimeout', cmd: COMMANDS.writeData.code,
        send: (seq) => frame(seq, COMMANDS.writeData.code, [...u32le(0), 1, 2, 3]).subarray(0, 6) },
      { what: 'a break in the middle of a frame', seq: 0x44, error: 'framing', cmd: COMMANDS.writeData.code,
        send: (seq) => async () => {
          await soc.transport.write(frame(seq, COMMANDS.writeData.code, [...u32le(0), 7, 7]).subarray(0, 6));
          await soc.transport.writeSegments([{ level: 0, bits: 12 }, { level: 1, bits: 2 }]);
        } },
      { what: 'a byte with a bad stop bit in the middle of a frame', seq: 0x45, error: 'framing', cmd: COMMANDS.writeData.code,
        send: (seq) => async () => {
          await soc.transport.write(frame(seq, COMMANDS.writeData.code, [...u32le(0), 7, 7]).subarray(0, 5));
          await soc.transport.writeSegments(byteSegments(0x66, 0));
          await soc.transport.writeSegments([{ level: 1, bits: 2 }]);
        } },
    ];

    for (const { what, seq, error, cmd, send } of cases) {
      it(what, async () => {
        await client.writeData(0, Uint8Array.of(1, 2, 3, 4));
        await client.setDataLimit(4);
        const before = snapshot();
        expectError(await exchange(send(seq)), error, cmd, seq);
        expect(snapshot()).toEqual(before);
        expect((await client.status()).state).not.toBe('running');
      });
    }
  });

  it('ignores noise between frames', async () => {
    const noise = Uint8Array.from({ length: 40 }, (_, i) => (i * 13) % 0xa0);
    const reply = await exchange(Uint8Array.from([...noise, ...frame(0x50, COMMANDS.identify.code, [])]));
    expect(reply).toMatchObject({ seq: 0x50, cmd: COMMANDS.identify.code });
  });
});
