// The iCE40 parts bpfgate's boards use, with their capacities. The numbers are
// the family data sheets' (Lattice DS1040 "iCE40 LP/HX Family", table 1.1;
// FPGA-DS-02008 "iCE40 UltraPlus Family", table 1.1) and match nextpnr's chip
// databases (test/board/devices.test.ts checks them against a real nextpnr
// run). They let the flow reject a design that cannot fit right after
// synthesis, with the resource named, instead of after a long place attempt.

export type DeviceId = 'hx1k' | 'hx8k' | 'lp8k' | 'up5k';

export interface DeviceCapacity {
  /** Logic cells: one LUT4 + one flip-flop + carry logic each. */
  readonly logicCells: number;
  /** 4 kbit block RAMs (SB_RAM40_4K). */
  readonly bram: number;
  /** 256 kbit single-port RAMs (SB_SPRAM256KA), UltraPlus only. */
  readonly spram: number;
  /** 16x16 multiply-accumulate blocks (SB_MAC16), UltraPlus only. */
  readonly dsp: number;
  readonly pll: number;
}

export interface DeviceInfo {
  readonly id: DeviceId;
  /** Lattice part name, e.g. "iCE40UP5K". */
  readonly part: string;
  /** nextpnr-ice40 device flag, e.g. "--up5k". */
  readonly nextpnrFlag: string;
  /** `synth_ice40 -device` value: timing model family. */
  readonly yosysFamily: 'hx' | 'lp' | 'u';
  readonly capacity: DeviceCapacity;
  /**
   * Size in bytes of icepack's uncompressed bitstream for this part, as the
   * pinned YoWASP icepack writes it; lets the flasher catch an image built for
   * another part before it reaches the board.
   */
  readonly bitstreamBytes: number;
}

export const DEVICES: Readonly<Record<DeviceId, DeviceInfo>> = {
  hx1k: {
    id: 'hx1k',
    part: 'iCE40HX1K',
    nextpnrFlag: '--hx1k',
    yosysFamily: 'hx',
    capacity: { logicCells: 1280, bram: 16, spram: 0, dsp: 0, pll: 1 },
    bitstreamBytes: 32220,
  },
  hx8k: {
    id: 'hx8k',
    part: 'iCE40HX8K',
    nextpnrFlag: '--hx8k',
    yosysFamily: 'hx',
    capacity: { logicCells: 7680, bram: 32, spram: 0, dsp: 0, pll: 2 },
    bitstreamBytes: 135100,
  },
  lp8k: {
    id: 'lp8k',
    part: 'iCE40LP8K',
    nextpnrFlag: '--lp8k',
    yosysFamily: 'lp',
    capacity: { logicCells: 7680, bram: 32, spram: 0, dsp: 0, pll: 2 },
    bitstreamBytes: 135100,
  },
  up5k: {
    id: 'up5k',
    part: 'iCE40UP5K',
    nextpnrFlag: '--up5k',
    yosysFamily: 'u',
    capacity: { logicCells: 5280, bram: 30, spram: 4, dsp: 8, pll: 1 },
    bitstreamBytes: 104090,
  },
};

export function deviceInfo(id: DeviceId): DeviceInfo {
  return DEVICES[id];
}
