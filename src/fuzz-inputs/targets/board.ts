// Board descriptions and pin constraints (a board file a user adds to
// boards/, `--board NAME`, `bitstream --pin signal=pin`, a PCF read back):
// the shipped boards with their pins, names and resources changed, random
// top-module ports, explicit pins, and PCF text. Lookup and pin assignment
// may only throw a BoardError; the PCF written for an assignment must read
// back as the same assignment (a pin or signal the PCF cannot carry is an
// error, not a silently different constraint file).

import {
  assignPins, BoardError, findBoard, formatPcf, listBoards, parsePcf, requireSupportedBoard,
  type BoardDescription, type DesignPort,
} from '../../board/index.ts';
import type { Rng } from '../../random.ts';
import { crash, EXPECTED, type FuzzTarget } from '../engine.ts';
import { mutateText, ODD_CHARS, randomText } from '../mutate.ts';

export interface BoardInput {
  /** A name as typed after --board. */
  readonly name: string;
  readonly board: BoardDescription;
  readonly ports: readonly DesignPort[];
  readonly pins: Readonly<Record<string, string>>;
  /** PCF text to read. */
  readonly pcf: string;
}

const PORT_NAMES = ['clk', 'uart_rx', 'uart_tx', 'led', 'btn', 'gpio', 'led_r', 'led_g', 'btn_user', 'led_d2', 'x'];

function oddString(rng: Rng, base: string, others: readonly string[]): string {
  switch (rng.int(0, 5)) {
    case 0: return rng.pick(others);
    case 1: return '';
    case 2: return base + rng.pick(ODD_CHARS);
    case 3: return randomText(rng, 6);
    default: return base;
  }
}

function mutateBoard(rng: Rng, b: BoardDescription, pins: readonly string[]): BoardDescription {
  const pin = (p: string): string => (rng.chance(0.25) ? oddString(rng, p, pins) : p);
  const leds = b.leds.map((l) => ({ ...l, pin: pin(l.pin), name: rng.chance(0.1) ? oddString(rng, l.name, ['r', 'g', '']) : l.name }));
  if (rng.chance(0.15) && leds.length) leds.push(rng.pick(leds));
  return {
    ...b,
    clock: { ...b.clock, pin: pin(b.clock.pin), mhz: rng.chance(0.1) ? rng.pick([0, -1, Number.NaN, Infinity, 1e-9]) : b.clock.mhz },
    ...(b.uart && rng.chance(0.9) ? { uart: { ...b.uart, rx: pin(b.uart.rx), tx: pin(b.uart.tx) } } : { uart: undefined }),
    leds: rng.chance(0.1) ? [] : leds,
    buttons: b.buttons.map((x) => ({ ...x, pin: pin(x.pin) })),
  };
}

function randomPort(rng: Rng): DesignPort {
  const name = rng.chance(0.9) ? rng.pick(PORT_NAMES) : randomText(rng, 5);
  const conventional = name === 'clk' || name === 'uart_rx' || name.startsWith('btn');
  return {
    name,
    direction: rng.chance(0.8) ? (conventional ? 'input' : 'output') : rng.pick(['input', 'output', 'inout'] as const),
    width: rng.chance(0.7) ? 1 : rng.int(1, 10),
    offset: rng.chance(0.8) ? 0 : rng.int(0, 8),
    upto: rng.chance(0.2),
  };
}

/** Ports named after the board's own resources (clock, UART, LEDs, buttons), each in its right direction. */
function ownPorts(rng: Rng, b: BoardDescription): DesignPort[] {
  const port = (name: string, direction: DesignPort['direction'], width = 1): DesignPort => ({ name, direction, width, offset: 0, upto: rng.chance(0.2) });
  const ports = [port('clk', 'input')];
  if (b.uart && rng.chance(0.8)) ports.push(port('uart_rx', 'input'), port('uart_tx', 'output'));
  if (b.leds.length && rng.chance(0.7)) ports.push(rng.chance(0.5) ? port('led', 'output', rng.int(1, b.leds.length)) : port(`led_${rng.pick(b.leds).name}`, 'output'));
  if (b.buttons.length && rng.chance(0.5)) ports.push(port('btn', 'input', rng.int(1, b.buttons.length)));
  return ports;
}

export const boardTarget: FuzzTarget<BoardInput> = {
  name: 'board',
  describe: 'board descriptions, --board names, ports and --pin values -> requireSupportedBoard, assignPins, formatPcf/parsePcf',
  prepare() {
    const boards = listBoards();
    const pins = boards.flatMap((b) => [b.clock.pin, ...b.leds.map((l) => l.pin), ...(b.uart ? [b.uart.rx, b.uart.tx] : [])]);
    const names = boards.flatMap((b) => [b.id, ...(b.aliases ?? [])]);
    return (rng) => {
      const board = mutateBoard(rng, rng.pick(boards), pins);
      // Half the designs use only what the board has, so assignment gets through to the PCF.
      const ports = rng.chance(0.5) ? ownPorts(rng, board) : Array.from({ length: rng.int(0, 6) }, () => randomPort(rng));
      const explicit: Record<string, string> = {};
      for (let i = rng.int(0, 2); i > 0; i--) {
        const p = ports.length && rng.chance(0.8) ? rng.pick(ports) : randomPort(rng);
        const signal = p.width === 1 || rng.chance(0.2) ? p.name : `${p.name}[${p.offset + rng.int(0, p.width)}]`;
        explicit[signal] = oddString(rng, rng.pick(pins), pins);
      }
      const pcfBase = formatPcf([{ signal: 'clk', pin: board.clock.pin, pullup: rng.chance(0.5), role: 'clock' }]);
      return {
        name: oddString(rng, rng.pick(names), names),
        board,
        ports,
        pins: explicit,
        pcf: mutateText(rng, pcfBase + 'set_io -pullup yes uart_rx 6\nset_io -nowarn led[0] 11 # LED\n', ['set_io', '-pullup', 'yes', 'no', '-nowarn', '-io_std', '#', 'set_frequency']),
      };
    };
  },
  run({ name, board, ports, pins, pcf }) {
    findBoard(name);
    try {
      requireSupportedBoard(name);
    } catch (e) {
      if (!(e instanceof BoardError)) throw e;
    }
    parsePcf(pcf, 'fuzz.pcf');
    const assignments = assignPins(board, ports, pins);
    for (const plain of [false, true]) {
      const back = parsePcf(formatPcf(assignments, { header: `board ${board.id}`, plain }), 'written.pcf');
      const lost = assignments.find((a, i) => back[i]?.signal !== a.signal || back[i]?.pin !== a.pin || back[i]?.pullup !== (a.pullup && !plain));
      if (back.length !== assignments.length || lost) {
        throw new Error(`PCF round trip: ${lost ? `'${lost.signal}' on pin '${lost.pin}'` : `${assignments.length} assignments`} read back as ${JSON.stringify(back.slice(0, 3))}`);
      }
    }
  },
  judge(err) {
    return err instanceof BoardError ? EXPECTED : crash('not a BoardError');
  },
};
