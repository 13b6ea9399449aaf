import { describe, expect, it } from 'vitest';
import {
  BoardError, DEVICES, defaultBoard, describeBoards, findBoard, listBoards, requireBoard, requireSupportedBoard,
} from '../../src/board/index.ts';

// Expected pins are the boards' published pin-outs (amaranth-boards and the
// vendors' PCFs, cited in each boards/*.ts), written out independently here.
describe('board registry', () => {
  it('defaults to the iCEBreaker', () => {
    expect(defaultBoard().id).toBe('icebreaker');
    expect(listBoards()[0]!.id).toBe('icebreaker');
  });

  it('describes the iCEBreaker as published (amaranth-boards icebreaker.py)', () => {
    const b = requireBoard('icebreaker');
    expect([b.device, b.package]).toEqual(['up5k', 'sg48']);
    expect(b.clock).toMatchObject({ pin: '35', mhz: 12 });
    expect(b.uart).toMatchObject({ rx: '6', tx: '9', rxPullup: true });
    expect(b.uart!.bridge).toMatch(/FT2232H channel B/);
    expect(b.leds.map((l) => [l.name, l.pin, l.activeLow])).toEqual([['r', '11', true], ['g', '37', true]]);
    expect(b.buttons.map((l) => [l.pin, l.activeLow])).toEqual([['10', true]]);
    expect(b.flash.tool).toBe('iceprog');
  });

  it('describes the iCESugar, UPduino v3 and HX8K breakout as published', () => {
    const sugar = requireBoard('icesugar');
    expect([sugar.device, sugar.package, sugar.clock.pin, sugar.uart?.rx, sugar.uart?.tx]).toEqual(['up5k', 'sg48', '35', '4', '6']);
    expect(sugar.leds.map((l) => l.pin)).toEqual(['40', '41', '39']);
    expect(sugar.flash.tool).toBe('icesprog');

    const up = requireBoard('upduino-v3');
    expect([up.device, up.package, up.clock.pin, up.uart?.rx, up.uart?.tx]).toEqual(['up5k', 'sg48', '20', '15', '14']);
    expect(up.clock.note).toMatch(/OSC jumper/);
    expect(up.uart!.bridge).toMatch(/FT232H/);

    const hx = requireBoard('ice40-hx8k-breakout');
    expect([hx.device, hx.package, hx.clock.pin, hx.uart?.rx, hx.uart?.tx]).toEqual(['hx8k', 'ct256', 'J3', 'B10', 'B12']);
    expect(hx.leds.map((l) => l.pin)).toEqual(['C3', 'B3', 'C4', 'C5', 'A1', 'A2', 'B4', 'B5']);
    expect(hx.leds.every((l) => !l.activeLow)).toBe(true);
  });

  it('finds boards by alias, in any case', () => {
    expect(findBoard('HX8K')?.id).toBe('ice40-hx8k-breakout');
    expect(findBoard(' UPduino ')?.id).toBe('upduino-v3');
    expect(findBoard('fomu')?.id).toBe('fomu-pvt');
    expect(findBoard('nonesuch')).toBeUndefined();
  });

  it('rejects an unknown board with the list of known boards', () => {
    expect(() => requireBoard('icebraker')).toThrowError(BoardError);
    let message = '';
    try {
      requireBoard('icebraker');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/unknown board 'icebraker'/);
    for (const b of listBoards()) expect(message).toContain(b.id);
  });

  it('lists boards that cannot run bpfgate with the exact reason', () => {
    const reasons = Object.fromEntries(listBoards().filter((b) => b.unsupported).map((b) => [b.id, b.unsupported!]));
    expect(Object.keys(reasons).sort()).toEqual(['fomu-pvt', 'icestick', 'tinyfpga-bx']);
    expect(reasons['tinyfpga-bx']).toMatch(/no UART/);
    expect(reasons['fomu-pvt']).toMatch(/no UART/);
    expect(reasons['icestick']).toMatch(/1,280 logic cells/);
    expect(() => requireSupportedBoard('icestick')).toThrowError(/icestick.*not supported: the bpfgate core does not fit/);
    expect(describeBoards()).toMatch(/tinyfpga-bx .*unsupported: no UART/);
  });

  it('keeps every board description consistent', () => {
    for (const b of listBoards()) {
      expect(DEVICES[b.device], b.id).toBeDefined();
      expect(b.sources.length, b.id).toBeGreaterThan(0);
      expect(b.clock.mhz, b.id).toBeGreaterThan(0);
      if (!b.unsupported) expect(b.uart, `${b.id} is supported, so it needs a UART`).toBeDefined();
      const pins = [b.clock.pin, b.uart?.rx, b.uart?.tx, ...b.leds.map((l) => l.pin), ...b.buttons.map((x) => x.pin)].filter(Boolean);
      expect(new Set(pins).size, `${b.id}: a pin is used twice`).toBe(pins.length);
    }
  });
});
