// What each board LED shows. Boards have from two LEDs (iCEBreaker: red,
// green) to eight (HX8K breakout), so roles are given by colour name when the
// LEDs have one, else by position:
//
//   role        on when                                   colour / position
//   running     the core is running                       blue  / 1st
//   done        the program exited or was stopped         -     / 2nd (4+ LEDs)
//   done+alive  done, plus a 1 Hz blink while idle, plus  green / 2nd (2-3 LEDs)
//               a 4 Hz blink while running when no LED
//               has the running role
//   fault       the program faulted                       red   / 3rd
//   alive       idle: a 1 Hz blink                        -     / 4th
//
// so a freshly flashed board shows a slow blink: the bitstream is alive and
// waiting for the host.

import { C, Module, type Expr } from '../../src/dsl/index.ts';
import type { BoardLed } from '../../src/board/types.ts';
import { RUN_STATES } from '../../src/abi/protocol.ts';

export type LedRole = 'fault' | 'done' | 'running' | 'alive' | 'done+alive' | 'off';

export function ledRoles(leds: readonly BoardLed[]): LedRole[] {
  const names = leds.map((l) => l.name.toLowerCase());
  if (names.includes('r') || names.includes('g')) {
    return names.map((n) => (n === 'r' ? 'fault' : n === 'g' ? 'done+alive' : n === 'b' ? 'running' : 'off'));
  }
  const order: LedRole[] = leds.length >= 4 ? ['running', 'done', 'fault', 'alive'] : ['running', 'done+alive', 'fault'];
  return leds.map((_, i) => order[i] ?? 'off');
}

/**
 * A module with input run_state (3 bits, RUN_STATES) and one output per LED,
 * `led_<name>`, already at the pin's polarity.
 */
export function ledDriver(leds: readonly BoardLed[], clockHz: number): Module {
  const m = new Module('leds');
  const state = m.input('run_state', 3);
  // Blink rates from the clock: ~1 Hz (alive) and ~4 Hz (running).
  const slowBits = Math.max(2, Math.round(Math.log2(clockHz)));
  const counter = m.reg('blink', slowBits, { reset: 0 });
  m.sync(counter, counter.add(1));
  const slow = counter.msb();
  const fast = counter.bit(slowBits - 3);

  const is = (s: keyof typeof RUN_STATES): Expr => state.eq(RUN_STATES[s]);
  const done = is('exited').or(is('stopped'));
  const roles = ledRoles(leds);
  const hasRunningLed = roles.includes('running');
  const lit: Record<LedRole, Expr> = {
    fault: is('fault'),
    done,
    running: is('running'),
    alive: is('idle').and(slow),
    'done+alive': done.or(is('idle').and(slow)).or(hasRunningLed ? C(1, 0) : is('running').and(fast)),
    off: C(1, 0),
  };
  leds.forEach((led, i) => {
    const out = m.output(`led_${led.name}`, 1);
    const on = lit[roles[i]!];
    m.comb(out, led.activeLow ? on.not() : on);
  });
  return m;
}
