// The iCE40 PLL (SB_PLL40) for boards whose oscillator is slower or faster
// than the clock the core should run at. planPll() searches the divider
// settings like icestorm's `icepll` (SIMPLE feedback):
//   f_pfd = f_in / (DIVR + 1)        must be 10..133 MHz
//   f_vco = f_pfd * (DIVF + 1)       must be 533..1066 MHz
//   f_out = f_vco / 2^DIVQ           DIVQ 1..6, f_out 16..275 MHz
// and FILTER_RANGE follows f_pfd (the iCE40 sysCLOCK PLL guide's table).
//
// The DSL has one clock domain, so the PLL sits outside the DSL design in a
// small fixed Verilog wrapper (pllWrapperVerilog): the wrapper's `clk` is the
// board's oscillator pin and the DSL top runs on the PLL's output.

import type { DeviceId } from '../../src/board/devices.ts';

export interface PllPlan {
  readonly inMHz: number;
  readonly wantMHz: number;
  readonly outMHz: number;
  readonly divr: number;
  readonly divf: number;
  readonly divq: number;
  readonly filterRange: number;
  readonly vcoMHz: number;
  readonly pfdMHz: number;
}

/** The closest output frequency the PLL can make; throws when none is within 1%. */
export function planPll(inMHz: number, wantMHz: number): PllPlan {
  if (!(inMHz >= 10 && inMHz <= 133)) throw new RangeError(`PLL: input clock ${inMHz} MHz is outside 10..133 MHz`);
  if (!(wantMHz >= 16 && wantMHz <= 275)) throw new RangeError(`PLL: output clock ${wantMHz} MHz is outside 16..275 MHz`);
  let best: PllPlan | undefined;
  for (let divr = 0; divr <= 15; divr++) {
    const pfd = inMHz / (divr + 1);
    if (pfd < 10 || pfd > 133) continue;
    for (let divf = 0; divf <= 127; divf++) {
      const vco = pfd * (divf + 1);
      if (vco < 533 || vco > 1066) continue;
      for (let divq = 1; divq <= 6; divq++) {
        const out = vco / 2 ** divq;
        if (best === undefined || Math.abs(out - wantMHz) < Math.abs(best.outMHz - wantMHz)) {
          best = { inMHz, wantMHz, outMHz: out, divr, divf, divq, filterRange: filterRange(pfd), vcoMHz: vco, pfdMHz: pfd };
        }
      }
    }
  }
  if (!best || Math.abs(best.outMHz / wantMHz - 1) > 0.01) {
    throw new RangeError(`PLL: cannot make ${wantMHz} MHz from ${inMHz} MHz (closest: ${best?.outMHz.toFixed(3) ?? 'none'} MHz)`);
  }
  return best;
}

function filterRange(pfdMHz: number): number {
  if (pfdMHz < 17) return 1;
  if (pfdMHz < 26) return 2;
  if (pfdMHz < 44) return 3;
  if (pfdMHz < 66) return 4;
  if (pfdMHz < 101) return 5;
  return 6;
}

export interface WrapperPort {
  readonly name: string;
  readonly dir: 'input' | 'output';
}

/**
 * Verilog for `top`: the PLL on the oscillator pin `clk`, feeding `inner`'s
 * clk; `inner` also gets `pll_lock`, and every other port passes through.
 * UltraPlus parts take the PLL at the pad (SB_PLL40_PAD); the others use the
 * core variant fed from the clock pin.
 */
export function pllWrapperVerilog(plan: PllPlan, device: DeviceId, top: string, inner: string, ports: readonly WrapperPort[]): string {
  const pad = device === 'up5k';
  const decl = ports.map((p) => `  ${p.dir === 'input' ? 'input' : 'output'} wire ${p.name}`);
  const conns = ports.map((p) => `    .${p.name}(${p.name})`);
  const bits = (n: number, w: number): string => `${w}'b${n.toString(2).padStart(w, '0')}`;
  return [
    `// ${top}: ${plan.inMHz} MHz oscillator -> SB_PLL40 -> ${plan.outMHz.toFixed(3)} MHz core clock`,
    `// (DIVR ${plan.divr}, DIVF ${plan.divf}, DIVQ ${plan.divq}, FILTER_RANGE ${plan.filterRange}; VCO ${plan.vcoMHz.toFixed(1)} MHz)`,
    `module ${top} (`,
    ['  input wire clk', ...decl].join(',\n'),
    ');',
    '  wire core_clk;',
    '  wire pll_lock;',
    `  ${pad ? 'SB_PLL40_PAD' : 'SB_PLL40_CORE'} #(`,
    '    .FEEDBACK_PATH("SIMPLE"),',
    `    .DIVR(${bits(plan.divr, 4)}),`,
    `    .DIVF(${bits(plan.divf, 7)}),`,
    `    .DIVQ(${bits(plan.divq, 3)}),`,
    `    .FILTER_RANGE(${bits(plan.filterRange, 3)})`,
    '  ) u_pll (',
    `    .${pad ? 'PACKAGEPIN' : 'REFERENCECLK'}(clk),`,
    '    .PLLOUTGLOBAL(core_clk),',
    '    .LOCK(pll_lock),',
    "    .RESETB(1'b1),",
    "    .BYPASS(1'b0)",
    '  );',
    `  ${inner} u_soc (`,
    ['    .clk(core_clk)', '    .pll_lock(pll_lock)', ...conns].join(',\n'),
    '  );',
    'endmodule',
    '',
  ].join('\n');
}
