// The shape of a board description (boards/*.ts). A board is pure data: which
// FPGA sits on it, which package pins the clock, UART, LEDs and buttons are
// wired to, and how a bitstream gets onto it. Everything else (PCF files,
// flash commands, build targets) is derived from this.

import type { DeviceId } from './devices.ts';

/** Programs that can put a bitstream on a board (see src/flash/). */
export type FlashTool = 'iceprog' | 'openFPGALoader' | 'tinyprog' | 'icesprog' | 'dfu-util';

export interface BoardClock {
  /** Package pin of the oscillator input. */
  readonly pin: string;
  /** Oscillator frequency in MHz; also the default timing target. */
  readonly mhz: number;
  /** Anything the user must know to get the clock (e.g. a jumper). */
  readonly note?: string;
}

/** The UART between the FPGA and the host, named from the FPGA's side. */
export interface BoardUart {
  /** FPGA input: data coming from the host. */
  readonly rx: string;
  /** FPGA output: data going to the host. */
  readonly tx: string;
  /** What sits at the host end (e.g. "FT2232H channel B"). */
  readonly bridge: string;
  /** Enable the FPGA's pull-up on rx so an idle, undriven line reads as 1. */
  readonly rxPullup: boolean;
}

export interface BoardLed {
  /** Short name used for `led_<name>` ports, e.g. "r", "g", "d2". */
  readonly name: string;
  readonly pin: string;
  /** True when driving the pin low lights the LED. */
  readonly activeLow: boolean;
}

export interface BoardButton {
  readonly name: string;
  readonly pin: string;
  /** True when a pressed button reads as 0. */
  readonly activeLow: boolean;
}

/** How to program the board; `args` come before the bitstream path. */
export interface FlashMethod {
  readonly tool: FlashTool;
  readonly args: readonly string[];
  readonly note?: string;
}

export interface BoardDescription {
  /** Registry key, lowercase, used on the command line (e.g. "icebreaker"). */
  readonly id: string;
  /** Human name (e.g. "iCEBreaker v1.0"). */
  readonly title: string;
  readonly aliases?: readonly string[];
  readonly device: DeviceId;
  /** Package name as nextpnr and icebox spell it (e.g. "sg48", "ct256"). */
  readonly package: string;
  readonly clock: BoardClock;
  /** Absent when no UART is wired between the FPGA and a host bridge. */
  readonly uart?: BoardUart;
  readonly leds: readonly BoardLed[];
  readonly buttons: readonly BoardButton[];
  /** The usual way to program this board. */
  readonly flash: FlashMethod;
  /** Other tools that also work, selectable with `flash(..., { tool })`. */
  readonly alternativeFlash?: readonly FlashMethod[];
  /** Where the pin numbers come from (published pin-outs, vendor PCFs). */
  readonly sources: readonly string[];
  /**
   * Set when bpfgate cannot run on this board, with the exact reason. Such
   * boards are listed so users get that reason instead of an obscure failure.
   */
  readonly unsupported?: string;
}
