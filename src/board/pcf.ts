// Pin constraints (PCF) from a board description and the top module's ports.
//
// Ports are matched to board resources by name, so a design written once runs
// on every board:
//   clk                 the board oscillator (input)
//   uart_rx / uart_tx   the host UART, named from the FPGA's side
//   led / led[i]        the board's LEDs in board order; led_<name> one LED
//   btn / btn[i]        the board's buttons;             btn_<name> one button
// Anything else needs an explicit pin (`pins: { 'gpio[0]': '23' }`), which
// also overrides the conventions.

import { BoardError } from './errors.ts';
import type { BoardDescription } from './types.ts';

/** A port of the synthesised top module (from yosys's JSON netlist). */
export interface DesignPort {
  readonly name: string;
  readonly direction: 'input' | 'output' | 'inout';
  readonly width: number;
  /** Index of the lowest bit, e.g. 2 for `[3:2]`. */
  readonly offset: number;
  /** True for ascending ranges like `[0:3]`. */
  readonly upto: boolean;
}

/** One `set_io` line: a port bit (as nextpnr names it) on a package pin. */
export interface PinAssignment {
  /** `name` for 1-bit ports, `name[i]` for bits of wider ones (nextpnr's naming). */
  readonly signal: string;
  readonly pin: string;
  readonly pullup: boolean;
  /** What the pin is on the board, for reports and error messages. */
  readonly role: string;
}

/** The nextpnr names of a port's bits, in yosys bit order (LSB first). */
export function portBitNames(port: DesignPort): string[] {
  if (port.width === 1) return [port.name];
  const names: string[] = [];
  for (let i = 0; i < port.width; i++) {
    const index = port.upto ? port.offset + port.width - 1 - i : port.offset + i;
    names.push(`${port.name}[${index}]`);
  }
  return names;
}

interface Resource {
  readonly pin: string;
  readonly direction: 'input' | 'output';
  readonly pullup: boolean;
  readonly role: string;
}

/** Resolves the pins for every bit of every port; throws BoardError naming the port at fault. */
export function assignPins(
  board: BoardDescription,
  ports: readonly DesignPort[],
  explicitPins: Readonly<Record<string, string>> = {},
): PinAssignment[] {
  const bitNames = new Set(ports.flatMap(portBitNames));
  for (const signal of Object.keys(explicitPins)) {
    if (!bitNames.has(signal)) {
      const wide = ports.find((p) => p.name === signal && p.width > 1);
      const hint = wide
        ? ` ('${signal}' is ${wide.width} bits wide: give each bit, e.g. '${portBitNames(wide)[0]}')`
        : ` (its ports: ${[...bitNames].join(', ') || 'none'})`;
      throw new BoardError(`pin given for '${signal}', which is not a port bit of the top module${hint}`);
    }
  }

  const assignments: PinAssignment[] = [];
  for (const port of ports) {
    const bits = portBitNames(port);
    bits.forEach((signal, bit) => {
      const explicit = explicitPins[signal];
      if (explicit !== undefined) {
        assignments.push({ signal, pin: explicit, pullup: false, role: 'explicit pin' });
        return;
      }
      const resource = conventionalResource(board, port, bit);
      if (!resource) throw unmappedPort(board, port, signal);
      if (port.direction !== resource.direction) {
        throw new BoardError(
          `port '${signal}' of the top module is an ${port.direction}, but on board '${board.id}' it ` +
            `would be the ${resource.role} (pin ${resource.pin}), which is an ${resource.direction}`,
        );
      }
      assignments.push({ signal, pin: resource.pin, pullup: resource.pullup, role: resource.role });
    });
  }
  for (const a of assignments) checkPcfWords(board, a);
  checkNoSharedPins(board, assignments);
  return assignments;
}

