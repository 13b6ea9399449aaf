// A byte pipe to a board. Reads are pulls with a timeout so that every
// transport, real or simulated, has the same notion of "the board is
// silent": a serial port measures wall-clock time, the simulated SoC
// measures simulated time (deterministic, independent of host speed).

export interface Transport {
  /** What to call the device in messages: a port path, or "simulated SoC". */
  readonly name: string;
  write(bytes: Uint8Array): Promise<void>;
  /**
   * Bytes received since the last read, waiting up to `timeoutMs` for at
   * least one. Resolves with an empty array when nothing came in time.
   */
  read(timeoutMs: number): Promise<Uint8Array>;
  /** Current time in ms in the transport's time base (wall clock, or simulated time). */
  now(): number;
  /** Let `ms` pass (wall clock, or simulated time for a simulation). */
  sleep(ms: number): Promise<void>;
  /** Drop bytes already received and not yet read. */
  discardInput(): Promise<void>;
  close(): Promise<void>;
}

/** Collects bytes pushed by an event source and hands them to `read` callers. */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  private waiter: (() => void) | undefined;

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.chunks.push(Uint8Array.from(bytes));
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  take(): Uint8Array {
    const total = this.chunks.reduce((n, c) => n + c.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    this.chunks = [];
    return out;
  }

  get size(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0);
  }

  /** Resolves when bytes are available or after `timeoutMs` (wall clock). */
  async wait(timeoutMs: number): Promise<Uint8Array> {
    if (this.size === 0 && timeoutMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waiter = undefined;
          resolve();
        }, timeoutMs);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.take();
  }
}
