// Every board bpfgate knows, supported or not. Add a board by writing one
// module next to this file and listing it here; the first entry is the
// default board.

import type { BoardDescription } from '../src/board/types.ts';
import { icebreaker } from './icebreaker.ts';
import { icesugar } from './icesugar.ts';
import { upduinoV3 } from './upduino-v3.ts';
import { ice40Hx8kBreakout } from './ice40-hx8k-breakout.ts';
import { tinyfpgaBx } from './tinyfpga-bx.ts';
import { fomuPvt } from './fomu-pvt.ts';
import { icestick } from './icestick.ts';

export const BOARDS: readonly BoardDescription[] = [
  icebreaker,
  icesugar,
  upduinoV3,
  ice40Hx8kBreakout,
  tinyfpgaBx,
  fomuPvt,
  icestick,
];

export const DEFAULT_BOARD_ID = icebreaker.id;
