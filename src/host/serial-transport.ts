// A Transport over a real serial port (the board's USB-serial bridge), using
// the npm `serialport` package. The package is loaded on first use, so the
// rest of bpfgate works without it; a missing package, a missing port, a busy
// port and a port without permission each get a message that says what to do.

import { PortError } from './errors.ts';
import { ByteQueue, type Transport } from './transport.ts';

/** The serialport version bpfgate is tested with. */
export const SERIALPORT_VERSION = '13.0.0';

export interface SerialOptions {
  /** Device path, e.g. /dev/ttyUSB1 (FT2232H channel B) or /dev/ttyACM0. */
  readonly path: string;
  readonly baud?: number;
}

// The small part of serialport's API used here (the package has its own
// types; this keeps bpfgate compiling when it is not installed).
interface PortLike {
  open(cb: (err: Error | null) => void): void;
  write(data: Uint8Array, cb: (err: Error | null | undefined) => void): boolean;
  drain(cb: (err: Error | null) => void): void;
  close(cb: (err: Error | null) => void): void;
  flush(cb: (err: Error | null) => void): void;
  on(event: 'data', cb: (data: Uint8Array) => void): this;
  on(event: 'error', cb: (err: Error) => void): this;
  on(event: 'close', cb: () => void): this;
  readonly isOpen: boolean;
}
type PortCtor = new (opts: { path: string; baudRate: number; autoOpen: boolean; lock: boolean }) => PortLike;

async function loadSerialPort(): Promise<PortCtor> {
  try {
    const mod = (await import('serialport' as string)) as { SerialPort: PortCtor };
    return mod.SerialPort;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new PortError(
      `talking to a board needs the npm package 'serialport' (tested with ${SERIALPORT_VERSION}), which is not available: ${why.split('\n')[0]}\n` +
        `  install it with: npm install serialport@${SERIALPORT_VERSION}`,
    );
  }
}

/** Turn an open() failure into a message naming the port and the likely fix. */
export function describeOpenError(path: string, err: Error): string {
  const text = err.message;
  if (/No such file or directory|ENOENT/i.test(text)) {
    return `${path}: no such serial port (is the board plugged in? boards show up as /dev/ttyUSB* or /dev/ttyACM*)`;
  }
  if (/busy|lock|EAGAIN|Resource temporarily unavailable/i.test(text)) {
    return `${path}: the serial port is busy: another program has it open (a terminal, another bpfgate, ModemManager)`;
  }
  if (/Permission denied|EACCES/i.test(text)) {
    return `${path}: permission denied opening the serial port (on Linux, add yourself to the 'dialout' group and log in again)`;
  }
  if (/Inappropriate ioctl|ENOTTY/i.test(text)) {
    return `${path}: not a serial port`;
  }
  return `${path}: cannot open the serial port: ${text}`;
}

export class SerialTransport implements Transport {
  private readonly queue = new ByteQueue();
  private failure: string | undefined;

  private constructor(
    private readonly port: PortLike,
    readonly name: string,
  ) {
    port.on('data', (d) => this.queue.push(d));
    port.on('error', (e) => (this.failure = `${name}: ${e.message}`));
    port.on('close', () => (this.failure ??= `${name}: the serial port closed (was the board unplugged?)`));
  }

  static async open(opts: SerialOptions): Promise<SerialTransport> {
    const SerialPort = await loadSerialPort();
    const baud = opts.baud ?? 115_200;
    let port: PortLike;
    try {
      port = new SerialPort({ path: opts.path, baudRate: baud, autoOpen: false, lock: true });
    } catch (e) {
      throw new PortError(`${opts.path}: ${(e as Error).message}`);
    }
    await new Promise<void>((resolve, reject) => {
      port.open((err) => (err ? reject(new PortError(describeOpenError(opts.path, err))) : resolve()));
    });
    return new SerialTransport(port, opts.path);
  }

  now(): number {
    return performance.now();
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.check();
    await new Promise<void>((resolve, reject) => {
      this.port.write(bytes, (err) => (err ? reject(new PortError(`${this.name}: write failed: ${err.message}`)) : undefined));
      this.port.drain((err) => (err ? reject(new PortError(`${this.name}: write failed: ${err.message}`)) : resolve()));
    });
  }

  async read(timeoutMs: number): Promise<Uint8Array> {
    this.check();
    const bytes = await this.queue.wait(timeoutMs);
    if (bytes.length === 0) this.check();
    return bytes;
  }

  async sleep(ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
  }

  async discardInput(): Promise<void> {
    this.queue.take();
  }

  async close(): Promise<void> {
    if (!this.port.isOpen) return;
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }

  private check(): void {
    if (this.failure !== undefined) throw new PortError(this.failure);
  }
}
