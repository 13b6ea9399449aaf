// Hand-written designs checked by the referee, by lint and by yosys.

import type { Module } from '../../../src/dsl/index.ts';
import { alu } from './alu.ts';
import { counter } from './counter.ts';
import { fifo } from './fifo.ts';
import { pipeExample } from './pipe.ts';
import { uartLoopback, uartRx, uartTx } from './uart.ts';
import { macDemo } from './mac.ts';
import { spramDemo } from './spram.ts';

export const HAND_DESIGNS: Record<string, () => Module> = {
  counter: () => counter(8),
  counter64: () => counter(64),
  fifo: () => fifo(16, 4),
  fifo_wide: () => fifo(72, 3),
  uart_tx: () => uartTx(4),
  uart_rx: () => uartRx(4),
  uart_loop: () => uartLoopback(4),
  alu: () => alu(),
  pipe: () => pipeExample(),
  mac: () => macDemo(),
  spram: () => spramDemo(),
};
