// Lattice iCE40-HX8K Breakout Board (ICE40HX8K-B-EVN): iCE40HX8K-CT256,
// FT2232H (channel A programs the SPI flash or SRAM, channel B is the UART),
// 12 MHz oscillator, eight LEDs D2..D9.
//
// Pins, from the board's published pin-outs:
// - amaranth-boards, amaranth_boards/ice40_hx8k_b_evn.py: clk12 Pins("J3")
//   Clock(12e6); LEDResources "C3 B3 C4 C5 A1 A2 B4 B5" (D2..D9, not
//   inverted); UARTResource rx="B10" tx="B12" PULLUP=1.
// - ice40hx8k-b-evn.pcf as shipped with icicle (copy read in wuxx/icesugar,
//   src/advanced/icicle/boards/ice40hx8k-b-evn.pcf): clk J3, uart_rx B10,
//   uart_tx B12, leds[0..7] C3 B3 C4 C5 A1 A2 B4 B5.

import type { BoardDescription } from '../src/board/types.ts';

export const ice40Hx8kBreakout: BoardDescription = {
  id: 'ice40-hx8k-breakout',
  title: 'Lattice iCE40-HX8K Breakout Board',
  aliases: ['hx8k', 'hx8k-breakout', 'ice40-hx8k-b-evn'],
  device: 'hx8k',
  package: 'ct256',
  clock: { pin: 'J3', mhz: 12 },
  uart: { rx: 'B10', tx: 'B12', bridge: 'FT2232H channel B (USB serial)', rxPullup: true },
  leds: ['C3', 'B3', 'C4', 'C5', 'A1', 'A2', 'B4', 'B5'].map((pin, i) => ({
    name: `d${i + 2}`,
    pin,
    activeLow: false,
  })),
  buttons: [],
  flash: {
    tool: 'iceprog',
    args: [],
    note: 'writes the SPI flash (the board\'s default jumpers); pass sram to load SRAM with iceprog -S after moving the jumpers',
  },
  alternativeFlash: [{ tool: 'openFPGALoader', args: ['-b', 'ice40_generic', '-f'] }],
  sources: [
    'https://github.com/amaranth-lang/amaranth-boards/blob/main/amaranth_boards/ice40_hx8k_b_evn.py',
    'https://github.com/wuxx/icesugar/blob/master/src/advanced/icicle/boards/ice40hx8k-b-evn.pcf',
  ],
};
