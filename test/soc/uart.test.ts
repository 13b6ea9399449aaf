// The UART in the TS simulator: loopback, reception of a host clocked
// independently of the design (fractional bit times, +-2% off), the
// transmitter's real bit time, framing errors, glitches and the divisor plan.

import { describe, expect, it } from 'vitest';
import { planBaud, uartRx, uartTx, type BaudPlan } from '../../hdl/soc/uart.ts';
import { Module } from '../../src/dsl/index.ts';
import { byteSegments, LineDriver, LineSampler, type LineSegment } from '../../src/host/uart-line.ts';
import { Simulator } from '../../sim/simulator.ts';

/** uart_rx and uart_tx side by side, with their pins and byte ports exposed. */
async function bench(plan: BaudPlan, loopback: boolean): Promise<Simulator> {
  const top = new Module('uart_bench');
  const rxPin = top.input('rx', 1);
  const txData = top.input('tx_data', 8);
  const txStart = top.input('tx_start', 1);
  const tx = top.instance('u_tx', uartTx(plan), { data: txData, start: txStart });
  const rx = top.instance('u_rx', uartRx(plan), { rx: loopback ? tx.o.tx : rxPin });
  for (const [name, value] of [['tx', tx.o.tx], ['tx_ready', tx.o.ready], ['rx_data', rx.o.data], ['rx_valid', rx.o.valid], ['rx_error', rx.o.frame_error]] as const) {
    top.comb(top.output(name, value.width), value);
  }
  const sim = await Simulator.create(top);
  sim.poke('rx', 1);
  sim.reset(2);
  return sim;
}

interface RxEvents {
  bytes: number[];
  errors: number;
}

/** Drive `segments` onto rx at `hostBaud` and collect what the receiver reports. */
function drive(sim: Simulator, clockHz: number, hostBaud: number, patterns: LineSegment[][], tailBits = 12): RxEvents {
  const driver = new LineDriver(clockHz / hostBaud);
  for (const p of patterns) driver.enqueueSegments(p);
  const rx = sim.fast('rx');
  const valid = sim.fast('rx_valid');
  const err = sim.fast('rx_error');
  const data = sim.fast('rx_data');
  const out: RxEvents = { bytes: [], errors: 0 };
  const tail = Math.ceil((tailBits * clockHz) / hostBaud);
  let idleSince = -1;
  for (let guard = 0; guard < 10_000_000; guard++) {
    const c = sim.cycle;
    rx.set(driver.level(c));
    if (valid.get()) out.bytes.push(data.get());
    if (err.get()) out.errors++;
    if (!driver.busy) {
      if (idleSince < 0) idleSince = c;
      if (c - idleSince > tail) return out;
    }
    sim.step(1);
  }
  throw new Error('bench did not finish');
}

const ALL_BYTES = Array.from({ length: 256 }, (_, i) => i);

