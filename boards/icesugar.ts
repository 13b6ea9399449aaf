// iCESugar (MuseLab): iCE40UP5K-SG48, 12 MHz oscillator, iCELink debugger
// (drag-and-drop programming and a CDC-ACM virtual serial port to the FPGA).
//
// Pins, from the board's published pin-outs:
// - amaranth-boards, amaranth_boards/icesugar.py: clk12 Pins("35") Clock(12e6);
//   LEDResources "40 41 39" invert=True (led_r 40, led_g 41, led_b 39);
//   UARTResource rx="4" tx="6" PULLUP=1; programmed with `icesprog`.
// - the vendor's PCF, wuxx/icesugar src/common/io.pcf: clk 35, RX 4, TX 6,
//   LED_R 40, LED_G 41, LED_B 39.
// The UART pins are shared with PMOD 1 (pins P1_11 and P1_2).

import type { BoardDescription } from '../src/board/types.ts';

export const icesugar: BoardDescription = {
  id: 'icesugar',
  title: 'iCESugar',
  device: 'up5k',
  package: 'sg48',
  clock: { pin: '35', mhz: 12 },
  uart: { rx: '4', tx: '6', bridge: 'iCELink CDC-ACM virtual serial port', rxPullup: true },
  leds: [
    { name: 'r', pin: '40', activeLow: true },
    { name: 'g', pin: '41', activeLow: true },
    { name: 'b', pin: '39', activeLow: true },
  ],
  buttons: [],
  flash: {
    tool: 'icesprog',
    args: [],
    note: 'or copy the .bin onto the iCELink USB drive',
  },
  sources: [
    'https://github.com/amaranth-lang/amaranth-boards/blob/main/amaranth_boards/icesugar.py',
    'https://github.com/wuxx/icesugar/blob/master/src/common/io.pcf',
  ],
};
