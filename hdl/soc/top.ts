// The SoC for a board: the SoC core (UART + host link + CPU system), the LEDs,
// a power-on reset and, when the core should run at another frequency than
// the board's oscillator, a PLL. Port names follow the board conventions of
// src/board/pcf.ts (clk, uart_rx, uart_tx, led_<name>), so the PCF comes from
// the board description alone.

import { C, Module, toVerilog } from '../../src/dsl/index.ts';
import type { BoardDescription } from '../../src/board/types.ts';
import type { HostSystem } from './host-bus.ts';
import { ledDriver } from './leds.ts';
import { planPll, pllWrapperVerilog, type PllPlan, type WrapperPort } from './pll.ts';
import { socCore, type SocCore } from './soc-core.ts';
import { DEFAULT_BAUD } from './uart.ts';

export const TOP_NAME = 'bpfgate_top';
/** Name of the DSL part when a PLL wrapper becomes the top. */
export const SOC_NAME = 'bpfgate_soc';

export interface SocTopOptions {
  readonly board: BoardDescription;
  readonly system: HostSystem;
  /** Core clock; default the board's oscillator (no PLL). */
  readonly coreMHz?: number;
  /** Host link baud rate; default 115200. */
  readonly baud?: number;
}

export interface SocVerilogOptions extends SocTopOptions {
  /** One flat Verilog module for the DSL part (default: one module per DSL module). */
  readonly flatten?: boolean;
}

export interface SocTop {
  /** The DSL module (the whole top without a PLL, the part inside the wrapper with one). */
  readonly module: Module;
  readonly core: SocCore;
  readonly coreClockHz: number;
  readonly pll?: PllPlan;
}

/** Cycles the power-on reset holds the SoC in reset (after the PLL locks). */
export const POR_CYCLES = 15;

export function socTop(opts: SocTopOptions): SocTop {
  const { board } = opts;
  if (!board.uart) {
    throw new RangeError(`board '${board.id}' (${board.title}) has no UART wired to the FPGA; the host link needs one`);
  }
  const pll = opts.coreMHz !== undefined && opts.coreMHz !== board.clock.mhz ? planPll(board.clock.mhz, opts.coreMHz) : undefined;
  const coreClockHz = (pll?.outMHz ?? board.clock.mhz) * 1e6;
  const core = socCore({ clockHz: coreClockHz, baud: opts.baud ?? DEFAULT_BAUD, system: opts.system });

  const m = new Module(pll ? SOC_NAME : TOP_NAME);
  const lock = pll ? m.input('pll_lock', 1) : C(1, 1);
  const rx = m.input('uart_rx', 1);
  const tx = m.output('uart_tx', 1);

  // Power-on reset: flip-flops power up at their init values, so a counter
  // without reset can hold everything else in reset for a few cycles (and
  // until the PLL locks).
  const por = m.reg('por_count', 4, { resetless: true, init: 0 });
  const porDone = por.eq(POR_CYCLES);
  m.If(lock.not(), () => m.sync(por, 0)).Elif(porDone.not(), () => m.sync(por, por.add(1)));
  const rst = porDone.not();

  const u = m.instance('u_core', core.module, { uart_rx: rx }, { rst });
  m.comb(tx, u.o.uart_tx);
  const leds = m.instance('u_leds', ledDriver(board.leds, coreClockHz), { run_state: u.o.run_state }, { rst });
  for (const led of board.leds) m.comb(m.output(`led_${led.name}`, 1), leds.o[`led_${led.name}`]);
  return { module: m, core, coreClockHz, pll };
}

export interface SocVerilog extends SocTop {
  readonly verilog: string;
  /** Top module name for synthesis (always TOP_NAME). */
  readonly top: string;
}

/** Verilog of the whole SoC for a board, ready for src/toolchain's buildBitstream. */
export function socVerilog(opts: SocVerilogOptions): SocVerilog {
  const t = socTop(opts);
  const header = `bpfgate SoC for ${opts.board.title}: core clock ${(t.coreClockHz / 1e6).toFixed(3)} MHz, ${opts.baud ?? DEFAULT_BAUD} baud`;
  let verilog = toVerilog(t.module, { header, flatten: opts.flatten ?? false });
  if (t.pll) {
    const ports: WrapperPort[] = [
      { name: 'uart_rx', dir: 'input' },
      { name: 'uart_tx', dir: 'output' },
      ...opts.board.leds.map((l): WrapperPort => ({ name: `led_${l.name}`, dir: 'output' })),
    ];
    verilog += '\n' + pllWrapperVerilog(t.pll, opts.board.device, TOP_NAME, SOC_NAME, ports);
  }
  return { ...t, verilog, top: TOP_NAME };
}
