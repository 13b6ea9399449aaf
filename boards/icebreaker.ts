// iCEBreaker v1.0 (1BitSquared): iCE40UP5K-SG48, FT2232H (channel A programs
// the SPI flash, channel B is the UART to the FPGA), 12 MHz oscillator.
//
// Pins, from the board's published pin-outs:
// - amaranth-boards, amaranth_boards/icebreaker.py:
//   clk12 Pins("35") Clock(12e6); LEDResources "11 37" invert=True
//   (led_r = 11, led_g = 37); ButtonResources "10" invert=True;
//   UARTResource rx="6" tx="9" PULLUP=1.
// - icebreaker.pcf as shipped with icicle (copy read in wuxx/icesugar,
//   src/advanced/icicle/boards/icebreaker.pcf): CLK 35, uart_rx 6, uart_tx 9,
//   BTN_N 10, leds[0] 11, leds[1] 37.

import type { BoardDescription } from '../src/board/types.ts';

export const icebreaker: BoardDescription = {
  id: 'icebreaker',
  title: 'iCEBreaker v1.0',
  device: 'up5k',
  package: 'sg48',
  clock: { pin: '35', mhz: 12 },
  uart: { rx: '6', tx: '9', bridge: 'FT2232H channel B (USB serial)', rxPullup: true },
  leds: [
    { name: 'r', pin: '11', activeLow: true },
    { name: 'g', pin: '37', activeLow: true },
  ],
  buttons: [{ name: 'user', pin: '10', activeLow: true }],
  flash: { tool: 'iceprog', args: [], note: 'writes the SPI flash through FT2232H channel A' },
  alternativeFlash: [{ tool: 'openFPGALoader', args: ['-b', 'ice40_generic', '-f'] }],
  sources: [
    'https://github.com/amaranth-lang/amaranth-boards/blob/main/amaranth_boards/icebreaker.py',
    'https://github.com/wuxx/icesugar/blob/master/src/advanced/icicle/boards/icebreaker.pcf',
  ],
};
