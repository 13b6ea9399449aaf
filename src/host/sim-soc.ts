// The simulated SoC as a Transport: elaborate the SoC core (UART + host link
// + a CPU system) for a clock and baud rate, compile it with the TS
// simulator, and connect a SimUartTransport to its UART pins.
//
// Simulation runs at ~1e5 cycles/s, so the default simulated link is as fast
// as the UART allows (4 clock cycles per bit, MIN_DIVISOR): the same
// hardware and protocol, only the baud divisor differs from a board's 115200.

import { socCore, type SocCore } from '../../hdl/soc/soc-core.ts';
import type { HostSystem } from '../../hdl/soc/host-bus.ts';
import { MIN_DIVISOR } from '../../hdl/soc/uart.ts';
import { SimUartTransport } from './sim-transport.ts';
import type { Module } from '../dsl/module.ts';
import { Simulator } from '../../sim/simulator.ts';

export interface SimSocOptions {
  readonly system: HostSystem;
  /** Default 12 MHz (the iCEBreaker's oscillator). */
  readonly clockHz?: number;
  /** Default clockHz / MIN_DIVISOR. */
  readonly baud?: number;
  /** Default: the SoC's own default (10 ms). */
  readonly frameTimeoutCycles?: number;
  /** Compiles the SoC's module (default Simulator.createSync; the soc-sim engine passes the disk cache). */
  readonly simulate?: (top: Module) => Simulator;
}

export interface SimulatedSoc {
  readonly core: SocCore;
  readonly transport: SimUartTransport;
}

export async function createSimulatedSoc(opts: SimSocOptions): Promise<SimulatedSoc> {
  const clockHz = opts.clockHz ?? 12_000_000;
  const baud = opts.baud ?? clockHz / MIN_DIVISOR;
  const core = socCore({ clockHz, baud, system: opts.system, frameTimeoutCycles: opts.frameTimeoutCycles });
  const simulate = opts.simulate ?? ((top: Module) => Simulator.createSync(top));
  const transport = SimUartTransport.attach(simulate(core.module), { clockHz, baud });
  return { core, transport };
}
