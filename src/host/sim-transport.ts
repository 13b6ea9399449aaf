// A Transport to the cycle-accurate simulation of the SoC, through its UART
// pins: bytes the host writes are serialised to bits on the rx pin at the
// nominal baud rate (exact, fractional bit times, like a real USB-serial
// bridge whose clock is independent of the FPGA's), and the tx pin is
// sampled like a real UART receiver (16x oversampling, mid-bit) to get the
// reply bytes back. Time is simulated time: a timeout of 10 ms is 10 ms of
// SoC clock cycles, so results do not depend on how fast the host is.

import { Simulator } from '../../sim/simulator.ts';
import type { Module } from '../dsl/index.ts';
import type { Transport } from './transport.ts';
import { LineDriver, LineSampler, type LineSegment } from './uart-line.ts';

export interface SimUartOptions {
  /** The SoC's clock (the simulated clock runs at this rate). */
  readonly clockHz: number;
  /** The host's baud rate (the SoC's UART was built for it). */
  readonly baud: number;
  /** Pin names on the module (default uart_rx / uart_tx). */
  readonly rxPin?: string;
  readonly txPin?: string;
  /** Cycles to run between yields to the event loop. */
  readonly chunkCycles?: number;
}

export class SimUartTransport implements Transport {
  readonly name = 'simulated SoC';
  private readonly driver: LineDriver;
  private readonly sampler: LineSampler;
  private readonly rx: { set(v: number): void };
  private readonly tx: { get(): number };
  private readonly chunk: number;
  private nextSample = 0;
  private closed = false;

  constructor(
    readonly sim: Simulator,
    readonly opts: SimUartOptions,
  ) {
    const bitCycles = opts.clockHz / opts.baud;
    this.driver = new LineDriver(bitCycles);
    this.sampler = new LineSampler(bitCycles);
    this.rx = sim.fast(opts.rxPin ?? 'uart_rx');
    this.tx = sim.fast(opts.txPin ?? 'uart_tx');
    this.rx.set(1);
    this.chunk = opts.chunkCycles ?? 200_000;
  }

  /** Compile `top` (a module with UART pins), reset it and connect to it. */
  static async create(top: Module, opts: SimUartOptions): Promise<SimUartTransport> {
    return SimUartTransport.attach(await Simulator.create(top), opts);
  }

  /** Reset an already compiled simulator of a module with UART pins and connect to it. */
  static attach(sim: Simulator, opts: SimUartOptions): SimUartTransport {
    sim.poke(opts.rxPin ?? 'uart_rx', 1);
    sim.reset(2);
    return new SimUartTransport(sim, opts);
  }

  /** Simulated milliseconds since the simulation started. */
  now(): number {
    return (this.sim.cycle / this.opts.clockHz) * 1000;
  }

  /** Framing errors seen on the tx pin (should stay 0). */
  get framingErrors(): number {
    return this.sampler.framingErrors;
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.checkOpen();
    this.driver.enqueue(bytes);
  }

  /** Put a raw level pattern on the rx pin (tests: bad stop bits, breaks, glitches). */
  async writeSegments(segments: readonly LineSegment[]): Promise<void> {
    this.checkOpen();
    this.driver.enqueueSegments(segments);
  }

  async read(timeoutMs: number): Promise<Uint8Array> {
    this.checkOpen();
    const end = this.sim.cycle + this.msToCycles(timeoutMs);
    await this.runUntil(end, () => this.sampler.received.length > 0);
    return Uint8Array.from(this.sampler.received.splice(0));
  }

  async sleep(ms: number): Promise<void> {
    this.checkOpen();
    await this.runUntil(this.sim.cycle + this.msToCycles(ms), () => false);
  }

  async discardInput(): Promise<void> {
    this.sampler.received.length = 0;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private msToCycles(ms: number): number {
    return Math.max(1, Math.ceil((ms * this.opts.clockHz) / 1000));
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('simulated SoC: the transport is closed');
  }

  /** Run the SoC until `done()` or cycle `end`, driving rx and sampling tx. */
  private async runUntil(end: number, done: () => boolean): Promise<void> {
    const { sim } = this;
    let sinceYield = 0;
    while (sim.cycle < end && !done()) {
      const c = sim.cycle;
      this.rx.set(this.driver.level(c));
      if (c >= this.nextSample) this.nextSample = c + this.sampler.sample(c, this.tx.get());
      // Step to whichever comes first: a line change, a sample, the end.
      const n = Math.max(1, Math.min(this.driver.quietFor(c), this.nextSample - c, end - c));
      sim.step(n);
      sinceYield += n;
      if (sinceYield >= this.chunk) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }
}
