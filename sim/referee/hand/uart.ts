// 8N1 UART transmitter and receiver with a clocks-per-bit divider, and a
// loopback top that wires the transmitter to the receiver.

import { C, cat, Module } from '../../../src/dsl/index.ts';

function timerWidth(clksPerBit: number): number {
  return Math.max(1, Math.ceil(Math.log2(clksPerBit)));
}

export function uartTx(clksPerBit: number): Module {
  const m = new Module(`uart_tx${clksPerBit}`);
  const start = m.input('start', 1);
  const data = m.input('data', 8);
  const tx = m.output('tx', 1);
  const busy = m.output('busy', 1);

  // Frame, LSB first: start bit 0, 8 data bits, stop bit 1.
  const shift = m.reg('shift', 10, { reset: 0x3ff });
  const bitsLeft = m.reg('bits_left', 4, { reset: 0 });
  const timer = m.reg('timer', timerWidth(clksPerBit), { reset: 0 });
  const idle = bitsLeft.eq(0);

  m.If(idle, () => {
    m.If(start, () => {
      m.sync(shift, cat(C(1, 1), data, C(1, 0)));
      m.sync(bitsLeft, 10);
      m.sync(timer, clksPerBit - 1);
    });
  }).Elif(timer.eq(0), () => {
    m.sync(shift, cat(C(1, 1), shift.slice(9, 1)));
    m.sync(bitsLeft, bitsLeft.sub(1));
    m.sync(timer, clksPerBit - 1);
  }).Else(() => {
    m.sync(timer, timer.sub(1));
  });
  m.comb(tx, idle.or(shift.bit(0)));
  m.comb(busy, idle.not());
  return m;
}

export function uartRx(clksPerBit: number): Module {
  const m = new Module(`uart_rx${clksPerBit}`);
  const rx = m.input('rx', 1);
  const data = m.output('data', 8);
  const valid = m.output('valid', 1);

  const busy = m.reg('busy', 1, { reset: 0 });
  const timer = m.reg('timer', timerWidth(clksPerBit), { reset: 0 });
  const bit = m.reg('bit', 4, { reset: 0 });
  const shift = m.reg('shift', 8, { reset: 0 });
  const out = m.reg('out', 8, { reset: 0 });
  const pulse = m.reg('pulse', 1, { reset: 0 });

  m.sync(pulse, 0);
  m.If(busy.not(), () => {
    m.If(rx.eq(0), () => {
      m.sync(busy, 1);
      m.sync(timer, clksPerBit >> 1);
      m.sync(bit, 0);
    });
  }).Elif(timer.eq(0), () => {
    m.sync(timer, clksPerBit - 1);
    m.Switch(bit)
      .Case(0, () => {
        // Middle of the start bit: a 1 means a glitch, go back to idle.
        m.If(rx, () => m.sync(busy, 0)).Else(() => m.sync(bit, 1));
      })
      .Case(9, () => {
        m.sync(busy, 0);
        m.If(rx, () => {
          m.sync(out, shift);
          m.sync(pulse, 1);
        });
      })
      .Default(() => {
        m.sync(shift, cat(rx, shift.slice(7, 1)));
        m.sync(bit, bit.add(1));
      });
  }).Else(() => m.sync(timer, timer.sub(1)));
  m.comb(data, out);
  m.comb(valid, pulse);
  return m;
}

export function uartLoopback(clksPerBit = 4): Module {
  const m = new Module(`uart_loop${clksPerBit}`);
  const start = m.input('start', 1);
  const din = m.input('din', 8);
  const dout = m.output('dout', 8);
  const valid = m.output('valid', 1);
  const busy = m.output('busy', 1);
  const line = m.output('line', 1);
  const t = m.instance('u_tx', uartTx(clksPerBit), { start, data: din });
  const r = m.instance('u_rx', uartRx(clksPerBit), { rx: t.o.tx });
  m.comb(dout, r.o.data);
  m.comb(valid, r.o.valid);
  m.comb(busy, t.o.busy);
  m.comb(line, t.o.tx);
  return m;
}
