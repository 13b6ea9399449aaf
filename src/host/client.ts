// The host side of the protocol: one request at a time, each answered by a
// reply with the same sequence number, over any Transport. Large transfers
// are split into frames here, so callers think in whole programs and buffers.

import { BoardRejectedError, HostTimeoutError, ProtocolError } from './errors.ts';
import { encodeFrame, FrameParser } from './frame.ts';
import { bytesToWords, emptyRequest, paramRequest, readRequest, registerValues, valueRequest, wordsToBytes, writeRequest } from './messages.ts';
import { decodeError, decodeIdentify, decodeStatus, type BoardInfo, type BoardStatus } from '../abi/replies.ts';
import { COMMANDS, commandName, ERROR_REPLY, errorByCode, maxReadCount, maxWriteCount, PARAMS, type CommandSpec, type ParamSpec } from '../abi/protocol.ts';
import type { Transport } from './transport.ts';

export interface ClientOptions {
  /** How long to wait for each reply (transport time: wall clock, or simulated). Default 1000 ms. */
  readonly timeoutMs?: number;
}

export class HostClient {
  private seq = 0;
  private info: BoardInfo | undefined;
  readonly timeoutMs: number;

  constructor(
    readonly transport: Transport,
    opts: ClientOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 1000;
  }

  /**
   * Send one request and return the reply payload. Replies with another
   * sequence number (late answers to an earlier, timed-out request) are
   * skipped.
   */
  async request(spec: CommandSpec, payload: Uint8Array, timeoutMs = this.timeoutMs): Promise<Uint8Array> {
    const { transport } = this;
    this.seq = (this.seq + 1) & 0xff;
    const seq = this.seq;
    await transport.discardInput();
    await transport.write(encodeFrame('request', { seq, cmd: spec.code, payload }));

    const parser = new FrameParser('reply');
    const deadline = transport.now() + timeoutMs;
    let received = 0;
    for (;;) {
      const left = deadline - transport.now();
      if (left <= 0) break;
      const bytes = await transport.read(left);
      received += bytes.length;
      for (const item of parser.push(bytes)) {
        if (item.kind === 'bad-crc') {
          if (item.seq !== seq) continue;
          throw new ProtocolError(
            `${transport.name}: the reply to '${spec.name}' failed its CRC check (CRC 0x${item.got.toString(16)}, expected 0x${item.expected.toString(16)}): line noise or a wrong baud rate`,
          );
        }
        const f = item.frame;
        if (f.seq !== seq) continue;
        if (f.cmd === ERROR_REPLY) throw this.rejected(spec, f.payload);
        if (f.cmd !== spec.code) {
          throw new ProtocolError(`${transport.name}: asked '${spec.name}', the board answered '${commandName(f.cmd)}'`);
        }
        return f.payload;
      }
    }
    const heard = received === 0
      ? 'nothing at all: is the bpfgate bitstream loaded, and is this its UART' + this.baudHint() + '?'
      : `${received} byte(s) but no complete reply (${parser.skipped} not part of any frame): wrong baud rate or a different protocol?`;
    throw new HostTimeoutError(`${transport.name}: no reply to '${spec.name}' within ${Math.round(timeoutMs)} ms; heard ${heard}`);
  }

  private baudHint(): string {
    return this.info ? ` (at ${this.info.baud} baud)` : '';
  }

  private rejected(spec: CommandSpec, payload: Uint8Array): BoardRejectedError {
    let what = `unreadable error reply (${payload.length} bytes)`;
    let code = 'unknown';
    try {
      const e = decodeError(payload);
      const known = errorByCode(e.error);
      code = known?.name ?? `error-${e.error}`;
      what = known ? `${known.name}: ${known.text}` : `error code ${e.error}`;
    } catch {
      // keep the generic text
    }
    return new BoardRejectedError(`${this.transport.name}: the board refused '${spec.name}': ${what}`, code);
  }

  // ---- commands -------------------------------------------------------------

  async identify(): Promise<BoardInfo> {
    const payload = await this.request(COMMANDS.identify, emptyRequest());
    try {
      this.info = decodeIdentify(payload);
    } catch (e) {
      throw new ProtocolError(`${this.transport.name}: ${(e as Error).message}`);
    }
    return this.info;
  }

  /** The identify reply, asked once per client. */
  async boardInfo(): Promise<BoardInfo> {
    return this.info ?? this.identify();
  }

  async writeProgram(slot: number, words: readonly bigint[]): Promise<void> {
    const per = maxWriteCount(8);
    for (let i = 0; i < words.length; i += per) {
      await this.request(COMMANDS.writeProg, writeRequest(COMMANDS.writeProg, slot + i, wordsToBytes(words.slice(i, i + per))));
    }
  }

  async readProgram(slot: number, count: number): Promise<bigint[]> {
    return bytesToWords(await this.readChunks(COMMANDS.readProg, slot, count));
  }

  async writeData(offset: number, bytes: Uint8Array): Promise<void> {
    const per = maxWriteCount(1);
    for (let i = 0; i < bytes.length; i += per) {
      await this.request(COMMANDS.writeData, writeRequest(COMMANDS.writeData, offset + i, bytes.subarray(i, i + per)));
    }
  }

  async readData(offset: number, count: number): Promise<Uint8Array> {
    return this.readChunks(COMMANDS.readData, offset, count);
  }

  async writeRegisters(first: number, values: readonly bigint[]): Promise<void> {
    await this.request(COMMANDS.writeRegs, writeRequest(COMMANDS.writeRegs, first, registerValues(first, values)));
  }

  async readRegisters(first: number, count: number): Promise<bigint[]> {
    return bytesToWords(await this.readChunks(COMMANDS.readRegs, first, count));
  }

  async setParam(param: ParamSpec, value: number): Promise<void> {
    await this.request(COMMANDS.setParam, paramRequest(param, value));
  }

  async setDataLimit(bytes: number): Promise<void> {
    await this.setParam(PARAMS.dataLimit, bytes);
  }

  async run(entry: number): Promise<void> {
    await this.request(COMMANDS.run, valueRequest(entry));
  }

  async stop(): Promise<void> {
    await this.request(COMMANDS.stop, emptyRequest());
  }

  async status(): Promise<BoardStatus> {
    const payload = await this.request(COMMANDS.status, emptyRequest());
    try {
      return decodeStatus(payload);
    } catch (e) {
      throw new ProtocolError(`${this.transport.name}: ${(e as Error).message}`);
    }
  }

  private async readChunks(
    spec: typeof COMMANDS.readProg | typeof COMMANDS.readData | typeof COMMANDS.readRegs, address: number, count: number,
  ): Promise<Uint8Array> {
    const unit = spec.request.unit;
    const per = maxReadCount(unit);
    const out = new Uint8Array(count * unit);
    for (let i = 0; i < count; i += per) {
      const n = Math.min(per, count - i);
      const payload = await this.request(spec, readRequest(spec, address + i, n));
      if (payload.length !== n * unit) {
        throw new ProtocolError(`${this.transport.name}: '${spec.name}' of ${n} unit(s) returned ${payload.length} bytes, expected ${n * unit}`);
      }
      out.set(payload, i * unit);
    }
    return out;
  }
}
