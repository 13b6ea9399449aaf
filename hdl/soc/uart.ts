// An 8N1 UART: one start bit, 8 data bits (least significant first), one stop
// bit, no parity. The bit time is a whole number of clock cycles (the baud
// divisor), computed from the clock and the baud rate at elaboration time.
//
// Receiver: a 2-flop synchroniser (the rx pin is asynchronous to our clock),
// start-bit detection on the first low sample, a re-check in the middle of the
// start bit (a glitch shorter than half a bit is ignored), then every bit is
// sampled one divisor later, i.e. in its middle. A stop bit that reads 0 is a
// framing error: it is reported and the receiver waits for the line to go
// idle (high) again, so a break or a wrong baud rate cannot produce a burst
// of bogus bytes.
//
// Transmitter: a 10-bit shift register whose low bit is the tx pin (so tx is
// a flip-flop output, glitch free), all ones when idle.

import { C, cat, Module } from '../../src/dsl/index.ts';

export const DEFAULT_BAUD = 115_200;

/**
 * Largest baud-rate error accepted: the receiver samples mid-bit, so the two
 * ends may drift by under half a bit over the 9.5 bits up to the stop bit's
 * middle (~5%); allowing 2% for ourselves leaves the rest for the other end.
 */
export const MAX_BAUD_ERROR = 0.02;

/** Smallest divisor: the receiver needs a few samples per bit. */
export const MIN_DIVISOR = 4;

export interface UartTiming {
  readonly clockHz: number;
  readonly baud: number;
}

export interface BaudPlan extends UartTiming {
  /** Clock cycles per bit. */
  readonly divisor: number;
  /** The baud rate the divisor really gives. */
  readonly actualBaud: number;
  /** Relative error of actualBaud, signed. */
  readonly error: number;
}

/** The divisor for a clock and baud rate; throws when no divisor is within MAX_BAUD_ERROR. */
export function planBaud(timing: UartTiming): BaudPlan {
  const { clockHz, baud } = timing;
  if (!(clockHz > 0) || !(baud > 0)) throw new RangeError(`UART: clock ${clockHz} Hz and baud ${baud} must be positive`);
  const divisor = Math.round(clockHz / baud);
  if (divisor < MIN_DIVISOR) {
    throw new RangeError(
      `UART: ${baud} baud needs at least ${MIN_DIVISOR} clock cycles per bit; a ${clockHz / 1e6} MHz clock gives ${(clockHz / baud).toFixed(2)}`,
    );
  }
  const actualBaud = clockHz / divisor;
  const error = actualBaud / baud - 1;
  if (Math.abs(error) > MAX_BAUD_ERROR) {
    throw new RangeError(
      `UART: ${baud} baud from a ${clockHz / 1e6} MHz clock is off by ${(error * 100).toFixed(2)}% ` +
        `(divisor ${divisor} gives ${actualBaud.toFixed(0)} baud); at most ${MAX_BAUD_ERROR * 100}% works reliably`,
    );
  }
  return { clockHz, baud, divisor, actualBaud, error };
}

function widthFor(maxValue: number): number {
  return Math.max(1, Math.ceil(Math.log2(maxValue + 1)));
}

/**
 * Receiver. Ports: rx (pin) in; data (8), valid (1-cycle pulse with data),
 * frame_error (1-cycle pulse when a stop bit reads 0) out. `data` holds the
 * last byte until the next byte's first data bit, a bit and a half later.
 */