describe('UART', () => {
  for (const [clockHz, baud] of [[12e6, 115_200], [48e6, 115_200], [25.175e6, 921_600], [16e6, 9_600], [12e6, 3_000_000]] as const) {
    it(`loops back bytes at ${baud} baud from a ${clockHz / 1e6} MHz clock`, async () => {
      const plan = planBaud({ clockHz, baud });
      const sim = await bench(plan, true);
      const bytes = baud === 9_600 ? [0x00, 0xff, 0xa5, 0x5a, 0x01, 0x80] : ALL_BYTES;
      const ready = sim.fast('tx_ready');
      const valid = sim.fast('rx_valid');
      const got: number[] = [];
      for (const b of bytes) {
        sim.runUntil(() => ready.get() === 1, 20 * plan.divisor);
        sim.poke('tx_data', b);
        sim.poke('tx_start', 1);
        sim.step();
        sim.poke('tx_start', 0);
        sim.runUntil(() => valid.get() === 1, 12 * plan.divisor);
        got.push(sim.peekNumber('rx_data'));
        expect(sim.peekNumber('rx_error')).toBe(0);
      }
      expect(got).toEqual(bytes);
    });
  }

  for (const skew of [-0.02, 0, 0.02]) {
    it(`receives every byte from a host ${skew * 100}% off the nominal 115200 baud (12 MHz)`, async () => {
      const plan = planBaud({ clockHz: 12e6, baud: 115_200 });
      const sim = await bench(plan, false);
      const ev = drive(sim, 12e6, 115_200 * (1 + skew), ALL_BYTES.map((b) => byteSegments(b)));
      expect(ev.errors).toBe(0);
      expect(ev.bytes).toEqual(ALL_BYTES);
    });
  }

  it('loses bytes from a host 6% off (the test bench can tell a wrong baud rate)', async () => {
    const plan = planBaud({ clockHz: 12e6, baud: 115_200 });
    const sim = await bench(plan, false);
    const ev = drive(sim, 12e6, 115_200 * 1.06, ALL_BYTES.map((b) => byteSegments(b)));
    expect(ev.bytes).not.toEqual(ALL_BYTES);
  });

  it('transmits at the nominal bit time: a host sampling at exactly 115200 baud reads every byte', async () => {
    for (const clockHz of [12e6, 30e6, 48e6]) {
      const plan = planBaud({ clockHz, baud: 115_200 });
      const sim = await bench(plan, true);
      const bitCycles = clockHz / 115_200;
      const sampler = new LineSampler(bitCycles);
      const tx = sim.fast('tx');
      const ready = sim.fast('tx_ready');
      const bytes = [0x00, 0x55, 0xff, 0x3c];
      const lows: number[] = [];
      let fell = -1;
      let prev = 1;
      let next = 0;
      for (const b of bytes) {
        sim.runUntil(() => ready.get() === 1, 20 * plan.divisor);
        sim.poke('tx_data', b);
        sim.poke('tx_start', 1);
        for (let i = 0; i < 11 * plan.divisor; i++) {
          const c = sim.cycle;
          const level = tx.get();
          if (prev === 1 && level === 0) fell = c;
          if (prev === 0 && level === 1) lows.push(c - fell);
          prev = level;
          if (c >= next) next = c + sampler.sample(c, level);
          sim.step();
          sim.poke('tx_start', 0);
        }
      }
      expect(sampler.received).toEqual(bytes);
      expect(sampler.framingErrors).toBe(0);
      // 0x00 holds the line low for the start bit and 8 data bits: 9 bit times.
      expect(Math.abs(lows[0]! / (9 * bitCycles) - 1)).toBeLessThan(0.005);
    }
  });

  it('reports a framing error for a stop bit of 0, then resumes after the line idles', async () => {
    const plan = planBaud({ clockHz: 12e6, baud: 115_200 });
    const sim = await bench(plan, false);
    const ev = drive(sim, 12e6, 115_200, [
      byteSegments(0x41),
      byteSegments(0x42, 0),
      [{ level: 0, bits: 3 }], // the bad stop bit lasts: a short break
      [{ level: 1, bits: 2 }],
      byteSegments(0x43),
    ]);
    expect(ev.errors).toBe(1);
    expect(ev.bytes).toEqual([0x41, 0x43]);
  });

  it('reports a break (line held low) once, not as a stream of bytes', async () => {
    const plan = planBaud({ clockHz: 12e6, baud: 115_200 });
    const sim = await bench(plan, false);
    const ev = drive(sim, 12e6, 115_200, [[{ level: 0, bits: 40 }], [{ level: 1, bits: 3 }], byteSegments(0x99)]);
    expect(ev.errors).toBe(1);
    expect(ev.bytes).toEqual([0x99]);
  });

  it('ignores a glitch shorter than half a bit', async () => {
    const plan = planBaud({ clockHz: 12e6, baud: 115_200 });
    const sim = await bench(plan, false);
    const ev = drive(sim, 12e6, 115_200, [[{ level: 0, bits: 0.3 }], [{ level: 1, bits: 3 }], byteSegments(0x7e)]);
    expect(ev).toEqual({ bytes: [0x7e], errors: 0 });
  });

  it('plans divisors and refuses clocks that cannot make the baud rate', () => {
    expect(planBaud({ clockHz: 12e6, baud: 115_200 }).divisor).toBe(104);
    expect(planBaud({ clockHz: 12e6, baud: 115_200 }).error).toBeCloseTo(12e6 / 104 / 115_200 - 1, 12);
    expect(() => planBaud({ clockHz: 300e3, baud: 115_200 })).toThrow(/at least 4 clock cycles per bit; a 0.3 MHz clock gives 2.60/);
    expect(() => planBaud({ clockHz: 1e6, baud: 115_200 })).toThrow(/off by -3.55% \(divisor 9 gives 111111 baud\); at most 2% works/);
    expect(() => planBaud({ clockHz: 12e6, baud: 0 })).toThrow(/must be positive/);
  });
});
