// Replies from a board (the host client reading the UART): real reply
// frames built by the project's encoder for each request the client sends,
// then damaged: payloads of the wrong size or content, error replies, other
// sequence numbers and commands, bad CRCs, garbage, bytes cut or split
// across reads. The frame parser must never throw; the client may only
// throw its HostError family (or RequestError for a request it refuses).

import {
  COMMANDS, encodeFrame, encodeIdentify, ERROR_REPLY, FrameParser, HostClient, HostError, IDENTIFY_MAGIC, MAX_PAYLOAD,
  RequestError, RUN_STATES, STATUS_FIELDS, type BoardInfo, type Transport,
} from '../../host/index.ts';
import type { Rng } from '../../random.ts';
import { crash, EXPECTED, type FuzzTarget } from '../engine.ts';
import { concat, mutateBytes, randomBytes } from '../mutate.ts';

const CALLS = ['identify', 'status', 'readProgram', 'readData', 'readRegisters', 'writeData', 'writeProgram', 'run', 'stop', 'setDataLimit'] as const;
type Call = (typeof CALLS)[number];

export interface HostInput {
  readonly call: Call;
  /** Units to read or write (the client splits large transfers into several requests). */
  readonly count: number;
  /** Most bytes one read of the transport returns. */
  readonly chunk: number;
  /** What the board sends after each request, in order (a missing entry: silence). */
  readonly replies: readonly Uint8Array[];
}

const SPEC: Record<Call, (typeof COMMANDS)[keyof typeof COMMANDS]> = {
  identify: COMMANDS.identify, status: COMMANDS.status, readProgram: COMMANDS.readProg, readData: COMMANDS.readData,
  readRegisters: COMMANDS.readRegs, writeData: COMMANDS.writeData, writeProgram: COMMANDS.writeProg, run: COMMANDS.run,
  stop: COMMANDS.stop, setDataLimit: COMMANDS.setParam,
};

const INFO: BoardInfo = {
  version: 1, maxPayload: MAX_PAYLOAD, features: 0xffff, clockHz: 12_000_000, baud: 115200, progWords: 512, dataBytes: 2048,
  dataBase: 0x1000, stackBase: 0x8000, frameSize: 512, maxFrames: 8, faultSet: 1,
};

function littleEndian(values: readonly [number, bigint][]): Uint8Array {
  const out: number[] = [];
  for (const [bytes, v] of values) for (let i = 0; i < bytes; i++) out.push(Number((BigInt.asUintN(64, v) >> BigInt(8 * i)) & 0xffn));
  return Uint8Array.from(out);
}

/** The payload a correct board sends for request `k` of the call. */
function goodPayload(rng: Rng, call: Call, count: number, k: number): Uint8Array {
  const spec = SPEC[call];
  if (spec.reply === 'identify') return encodeIdentify(INFO);
  if (spec.reply === 'status') {
    const state = BigInt(rng.pick(Object.values(RUN_STATES)));
    return littleEndian(STATUS_FIELDS.map((f) => [f.bytes, f.key === 'state' ? state : rng.u64()]));
  }
  if (spec.reply === 'read') {
    const unit = spec.request.kind === 'read' ? spec.request.unit : 1;
    const per = Math.floor(MAX_PAYLOAD / unit);
    const n = Math.max(0, Math.min(per, count - k * per));
    return Uint8Array.from({ length: n * unit }, () => rng.int(0, 255));
  }
  return new Uint8Array();
}

