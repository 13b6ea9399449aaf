// An in-memory Transport with virtual time, for testing the client without
// hardware: `respond` sees each written chunk and returns what the "board"
// sends back (or nothing). Reads that find nothing advance virtual time by
// their whole timeout at once, so timeout tests take no real time.

import type { Transport } from '../../../src/host/transport.ts';

export class FakeTransport implements Transport {
  readonly name: string;
  private time = 0;
  private inbox: number[] = [];
  readonly written: Uint8Array[] = [];

  constructor(
    private readonly respond: (bytes: Uint8Array) => Uint8Array | undefined,
    name = 'fake-port',
  ) {
    this.name = name;
  }

  now(): number {
    return this.time;
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.written.push(Uint8Array.from(bytes));
    const reply = this.respond(bytes);
    if (reply) this.inbox.push(...reply);
  }

  async read(timeoutMs: number): Promise<Uint8Array> {
    if (this.inbox.length === 0) {
      this.time += timeoutMs;
      return new Uint8Array(0);
    }
    this.time += 0.1;
    // Hand bytes out in small pieces, like a serial port does.
    return Uint8Array.from(this.inbox.splice(0, 7));
  }

  async sleep(ms: number): Promise<void> {
    this.time += ms;
  }

  async discardInput(): Promise<void> {
    this.inbox = [];
  }

  async close(): Promise<void> {}
}
