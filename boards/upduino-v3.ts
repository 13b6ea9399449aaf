// UPduino v3.0 / v3.1 (tinyVision.ai): iCE40UP5K-SG48, FT232H (programs the
// SPI flash; its UART lines reach the FPGA on the flash pins 14/15 once the
// FPGA is configured), 12 MHz oscillator reachable through the OSC jumper.
//
// Pins, from the board's published pin-outs:
// - the vendor's constraints, tinyvision-ai-inc/UPduino-v3.0
//   RTL/common/upduino.pdc: serial_txd 14 ("FPGA transmit to USB"),
//   serial_rxd 15 ("FPGA receive from USB"), led_green 39, led_red 41,
//   led_blue 40 ("negative logic"), 12 MHz clock on pin 20 after shorting R16
//   (labelled OSC).
// - amaranth-boards, amaranth_boards/upduino_v3.py: clk12 Pins("20")
//   Clock(12e6) ("Solder the OSC jumper"); RGBLEDResource r=41 g=39 b=40
//   invert=True; programmed with `iceprog`.
// The UART shares the flash's clock and data lines, so the flash must stay
// deselected: the vendor's note on pin 16 (spi_cs) is "drive high unless
// using SPI flash!" (an output port on an explicit pin: pins { spi_cs: '16' }).

import type { BoardDescription } from '../src/board/types.ts';

export const upduinoV3: BoardDescription = {
  id: 'upduino-v3',
  title: 'UPduino v3.0/v3.1',
  aliases: ['upduino', 'upduino3'],
  device: 'up5k',
  package: 'sg48',
  clock: {
    pin: '20',
    mhz: 12,
    note: 'short the OSC jumper (R16) to connect the on-board 12 MHz oscillator to pin 20',
  },
  uart: { rx: '15', tx: '14', bridge: 'FT232H (USB serial; shares the SPI flash pins)', rxPullup: true },
  leds: [
    { name: 'r', pin: '41', activeLow: true },
    { name: 'g', pin: '39', activeLow: true },
    { name: 'b', pin: '40', activeLow: true },
  ],
  buttons: [],
  flash: { tool: 'iceprog', args: [], note: 'writes the SPI flash through the FT232H' },
  sources: [
    'https://github.com/tinyvision-ai-inc/UPduino-v3.0/blob/master/RTL/common/upduino.pdc',
    'https://github.com/amaranth-lang/amaranth-boards/blob/main/amaranth_boards/upduino_v3.py',
  ],
};
