// Lattice iCEstick (ICE40HX1K-STICK-EVN): iCE40HX1K-TQ144, FT2232H (channel
// A programs the flash, channel B is the UART), 12 MHz oscillator, five LEDs.
//
// Pins, from amaranth-boards, amaranth_boards/icestick.py: clk12 Pins("21")
// Clock(12e6); LEDResources "99 98 97 96 95"; UARTResource rx="9" tx="8"
// PULLUP=1; programmed with `iceprog`.

import type { BoardDescription } from '../src/board/types.ts';

export const icestick: BoardDescription = {
  id: 'icestick',
  title: 'Lattice iCEstick',
  device: 'hx1k',
  package: 'tq144',
  clock: { pin: '21', mhz: 12 },
  uart: { rx: '9', tx: '8', bridge: 'FT2232H channel B (USB serial)', rxPullup: true },
  leds: ['99', '98', '97', '96', '95'].map((pin, i) => ({ name: `d${i + 1}`, pin, activeLow: false })),
  buttons: [],
  flash: { tool: 'iceprog', args: [] },
  sources: ['https://github.com/amaranth-lang/amaranth-boards/blob/main/amaranth_boards/icestick.py'],
  unsupported:
    'the bpfgate core does not fit: the iCE40HX1K has only 1,280 logic cells (and 16 block RAMs), too few for a 64-bit eBPF datapath',
};