/** One word of a `set_io` line: no whitespace (any Unicode space, as parsePcf splits), no `#` (a comment), not empty. */
const PCF_WORD = /^[^\s#]+$/u;

/**
 * A pin or signal the PCF cannot carry as one word (`'B10 '`, `'9\r\n'`,
 * `'1#2'`) would come out of nextpnr's reader as another constraint or none:
 * refuse it here, naming where it came from.
 */
function checkPcfWords(board: BoardDescription, a: PinAssignment): void {
  const show = (s: string): string => JSON.stringify(s);
  if (!PCF_WORD.test(a.pin)) {
    throw new BoardError(
      `pin ${show(a.pin)} of '${a.signal}' (${a.role}${a.role === 'explicit pin' ? '' : ` of board '${board.id}'`}) is not a package pin name: ` +
        'it must be one word without spaces or #',
    );
  }
  if (!PCF_WORD.test(a.signal)) {
    throw new BoardError(`port ${show(a.signal)} of the top module cannot be written to a PCF: its name has a space or # in it`);
  }
}

function conventionalResource(board: BoardDescription, port: DesignPort, bit: number): Resource | undefined {
  // led[k] is the k-th LED counted from the port's lowest index, whatever the range's direction.
  const index = port.upto ? port.width - 1 - bit : bit;
  const { name } = port;
  if (name === 'clk' && port.width === 1) {
    return { pin: board.clock.pin, direction: 'input', pullup: false, role: `${board.clock.mhz} MHz clock` };
  }
  if (name === 'uart_rx' && port.width === 1 && board.uart) {
    return { pin: board.uart.rx, direction: 'input', pullup: board.uart.rxPullup, role: `UART receive line (${board.uart.bridge})` };
  }
  if (name === 'uart_tx' && port.width === 1 && board.uart) {
    return { pin: board.uart.tx, direction: 'output', pullup: false, role: `UART transmit line (${board.uart.bridge})` };
  }
  const led = name === 'led' ? board.leds[index] : board.leds.find((l) => `led_${l.name}` === name && port.width === 1);
  if (led) {
    return { pin: led.pin, direction: 'output', pullup: false, role: `LED ${led.name}${led.activeLow ? ' (active low)' : ''}` };
  }
  const btn = name === 'btn' ? board.buttons[index] : board.buttons.find((b) => `btn_${b.name}` === name && port.width === 1);
  if (btn) {
    return { pin: btn.pin, direction: 'input', pullup: false, role: `button ${btn.name}${btn.activeLow ? ' (active low)' : ''}` };
  }
  return undefined;
}

function unmappedPort(board: BoardDescription, port: DesignPort, signal: string): BoardError {
  const known: string[] = ['clk'];
  if (board.uart) known.push('uart_rx', 'uart_tx');
  if (board.leds.length) {
    known.push(`led (up to ${board.leds.length} bits)`, ...board.leds.map((l) => `led_${l.name}`));
  }
  if (board.buttons.length) {
    known.push(`btn (up to ${board.buttons.length} bits)`, ...board.buttons.map((b) => `btn_${b.name}`));
  }
  let why = 'no board resource has that name';
  if ((port.name === 'uart_rx' || port.name === 'uart_tx') && !board.uart) why = 'this board has no UART wired to the FPGA';
  else if (port.name === 'led') why = `the board has ${board.leds.length} LED(s), the port is ${port.width} bits wide`;
  else if (port.name === 'btn') why = `the board has ${board.buttons.length} button(s), the port is ${port.width} bits wide`;
  return new BoardError(
    `port '${signal}' of the top module has no pin on board '${board.id}' (${why}); ` +
      `name ports after the board's resources (${known.join(', ')}) or give the pin explicitly, ` +
      `e.g. pins: { '${signal}': '<package pin>' }`,
  );
}

function checkNoSharedPins(board: BoardDescription, assignments: readonly PinAssignment[]): void {
  const byPin = new Map<string, string>();
  for (const a of assignments) {
    const other = byPin.get(a.pin);
    if (other !== undefined) {
      throw new BoardError(`ports '${other}' and '${a.signal}' are both assigned to pin ${a.pin} of board '${board.id}'`);
    }
    byPin.set(a.pin, a.signal);
  }
}

/**
 * PCF text for nextpnr. `plain` drops the `-pullup` options, for tools that
 * only understand `set_io <signal> <pin>` (icebox_vlog).
 */
export function formatPcf(
  assignments: readonly PinAssignment[],
  options: { readonly header?: string; readonly plain?: boolean } = {},
): string {
  const lines: string[] = [];
  if (options.header) lines.push(...options.header.split('\n').map((l) => `# ${l}`));
  for (const a of assignments) {
    const pullup = a.pullup && !options.plain ? '-pullup yes ' : '';
    lines.push(`set_io ${pullup}${a.signal} ${a.pin}${options.plain ? '' : ` # ${a.role}`}`);
  }
  return lines.join('\n') + '\n';
}

/** A `set_io` line read back from a PCF, with its 1-based line number. */
export interface PcfEntry {
  readonly signal: string;
  readonly pin: string;
  readonly pullup: boolean;
  readonly line: number;
}

/**
 * Reads the `set_io` lines of a PCF (nextpnr's dialect: options `-nowarn`,
 * `-pullup yes|no`, `-pullup_resistor <r>`, `-io_std <std>`). Other commands
 * are skipped; a malformed `set_io` is an error naming the line.
 */
export function parsePcf(text: string, fileName = 'constraints.pcf'): PcfEntry[] {
  const entries: PcfEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const words = raw.replace(/#.*/, '').trim().split(/\s+/).filter(Boolean);
    if (words[0] !== 'set_io') return;
    let pullup = false;
    const rest: string[] = [];
    for (let w = 1; w < words.length; w++) {
      const word = words[w]!;
      if (word === '-nowarn') continue;
      if (word === '-pullup') {
        pullup = words[++w] === 'yes';
        continue;
      }
      if (word === '-pullup_resistor' || word === '-io_std') {
        w++;
        continue;
      }
      rest.push(word);
    }
    if (rest.length !== 2) {
      throw new BoardError(`${fileName}:${i + 1}: expected 'set_io [options] <signal> <pin>', got '${raw.trim()}'`);
    }
    entries.push({ signal: rest[0]!, pin: rest[1]!, pullup, line: i + 1 });
  });
  return entries;
}
