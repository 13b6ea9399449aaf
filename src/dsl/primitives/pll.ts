// SB_PLL40_PAD / SB_PLL40_CORE. The DSL has one clock domain and the
// simulator one step per clock, so the simulation model passes the input
// clock straight through and reports LOCK=1. Use Module.clockFrom() to clock a
// module from the PLL output in the generated Verilog.

import { Primitive, type ParamValue, type PrimitiveDef, type PrimPort, type PrimSimInstance } from './types.ts';

function ports(input: 'PACKAGEPIN' | 'REFERENCECLK'): PrimPort[] {
  return [
    { name: input, dir: 'in', width: 1, default: 0n },
    { name: 'EXTFEEDBACK', dir: 'in', width: 1, default: 0n },
    { name: 'DYNAMICDELAY', dir: 'in', width: 8, default: 0n },
    { name: 'BYPASS', dir: 'in', width: 1, default: 0n },
    { name: 'RESETB', dir: 'in', width: 1, default: 1n },
    { name: 'LATCHINPUTVALUE', dir: 'in', width: 1, default: 0n },
    { name: 'SDI', dir: 'in', width: 1, default: 0n },
    { name: 'SCLK', dir: 'in', width: 1, default: 0n },
    { name: 'PLLOUTCORE', dir: 'out', width: 1 },
    { name: 'PLLOUTGLOBAL', dir: 'out', width: 1 },
    { name: 'LOCK', dir: 'out', width: 1 },
    { name: 'SDO', dir: 'out', width: 1 },
  ];
}

class PllSim implements PrimSimInstance {
  readonly ins = new Int32Array(8);
  readonly outs = new Int32Array(4);
  reset(): void {}
  comb(): void {
    const clk = this.ins[0]!;
    this.outs[0] = clk;
    this.outs[1] = clk;
    this.outs[2] = this.ins[4]! ? 1 : 0; // locked unless held in reset
    this.outs[3] = 0;
  }
  tick(): void {}
}

const PARAM_WIDTHS = { SHIFTREG_DIV_MODE: 1, FDA_FEEDBACK: 4, FDA_RELATIVE: 4, DIVR: 4, DIVF: 7, DIVQ: 3, FILTER_RANGE: 3, ENABLE_ICEGATE: 1, TEST_MODE: 1 };

function def(type: 'SB_PLL40_PAD' | 'SB_PLL40_CORE'): PrimitiveDef {
  return {
    type,
    ports: ports(type === 'SB_PLL40_PAD' ? 'PACKAGEPIN' : 'REFERENCECLK'),
    paramWidths: PARAM_WIDTHS,
    combInputs: () => [type === 'SB_PLL40_PAD' ? 'PACKAGEPIN' : 'REFERENCECLK', 'RESETB'],
    createSim: () => new PllSim(),
  };
}

export const SB_PLL40_PAD = def('SB_PLL40_PAD');
export const SB_PLL40_CORE = def('SB_PLL40_CORE');

export interface PllParams {
  DIVR: number;
  DIVF: number;
  DIVQ: number;
  FILTER_RANGE: number;
  FEEDBACK_PATH?: string;
  PLLOUT_SELECT?: string;
}

function params(p: PllParams): Record<string, ParamValue> {
  return { FEEDBACK_PATH: p.FEEDBACK_PATH ?? 'SIMPLE', PLLOUT_SELECT: p.PLLOUT_SELECT ?? 'GENCLK', DIVR: p.DIVR, DIVF: p.DIVF, DIVQ: p.DIVQ, FILTER_RANGE: p.FILTER_RANGE };
}

/** PLL fed from a package pin (icepll computes DIVR/DIVF/DIVQ/FILTER_RANGE). */
export function pllPad(p: PllParams): Primitive {
  return new Primitive(SB_PLL40_PAD, params(p));
}

/** PLL fed from fabric (e.g. SB_HFOSC). */
export function pllCore(p: PllParams): Primitive {
  return new Primitive(SB_PLL40_CORE, params(p));
}
