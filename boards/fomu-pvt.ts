// Fomu PVT: iCE40UP5K-UWG30 in a USB-A key, 48 MHz oscillator, USB wired
// straight to FPGA pins, an RGB LED and four touch pads.
//
// Pins, from amaranth-boards, amaranth_boards/fomu_pvt.py: clk48 Pins("F4")
// Clock(48e6); RGBLEDResource r="B5" g="A5" b="C5" invert=True;
// DirectUSBResource d_p="A1" d_n="A2" pullup="A4"; programmed with
// `dfu-util -D`.

import type { BoardDescription } from '../src/board/types.ts';

export const fomuPvt: BoardDescription = {
  id: 'fomu-pvt',
  title: 'Fomu PVT',
  aliases: ['fomu'],
  device: 'up5k',
  package: 'uwg30',
  clock: { pin: 'F4', mhz: 48 },
  leds: [
    { name: 'r', pin: 'B5', activeLow: true },
    { name: 'g', pin: 'A5', activeLow: true },
    { name: 'b', pin: 'C5', activeLow: true },
  ],
  buttons: [],
  flash: { tool: 'dfu-util', args: ['-D'] },
  sources: ['https://github.com/amaranth-lang/amaranth-boards/blob/main/amaranth_boards/fomu_pvt.py'],
  unsupported:
    'no UART is wired to the FPGA: USB D+/D- go straight to FPGA pins A1/A2 (a USB soft core would be needed) and the only other I/O are four touch pads, and bpfgate talks to its board over a UART',
};
