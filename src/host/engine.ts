// Conformance engines over the host protocol: `board` (a real board on a
// serial port) and `soc-sim` (the cycle-accurate simulation of the whole SoC,
// UART pins included). Both run programs through the same HostClient, so
// soc-sim tests exactly the path a board takes, minus the cable.

import type { Engine, EngineResult } from '../conformance/engine.ts';
import type { Program } from '../program.ts';
import { HostClient } from './client.ts';
import { runOnBoard, type ArgRegisterName, type BoardRunOptions, type BoardRunResult } from './run-program.ts';
import type { Transport } from './transport.ts';

/** An Engine that also owns its connection. */
export interface HostEngine extends Engine {
  readonly client: HostClient;
  /** Run with this engine's timeouts and budget, reporting cycles and instructions too. */
  runDetailed(program: Program, input: Uint8Array, args?: Partial<Record<ArgRegisterName, bigint>>): Promise<BoardRunResult>;
  /** Release the port (or the simulation). */
  close(): Promise<void>;
}

export interface HostEngineOptions extends Pick<BoardRunOptions, 'runTimeoutMs' | 'pollMs' | 'maxInsns'> {
  /** Reply timeout per request. */
  readonly timeoutMs?: number;
}

export function toEngineResult(r: BoardRunResult): EngineResult {
  const counts = { insns: Number(r.insns), cycles: Number(r.cycles) };
  if (r.kind === 'exit') return { kind: 'exit', r0: r.r0, ...counts };
  return { kind: 'fault', message: r.message, code: r.name, pc: r.pc, ...counts };
}

export function createHostEngine(name: string, transport: Transport, opts: HostEngineOptions = {}): HostEngine {
  const client = new HostClient(transport, { timeoutMs: opts.timeoutMs });
  const runDetailed = (program: Program, input: Uint8Array, args?: Partial<Record<ArgRegisterName, bigint>>) =>
    runOnBoard(client, program, { input, args, runTimeoutMs: opts.runTimeoutMs, pollMs: opts.pollMs, maxInsns: opts.maxInsns });
  return {
    name,
    client,
    runDetailed,
    run: async (program, input) => toEngineResult(await runDetailed(program, input)),
    close: () => transport.close(),
  };
}
