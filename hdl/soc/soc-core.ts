// The board-independent part of the SoC: UART + host link + CPU system. Pins
// are plain ports (uart_rx in, uart_tx out, run_state out for the LEDs); the
// board top (top.ts) adds the clock, reset, LED polarity and pin names. The
// simulated SoC (src/host/sim-transport.ts) drives this module's UART pins.

import { Module } from '../../src/dsl/index.ts';
import { HostReq, type HostSystem } from './host-bus.ts';
import { defaultFrameTimeoutCycles, hostLink } from './host-link.ts';
import { planBaud, uartRx, uartTx, type BaudPlan } from './uart.ts';

export interface SocCoreConfig {
  readonly clockHz: number;
  readonly baud: number;
  readonly system: HostSystem;
  /** Default: 10 ms of clock cycles (defaultFrameTimeoutCycles). */
  readonly frameTimeoutCycles?: number;
}

export interface SocCore {
  readonly module: Module;
  readonly plan: BaudPlan;
  readonly system: HostSystem;
  readonly frameTimeoutCycles: number;
}

export function socCore(cfg: SocCoreConfig): SocCore {
  const plan = planBaud({ clockHz: cfg.clockHz, baud: cfg.baud });
  const frameTimeoutCycles = cfg.frameTimeoutCycles ?? defaultFrameTimeoutCycles(cfg.clockHz);
  const m = new Module('soc_core');
  const rxPin = m.input('uart_rx', 1);
  const txPin = m.output('uart_tx', 1);
  const runState = m.output('run_state', 3);

  const rx = m.instance('u_rx', uartRx(plan), { rx: rxPin });
  const txReady = m.wire('tx_ready', 1);
  const txData = m.wire('tx_data', 8);
  const txStart = m.wire('tx_start', 1);
  const tx = m.instance('u_tx', uartTx(plan), { data: txData, start: txStart });
  m.comb(txReady, tx.o.ready);
  m.comb(txPin, tx.o.tx);

  const link = hostLink({ plan, system: cfg.system.info, frameTimeoutCycles });
  const hostReq = m.wire('host_req', HostReq);
  const sys = m.instance('u_sys', cfg.system.module, { host_req: hostReq });
  m.instance('u_link', link, {
    rx_data: rx.o.data, rx_valid: rx.o.valid, rx_error: rx.o.frame_error,
    tx_data: txData, tx_start: txStart, tx_ready: txReady,
    host_req: hostReq, host_resp: sys.o.host_resp,
  });
  m.comb(runState, sys.o.host_resp.state);
  return { module: m, plan, system: cfg.system, frameTimeoutCycles };
}