export function uartRx(plan: BaudPlan, name = 'uart_rx'): Module {
  const D = plan.divisor;
  const m = new Module(name);
  const rx = m.input('rx', 1);
  const data = m.output('data', 8);
  const valid = m.output('valid', 1);
  const frameError = m.output('frame_error', 1);

  // Idle line is high: reset the synchroniser to 1 so reset is not a start bit.
  const sync1 = m.reg('sync1', 1, { reset: 1 });
  const sync2 = m.reg('sync2', 1, { reset: 1 });
  m.sync(sync1, rx);
  m.sync(sync2, sync1);
  const line = sync2;

  // States; 4 = BREAK (after a framing error, until the line is idle again).
  const IDLE = 0, START = 1, DATA = 2, STOP = 3, BREAK = 4;
  const state = m.reg('state', 3, { reset: IDLE });
  const cnt = m.reg('cnt', widthFor(D - 1), { reset: 0 });
  const bit = m.reg('bit', 3, { reset: 0 });
  const shift = m.reg('shift', 8, { reset: 0 });
  const validR = m.reg('valid_r', 1, { reset: 0 });
  const errR = m.reg('frame_error_r', 1, { reset: 0 });
  m.sync(validR, 0);
  m.sync(errR, 0);

  const tick = cnt.eq(0);
  const countDown = (): void => m.sync(cnt, cnt.sub(1));

  m.Switch(state)
    .Case(IDLE, () => {
      m.If(line.eq(0), () => {
        // First low sample: wait half a bit to reach the middle of the start bit.
        m.sync(cnt, Math.floor(D / 2) - 1);
        m.sync(state, START);
      });
    })
    .Case(START, () => {
      m.If(tick, () => {
        m.If(line.eq(0), () => {
          m.sync(cnt, D - 1);
          m.sync(bit, 0);
          m.sync(state, DATA);
        }).Else(() => m.sync(state, IDLE)); // a glitch, not a start bit
      }).Else(countDown);
    })
    .Case(DATA, () => {
      m.If(tick, () => {
        m.sync(shift, cat(line, shift.slice(7, 1)));
        m.sync(cnt, D - 1);
        m.sync(bit, bit.add(1));
        m.If(bit.eq(7), () => m.sync(state, STOP));
      }).Else(countDown);
    })
    .Case(STOP, () => {
      m.If(tick, () => {
        m.If(line.eq(1), () => {
          m.sync(validR, 1);
          m.sync(state, IDLE);
        }).Else(() => {
          m.sync(errR, 1);
          m.sync(state, BREAK);
        });
      }).Else(countDown);
    })
    .Case(BREAK, () => {
      // Wait for the idle level before looking for a start bit.
      m.If(line.eq(1), () => m.sync(state, IDLE));
    });

  m.comb(data, shift);
  m.comb(valid, validR);
  m.comb(frameError, errR);
  return m;
}

/**
 * Transmitter. Ports: data (8), start (1) in; tx (pin), ready (1) out. A byte
 * is taken when start and ready are both 1; ready stays low until its stop
 * bit has been on the line for a full bit time.
 */
export function uartTx(plan: BaudPlan, name = 'uart_tx'): Module {
  const D = plan.divisor;
  const m = new Module(name);
  const data = m.input('data', 8);
  const start = m.input('start', 1);
  const tx = m.output('tx', 1);
  const ready = m.output('ready', 1);

  const shift = m.reg('shift', 10, { reset: 0x3ff });
  const cnt = m.reg('cnt', widthFor(D - 1), { reset: 0 });
  const left = m.reg('left', 4, { reset: 0 });
  const busy = m.reg('busy', 1, { reset: 0 });

  m.If(busy, () => {
    m.If(cnt.eq(0), () => {
      m.If(left.eq(0), () => m.sync(busy, 0)).Else(() => {
        m.sync(shift, cat(C(1, 1), shift.slice(9, 1)));
        m.sync(left, left.sub(1));
        m.sync(cnt, D - 1);
      });
    }).Else(() => m.sync(cnt, cnt.sub(1)));
  }).Elif(start, () => {
    m.sync(shift, cat(C(1, 1), data, C(1, 0)));
    m.sync(left, 9);
    m.sync(cnt, D - 1);
    m.sync(busy, 1);
  });

  m.comb(tx, shift.bit(0));
  m.comb(ready, busy.not());
  return m;
}
