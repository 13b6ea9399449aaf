// The host's end of a UART line in simulation: a driver that puts bytes on
// a pin as 8N1 bits with exact (fractional) bit times, and a sampler that
// recovers bytes from a pin like a UART receiver (edge search at 1/16 bit,
// then one sample in the middle of each bit). Both work in clock cycles of
// the simulated design, so the host's baud rate is independent of the
// design's clock, as with a real USB-serial bridge.

/** A stretch of constant line level, `bits` bit times long (may be fractional). */
export interface LineSegment {
  readonly level: 0 | 1;
  readonly bits: number;
}

/** The 8N1 segments of one byte: start bit, data bits LSB first, stop bit. */
export function byteSegments(byte: number, stopLevel: 0 | 1 = 1): LineSegment[] {
  const bits: (0 | 1)[] = [0, ...Array.from({ length: 8 }, (_, i) => ((byte >> i) & 1) as 0 | 1), stopLevel];
  return bits.map((level) => ({ level, bits: 1 }));
}

/** Serialises bytes (or raw level patterns) onto a pin at fractional bit times. */
export class LineDriver {
  private queue: LineSegment[][] = [];
  /** The pattern on the wire, its start cycle, and the end cycle of each segment. */
  private current: LineSegment[] = [];
  private ends: number[] = [];
  private index = 0;

  constructor(private readonly bitCycles: number) {}

  enqueue(bytes: Uint8Array): void {
    for (const b of bytes) this.queue.push(byteSegments(b));
  }

  /** Queue a raw pattern (a byte with a bad stop bit, a break, a glitch). */
  enqueueSegments(segments: readonly LineSegment[]): void {
    if (segments.length > 0) this.queue.push([...segments]);
  }

  get busy(): boolean {
    return this.current.length > 0 || this.queue.length > 0;
  }

  /** Level of the line at `cycle` (advancing through the queue). */
  level(cycle: number): number {
    for (;;) {
      if (this.current.length === 0) {
        const next = this.queue.shift();
        if (next === undefined) return 1;
        this.current = next;
        this.index = 0;
        let t = 0;
        this.ends = next.map((s) => cycle + Math.round((t += s.bits) * this.bitCycles));
      }
      while (this.index < this.current.length && cycle >= this.ends[this.index]!) this.index++;
      if (this.index < this.current.length) return this.current[this.index]!.level;
      this.current = [];
    }
  }

  /** Cycles until the line level may change next (for stepping in chunks). */
  quietFor(cycle: number): number {
    if (this.current.length === 0) return this.queue.length > 0 ? 1 : Infinity;
    return Math.max(1, this.ends[this.index]! - cycle);
  }
}

/** Recovers bytes from a pin the way a UART receiver does. */
export class LineSampler {
  /** Cycle of the start bit's falling edge, or -1 while the line is idle. */
  private start = -1;
  private bit = 0;
  private value = 0;
  readonly received: number[] = [];
  framingErrors = 0;

  constructor(private readonly bitCycles: number) {}

  /** Feed the line level seen at `cycle`; returns cycles until the next sample matters. */
  sample(cycle: number, level: number): number {
    const T = this.bitCycles;
    if (this.start < 0) {
      if (level === 0) {
        this.start = cycle;
        this.bit = 0;
        this.value = 0;
        return Math.max(1, Math.round(T / 2));
      }
      return Math.max(1, Math.floor(T / 16));
    }
    const due = this.start + Math.round((this.bit + 0.5) * T);
    if (cycle < due) return due - cycle;
    if (this.bit === 0) {
      if (level !== 0) this.start = -1; // a glitch
    } else if (this.bit <= 8) {
      this.value |= level << (this.bit - 1);
    } else {
      if (level === 1) this.received.push(this.value);
      else this.framingErrors++;
      this.start = -1;
      return 1;
    }
    this.bit++;
    return Math.max(1, this.start + Math.round((this.bit + 0.5) * T) - cycle);
  }

  get idle(): boolean {
    return this.start < 0;
  }
}
