// Running one Program on a board (or the simulated SoC) through the host
// protocol, with the same start state as every other bpfgate engine:
//   data memory  [globals][padding to 8][input bytes], data limit = its length
//   r1 = dataBase + packetOffset (the input), r2 = input length, r3..r5 = 0
//   (any of r1..r5 can be overridden), r0 and r6..r9 = 0; the core sets r10.
// The program length is set too, so control leaving the program faults
// (bad-jump) instead of running whatever an earlier program left there.

import { DEFAULT_MAX_INSNS } from '../interp/types.ts';
import { insnToWord } from '../isa/encoding.ts';
import { packetOffset, type Program } from '../program.ts';
import type { HostClient } from './client.ts';
import { HostError } from './errors.ts';
import { describeFault } from '../abi/fault-sets.ts';
import type { BoardInfo, BoardStatus } from '../abi/replies.ts';
import { PARAMS } from '../abi/protocol.ts';

export type ArgRegisterName = 'r1' | 'r2' | 'r3' | 'r4' | 'r5';

export interface BoardRunOptions {
  /** Packet/input bytes (r1 points at them, r2 is their length). */
  readonly input?: Uint8Array;
  /** Overrides of r1..r5. */
  readonly args?: Partial<Record<ArgRegisterName, bigint>>;
  /** Instruction budget: the core faults (`budget`) after this many. Default: the interpreter's (DEFAULT_MAX_INSNS). */
  readonly maxInsns?: number;
  /** Give up (stop the core) after this long running, in the transport's time. Default 10 s. */
  readonly runTimeoutMs?: number;
  /** Time between status polls while the program runs. Default 2 ms. */
  readonly pollMs?: number;
}

export type BoardRunResult =
  | { readonly kind: 'exit'; readonly r0: bigint; readonly cycles: bigint; readonly insns: bigint; readonly pc: number }
  | {
      readonly kind: 'fault';
      /** The board's fault code, 0 for a run the host had to stop (timeout). */
      readonly code: number;
      /** Name in the interpreter's vocabulary when known (e.g. `out-of-bounds`), or `timeout`. */
      readonly name: string;
      readonly message: string;
      readonly pc: number;
      readonly cycles: bigint;
      readonly insns: bigint;
    };

/** The bytes of data memory a run starts with. */
export function dataImage(program: Program, input: Uint8Array): Uint8Array {
  const at = packetOffset(program);
  const image = new Uint8Array(at + input.length);
  if (program.globals) image.set(program.globals, 0);
  image.set(input, at);
  return image;
}

/** r0..r9 at the start of a run (r10, the frame pointer, is the core's). */
export function initialRegisters(program: Program, input: Uint8Array, info: BoardInfo, args: BoardRunOptions['args'] = {}): bigint[] {
  const regs = Array.from({ length: 10 }, () => 0n);
  regs[1] = BigInt(info.dataBase + packetOffset(program));
  regs[2] = BigInt(input.length);
  for (const [name, value] of Object.entries(args)) {
    if (value !== undefined) regs[Number(name.slice(1))] = BigInt.asUintN(64, value);
  }
  return regs;
}

/** Load everything a run needs; throws a HostError when the program or data do not fit the board. */
export async function loadRun(client: HostClient, program: Program, opts: BoardRunOptions = {}): Promise<BoardInfo> {
  const info = await client.boardInfo();
  const input = opts.input ?? new Uint8Array(0);
  const where = client.transport.name;
  if (program.insns.length > info.progWords) {
    throw new HostError(`${where}: the program has ${program.insns.length} slots; the board's program memory holds ${info.progWords}`);
  }
  const image = dataImage(program, input);
  if (image.length > info.dataBytes) {
    throw new HostError(`${where}: globals and input need ${image.length} bytes of data memory; the board has ${info.dataBytes}`);
  }
  await client.writeProgram(0, program.insns.map(insnToWord));
  if (image.length > 0) await client.writeData(0, image);
  await client.setParam(PARAMS.progLength, program.insns.length);
  await client.setParam(PARAMS.dataLimit, image.length);
  await client.setParam(PARAMS.packetOffset, packetOffset(program));
  await client.setParam(PARAMS.packetLength, input.length);
  await client.setParam(PARAMS.insnBudget, opts.maxInsns ?? DEFAULT_MAX_INSNS);
  await client.writeRegisters(0, initialRegisters(program, input, info, opts.args));
  return info;
}

/** Load, run to the end (or the timeout) and report what happened. */
export async function runOnBoard(client: HostClient, program: Program, opts: BoardRunOptions = {}): Promise<BoardRunResult> {
  const info = await loadRun(client, program, opts);
  await client.run(program.entry);
  const status = await waitForEnd(client, opts.runTimeoutMs ?? 10_000, opts.pollMs ?? 2);
  return resultOf(status, info, opts.runTimeoutMs ?? 10_000);
}

/**
 * Poll until the core is no longer running; past the timeout, stop it. A
 * stopped core reads back zero counters, so a stopped run reports the
 * counters of the last status read while it ran.
 */
export async function waitForEnd(client: HostClient, timeoutMs: number, pollMs: number): Promise<BoardStatus & { timedOut: boolean }> {
  const t = client.transport;
  const deadline = t.now() + timeoutMs;
  for (;;) {
    const s = await client.status();
    if (s.state !== 'running') return { ...s, timedOut: false };
    if (t.now() >= deadline) {
      await client.stop();
      const after = await client.status();
      return { ...after, cycles: s.cycles, insns: s.insns, timedOut: true };
    }
    await t.sleep(pollMs);
  }
}

function resultOf(s: BoardStatus & { timedOut: boolean }, info: BoardInfo, timeoutMs: number): BoardRunResult {
  const common = { pc: s.pc, cycles: s.cycles, insns: s.insns };
  if (s.timedOut) {
    // The core does not report the pc of a running program, so the message names none.
    return {
      kind: 'fault', code: 0, name: 'timeout', ...common,
      message: `still running after ${timeoutMs} ms (${s.cycles} cycles, ${s.insns} instructions); stopped by the host (raise --run-timeout, or lower --max-insns to stop at a pc)`,
    };
  }
  switch (s.state) {
    case 'exited':
      return { kind: 'exit', r0: s.r0, ...common };
    case 'fault': {
      const name = describeFault(info.faultSet, s.fault);
      return { kind: 'fault', code: s.fault, name, message: `pc ${s.pc}: ${name}`, ...common };
    }
    default:
      throw new HostError(`the board reports state '${s.state}' after a run; expected exited or fault`);
  }
}
