// A pseudo-terminal for the serial transport tests (pty-bridge.py, Python 3
// standard library only): a real tty path SerialTransport can open, whose
// other end is this process.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Pty {
  /** The tty path a serial port can open (e.g. /dev/pts/5). */
  readonly path: string;
  /** Bytes the program on the tty side wrote. */
  onData(cb: (bytes: Uint8Array) => void): void;
  /** Send bytes to the program on the tty side. */
  write(bytes: Uint8Array): void;
  close(): Promise<void>;
}

const BRIDGE = join(dirname(fileURLToPath(import.meta.url)), 'pty-bridge.py');

export async function openPty(): Promise<Pty> {
  let child: ChildProcessWithoutNullStreams;
  try {
    child = spawn('python3', [BRIDGE], { stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`the pty tests need python3 (Debian package python3): ${(e as Error).message}`);
  }
  const listeners: ((b: Uint8Array) => void)[] = [];
  const path = await new Promise<string>((resolve, reject) => {
    let head = Buffer.alloc(0);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => reject(new Error(`the pty tests need python3 (Debian package python3): ${e.message}`)));
    child.on('exit', (code) => reject(new Error(`pty-bridge.py exited with ${code}: ${stderr}`)));
    const onFirst = (d: Buffer): void => {
      head = Buffer.concat([head, d]);
      const nl = head.indexOf(10);
      if (nl < 0) return;
      child.stdout.off('data', onFirst);
      const rest = head.subarray(nl + 1);
      child.stdout.on('data', (chunk: Buffer) => listeners.forEach((l) => l(new Uint8Array(chunk))));
      if (rest.length) queueMicrotask(() => listeners.forEach((l) => l(new Uint8Array(rest))));
      resolve(head.subarray(0, nl).toString());
    };
    child.stdout.on('data', onFirst);
  });
  child.removeAllListeners('exit');
  return {
    path,
    onData: (cb) => listeners.push(cb),
    write: (bytes) => child.stdin.write(bytes),
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
        setTimeout(() => child.kill(), 2000).unref();
      }),
  };
}