/** A reply for request k (sequence number k + 1), damaged or not. */
function reply(rng: Rng, call: Call, count: number, k: number): Uint8Array {
  const seq = (k + 1) & 0xff;
  const cmd = SPEC[call].code;
  let payload = goodPayload(rng, call, count, k);
  let frameSeq = seq;
  let frameCmd: number = cmd;
  switch (rng.int(0, 9)) {
    case 0: payload = payload.slice(0, rng.int(0, payload.length)); break;
    case 1: payload = concat(payload, randomBytes(rng, 8)); break;
    case 2: payload = rng.chance(0.5) ? Uint8Array.from([rng.int(0, 20), cmd]) : randomBytes(rng, 4); frameCmd = ERROR_REPLY; break;
    case 3: frameSeq = rng.int(0, 255); break;
    case 4: frameCmd = rng.int(0, 255); break;
    case 5: payload = mutateBytes(rng, payload); break;
    case 6: if (call === 'identify') payload = concat(Uint8Array.from(IDENTIFY_MAGIC.map((b) => b ^ 1)), payload.subarray(4)); break;
    default: break; // a good reply: the damage, if any, comes below
  }
  let frame = encodeFrame('reply', { seq: frameSeq, cmd: frameCmd, payload: payload.slice(0, MAX_PAYLOAD) });
  if (rng.chance(0.3)) frame = mutateBytes(rng, frame);
  if (rng.chance(0.2)) frame = concat(randomBytes(rng, 12), frame);
  if (rng.chance(0.1)) frame = concat(frame, frame);
  return frame;
}

/** A transport whose "board" answers request k with replies[k], in simulated time. */
class ScriptedTransport implements Transport {
  readonly name = 'fuzz board';
  private clock = 0;
  private queue: Uint8Array = new Uint8Array();
  private requests = 0;

  constructor(private readonly input: HostInput) {}

  async write(bytes: Uint8Array): Promise<void> {
    void bytes;
    this.queue = concat(this.queue, this.input.replies[this.requests++] ?? new Uint8Array());
  }

  async read(timeoutMs: number): Promise<Uint8Array> {
    if (this.queue.length === 0) {
      this.clock += Math.max(1, timeoutMs);
      return new Uint8Array();
    }
    const n = Math.max(1, Math.min(this.input.chunk, this.queue.length));
    const out = this.queue.slice(0, n);
    this.queue = this.queue.slice(n);
    this.clock += 0.1;
    return out;
  }

  now(): number {
    return this.clock;
  }

  async sleep(ms: number): Promise<void> {
    this.clock += ms;
  }

  async discardInput(): Promise<void> {
    this.queue = new Uint8Array();
  }

  async close(): Promise<void> {}
}

export const hostFramesTarget: FuzzTarget<HostInput> = {
  name: 'host',
  describe: 'reply frames from a board -> FrameParser, HostClient (identify, status, reads, writes, run, stop)',
  prepare() {
    return (rng) => {
      const call = rng.pick(CALLS);
      const count = rng.chance(0.8) ? rng.int(1, 40) : rng.int(0, 600);
      const requests = Math.min(8, Math.max(1, Math.ceil(count / 31)));
      const replies = Array.from({ length: requests + rng.int(-1, 1) }, (_, k) => reply(rng, call, count, k));
      return { call, count, chunk: rng.pick([1, 2, 7, 64, 1024]), replies };
    };
  },
  async run(input) {
    // The parser alone, fed in chunks: it may never throw.
    const parser = new FrameParser('reply');
    for (const r of input.replies) {
      for (let at = 0; at < r.length; at += input.chunk) {
        for (const item of parser.push(r.subarray(at, at + input.chunk))) {
          if (item.kind === 'frame') encodeFrame('reply', item.frame);
        }
      }
    }
    const client = new HostClient(new ScriptedTransport(input), { timeoutMs: 50 });
    const n = input.count;
    switch (input.call) {
      case 'identify': await client.identify(); break;
      case 'status': await client.status(); break;
      case 'readProgram': await client.readProgram(0, n); break;
      case 'readData': await client.readData(0, n); break;
      case 'readRegisters': await client.readRegisters(0, n); break;
      case 'writeData': await client.writeData(0, new Uint8Array(n)); break;
      case 'writeProgram': await client.writeProgram(0, Array.from({ length: n }, () => 0n)); break;
      case 'run': await client.run(n); break;
      case 'stop': await client.stop(); break;
      case 'setDataLimit': await client.setDataLimit(n); break;
    }
  },
  judge(err) {
    if (err instanceof HostError || err instanceof RequestError) return EXPECTED;
    return crash('not a HostError (nor a RequestError for a request the client refuses)');
  },
};
