// The host link on the command line: `bpfgate run PROGRAM --port DEV` (a
// board) or `--sim` (the simulated SoC, through the same protocol code), and
// the `board` / `soc-sim` engines of `bpfgate conformance`.
//
// Wiring (for src/cli): in `run`, addHostRunOptions(command) and, when
// hostTargetOf(opts) is defined,
// `process.exitCode = await hostRun(program, input, args, target, expected)`.
// (The `board` and `soc-sim` engines themselves are in src/engines/registry.ts.)

import type { Command } from 'commander';
import type { CpuConfig } from '../../../hdl/cpu/config.ts';
import type { Program } from '../../program.ts';
import { createBoardEngine, createSocSimEngine, SOC_SIM_RUN_TIMEOUT_MS } from '../../host/engines.ts';
import type { HostEngine } from '../../host/engine.ts';
import type { ArgRegisterName, BoardRunResult } from '../../host/run-program.ts';
import { hex64, parsePositiveInt } from '../args.ts';
import { UserError } from '../errors.ts';

export interface HostTarget {
  /** Serial device of a board. */
  readonly port?: string;
  /** The simulated SoC instead of a board. */
  readonly sim?: boolean;
  readonly baud?: number;
  /** Reply timeout per request, ms. */
  readonly timeoutMs?: number;
  /** Stop the program after this long, ms (simulated time with --sim). */
  readonly runTimeoutMs?: number;
  readonly maxInsns?: number;
  /** The simulated SoC's CPU build (default: the SoC's default build). */
  readonly cpu?: Partial<CpuConfig>;
}

interface HostRunFlags {
  port?: string;
  sim?: boolean;
  baud?: string;
  timeout?: string;
  runTimeout?: string;
  maxInsns?: string;
}

/** Adds --port, --sim, --baud, --timeout and --run-timeout to a command. */
export function addHostRunOptions(cmd: Command): Command {
  return cmd
    .option('--port <device>', 'run on a board through its UART (e.g. /dev/ttyUSB1)')
    .option('--sim', 'run on the simulated SoC (the CPU plus UART and host link), through the same protocol')
    .option('--baud <rate>', 'host link baud rate (board default 115200)')
    .option('--timeout <ms>', 'reply timeout per request (default 1000 on a board)')
    .option('--run-timeout <ms>', `stop a program still running after this long (default 10000 on a board, ${SOC_SIM_RUN_TIMEOUT_MS} simulated with --sim)`);
}

/** The host target the options ask for, or undefined when they name none. */
export function hostTargetOf(flags: HostRunFlags): HostTarget | undefined {
  if (flags.port === undefined && !flags.sim) return undefined;
  if (flags.port !== undefined && flags.sim) throw new UserError('give either --port (a board) or --sim, not both');
  const num = (v: string | undefined, what: string): number | undefined => (v === undefined ? undefined : parsePositiveInt(v, what));
  return {
    ...(flags.port !== undefined ? { port: flags.port } : {}),
    ...(flags.sim ? { sim: true } : {}),
    baud: num(flags.baud, '--baud'),
    timeoutMs: num(flags.timeout, '--timeout'),
    runTimeoutMs: num(flags.runTimeout, '--run-timeout'),
    maxInsns: num(flags.maxInsns, '--max-insns'),
  };
}

export async function openHostEngine(target: HostTarget): Promise<HostEngine> {
  const common = { timeoutMs: target.timeoutMs, runTimeoutMs: target.runTimeoutMs, maxInsns: target.maxInsns };
  if (target.sim) return createSocSimEngine({ ...common, ...(target.baud ? { baud: target.baud } : {}), ...(target.cpu ? { cpu: target.cpu } : {}) });
  if (target.port === undefined) throw new UserError('the board engine needs --port <device> (e.g. --port /dev/ttyUSB1)');
  return createBoardEngine({ ...common, port: target.port, baud: target.baud });
}

/** The lines `bpfgate run` prints for a host run. */
export function formatHostResult(r: BoardRunResult): string {
  const head = r.kind === 'exit' ? `r0: ${hex64(r.r0)} (${BigInt.asIntN(64, r.r0)})` : `fault: ${r.message}`;
  return `${head}\ncycles: ${r.cycles}\ninsns: ${r.insns}\n`;
}

/**
 * Run a program on a board or the simulated SoC and print r0 (or, to
 * `writeError`, the fault), cycles and instructions. Returns the exit code:
 * 0, 1 when r0 differs from `expected`, 2 for a fault.
 */
export async function hostRun(
  program: Program,
  input: Uint8Array,
  args: Partial<Record<ArgRegisterName, bigint>>,
  target: HostTarget,
  expected?: bigint,
  write: (text: string) => void = (t) => process.stdout.write(t),
  writeError: (text: string) => void = (t) => process.stderr.write(t),
): Promise<number> {
  const engine = await openHostEngine(target);
  try {
    const result = await engine.runDetailed(program, input, args);
    const [head, ...rest] = formatHostResult(result).split('\n');
    (result.kind === 'fault' ? writeError : write)(`${head}\n`);
    write(rest.join('\n'));
    if (result.kind === 'fault') return 2;
    if (expected === undefined) return 0;
    const ok = BigInt.asUintN(64, result.r0) === BigInt.asUintN(64, expected);
    write(`expected: ${hex64(expected)} ${ok ? '(match)' : '(MISMATCH)'}\n`);
    return ok ? 0 : 1;
  } finally {
    await engine.close();
  }
}
