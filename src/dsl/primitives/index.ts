// Vendor primitives (black boxes with simulation models).
export { Primitive } from './types.ts';
export type { PrimitiveDef, PrimPort, PrimSimInstance } from './types.ts';
export { SB_MAC16, mac16, mac16Mul } from './mac16.ts';
export { SB_SPRAM256KA, spram, SPRAM_DEPTH } from './spram.ts';
export { SB_PLL40_PAD, SB_PLL40_CORE, pllPad, pllCore } from './pll.ts';
export type { PllParams } from './pll.ts';
