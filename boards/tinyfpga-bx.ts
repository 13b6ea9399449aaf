// TinyFPGA BX: iCE40LP8K-CM81, 16 MHz oscillator, USB wired straight to FPGA
// pins (the bootloader is a USB soft core in the FPGA).
//
// Pins, from amaranth-boards, amaranth_boards/tinyfpga_bx.py: clk16
// Pins("B2") Clock(16e6); LEDResources "B3"; DirectUSBResource d_p="B4"
// d_n="A4" pullup="A3"; programmed with `tinyprog -p`.

import type { BoardDescription } from '../src/board/types.ts';

export const tinyfpgaBx: BoardDescription = {
  id: 'tinyfpga-bx',
  title: 'TinyFPGA BX',
  aliases: ['tinyfpga'],
  device: 'lp8k',
  package: 'cm81',
  clock: { pin: 'B2', mhz: 16 },
  leds: [{ name: 'user', pin: 'B3', activeLow: false }],
  buttons: [],
  flash: { tool: 'tinyprog', args: ['-p'] },
  sources: ['https://github.com/amaranth-lang/amaranth-boards/blob/main/amaranth_boards/tinyfpga_bx.py'],
  unsupported:
    'no UART is wired to the FPGA: the USB connector goes straight to FPGA pins B4/A4 (D+/D-) and would need a USB soft core, and bpfgate talks to its board over a UART',
};
