import { describe, expect, it } from 'vitest';
import { assignPins, formatPcf, parsePcf, portBitNames, requireBoard, type DesignPort } from '../../src/board/index.ts';

const port = (name: string, direction: DesignPort['direction'], width = 1, offset = 0, upto = false): DesignPort => ({
  name, direction, width, offset, upto,
});
const uartEcho = [port('clk', 'input'), port('uart_rx', 'input'), port('uart_tx', 'output'), port('led', 'output', 2)];

describe('pin assignment', () => {
  it('maps conventional port names to the iCEBreaker pins', () => {
    const pins = assignPins(requireBoard('icebreaker'), uartEcho);
    expect(pins.map((p) => [p.signal, p.pin, p.pullup])).toEqual([
      ['clk', '35', false],
      ['uart_rx', '6', true],
      ['uart_tx', '9', false],
      ['led[0]', '11', false],
      ['led[1]', '37', false],
    ]);
  });

  it('names bits as nextpnr does, offsets and ascending ranges included', () => {
    expect(portBitNames(port('x', 'output'))).toEqual(['x']);
    expect(portBitNames(port('hi', 'output', 2, 2))).toEqual(['hi[2]', 'hi[3]']);
    expect(portBitNames(port('up', 'output', 3, 0, true))).toEqual(['up[2]', 'up[1]', 'up[0]']);
  });

  it('counts LEDs from the lowest index of the port, in either range direction', () => {
    const board = requireBoard('ice40-hx8k-breakout');
    const down = assignPins(board, [port('led', 'output', 2, 4)]);
    expect(down.map((p) => [p.signal, p.pin])).toEqual([['led[4]', 'C3'], ['led[5]', 'B3']]);
    const up = assignPins(board, [port('led', 'output', 2, 0, true)]);
    expect(up.map((p) => [p.signal, p.pin])).toEqual([['led[1]', 'B3'], ['led[0]', 'C3']]);
  });

  it('maps named LEDs and buttons', () => {
    const pins = assignPins(requireBoard('icebreaker'), [port('led_g', 'output'), port('btn_user', 'input')]);
    expect(pins.map((p) => [p.signal, p.pin])).toEqual([['led_g', '37'], ['btn_user', '10']]);
  });

  it('refuses a port wider than the board has LEDs', () => {
    expect(() => assignPins(requireBoard('icebreaker'), [port('led', 'output', 3)])).toThrowError(
      /port 'led\[2\]' .*no pin on board 'icebreaker' \(the board has 2 LED\(s\), the port is 3 bits wide\)/,
    );
  });

  it('refuses too many IOs: an unknown port lists what the board offers', () => {
    expect(() => assignPins(requireBoard('icebreaker'), [...uartEcho, port('gpio', 'output', 40)])).toThrowError(
      /port 'gpio\[0\]' of the top module has no pin on board 'icebreaker'.*clk, uart_rx, uart_tx, led \(up to 2 bits\), led_r, led_g, btn/,
    );
  });

  it('refuses a UART on a board without one', () => {
    expect(() => assignPins(requireBoard('tinyfpga-bx'), [port('uart_tx', 'output')])).toThrowError(/no UART wired to the FPGA/);
  });

  it('refuses a port whose direction contradicts the board', () => {
    expect(() => assignPins(requireBoard('icebreaker'), [port('clk', 'output')])).toThrowError(
      /port 'clk' .* is an output, but .* 12 MHz clock \(pin 35\), which is an input/,
    );
  });

  it('takes explicit pins, which also override the conventions', () => {
    const pins = assignPins(requireBoard('icebreaker'), [port('clk', 'input'), port('gpio', 'output', 2)], {
      'gpio[0]': '4', 'gpio[1]': '2', clk: '20',
    });
    expect(pins.map((p) => [p.signal, p.pin])).toEqual([['clk', '20'], ['gpio[0]', '4'], ['gpio[1]', '2']]);
  });

  it('rejects explicit pins for signals that do not exist', () => {
    const board = requireBoard('icebreaker');
    expect(() => assignPins(board, uartEcho, { led: '4' })).toThrowError(/'led' is 2 bits wide: give each bit, e.g. 'led\[0\]'/);
    expect(() => assignPins(board, uartEcho, { lde: '4' })).toThrowError(/'lde', which is not a port bit .*clk, uart_rx/);
  });

  it('rejects two signals on one pin', () => {
    expect(() => assignPins(requireBoard('icebreaker'), uartEcho, { 'led[1]': '11' })).toThrowError(
      /'led\[0\]' and 'led\[1\]' are both assigned to pin 11/,
    );
  });
});

describe('PCF text', () => {
  it('formats with pull-ups and reads back', () => {
    const pins = assignPins(requireBoard('ice40-hx8k-breakout'), uartEcho);
    const text = formatPcf(pins, { header: 'test' });
    expect(text).toMatch(/^# test\n/);
    expect(text).toContain('set_io -pullup yes uart_rx B10');
    expect(parsePcf(text).map((e) => [e.signal, e.pin, e.pullup])).toEqual(pins.map((p) => [p.signal, p.pin, p.pullup]));
    expect(formatPcf(pins, { plain: true })).not.toMatch(/-pullup|#/);
  });

  it('reads the options nextpnr accepts and names a malformed line', () => {
    const text = 'set_frequency clk 12\nset_io -nowarn -io_std SB_LVCMOS a 1 # c\n\nset_io b\n';
    expect(() => parsePcf(text, 'my.pcf')).toThrowError(/my\.pcf:4: expected 'set_io \[options\] <signal> <pin>', got 'set_io b'/);
    expect(parsePcf('set_io -nowarn -io_std SB_LVCMOS a 1 # c')).toEqual([{ signal: 'a', pin: '1', pullup: false, line: 1 }]);
  });
});
