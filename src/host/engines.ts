// The two host-protocol engines, ready to use: `board` (a serial port) and
// `soc-sim` (the simulated SoC with the bpfgate CPU, UART pins included).

import { cpuSystem, socCpuConfig } from '../../hdl/soc/cpu-system.ts';
import type { CpuConfig } from '../../hdl/cpu/config.ts';
import { createHostEngine, type HostEngine, type HostEngineOptions } from './engine.ts';
import { SerialTransport } from './serial-transport.ts';
import { createSimulatedSoc } from './sim-soc.ts';
import { cachedSimulator } from '../../sim/sim-cache.ts';

export interface BoardEngineOptions extends HostEngineOptions {
  /** Serial device of the board's UART, e.g. /dev/ttyUSB1. */
  readonly port: string;
  readonly baud?: number;
}

export async function createBoardEngine(opts: BoardEngineOptions): Promise<HostEngine> {
  const transport = await SerialTransport.open({ path: opts.port, baud: opts.baud });
  return createHostEngine('board', transport, opts);
}

/** Default run timeout of the simulated SoC, in simulated ms. */
export const SOC_SIM_RUN_TIMEOUT_MS = 100;

export interface SocSimEngineOptions extends HostEngineOptions {
  /** CPU build (default: socCpuConfig(), the board build). */
  readonly cpu?: Partial<CpuConfig>;
  /** Default 12 MHz. */
  readonly clockHz?: number;
  /** Default clockHz / 4: the fastest link the UART supports. */
  readonly baud?: number;
}

/**
 * Times are simulated: the defaults suit a fast simulated link (a reply in
 * well under 1 ms) and bound a run at 100 ms of SoC time (1.2M cycles at
 * 12 MHz, about ten seconds of simulation).
 */
export async function createSocSimEngine(opts: SocSimEngineOptions = {}): Promise<HostEngine> {
  const cfg = socCpuConfig(opts.cpu);
  const soc = await createSimulatedSoc({
    system: cpuSystem(cfg),
    clockHz: opts.clockHz,
    baud: opts.baud,
    // The SoC is a function of these and the sources (sim-cache.ts hashes those).
    simulate: (top) => cachedSimulator({ design: 'soc-core', cfg, clockHz: opts.clockHz, baud: opts.baud }, () => top),
  });
  return createHostEngine('soc-sim', soc.transport, {
    timeoutMs: opts.timeoutMs ?? 20,
    runTimeoutMs: opts.runTimeoutMs ?? SOC_SIM_RUN_TIMEOUT_MS,
    pollMs: opts.pollMs ?? 0.05,
    maxInsns: opts.maxInsns,
  });
}
