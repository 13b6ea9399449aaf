// The serial transport (npm serialport) without a board: opening errors
// (missing, busy, not a tty), a silent port, and the whole host path over a
// pseudo-terminal whose far end is the simulated SoC's UART.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standinModel, STANDIN_WORDS, standinSystem } from '../soc/standin-system.ts';
import { HostClient } from '../../src/host/client.ts';
import { HostTimeoutError, PortError } from '../../src/host/errors.ts';
import { SerialTransport } from '../../src/host/serial-transport.ts';
import { createSimulatedSoc, type SimulatedSoc } from '../../src/host/sim-soc.ts';
import { openPty, type Pty } from './support/pty.ts';

describe('serial transport errors', () => {
  it('names a missing port and what to check', async () => {
    const err = await SerialTransport.open({ path: '/dev/ttyBPFGATE-NONE' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortError);
    expect((err as Error).message).toBe(
      '/dev/ttyBPFGATE-NONE: no such serial port (is the board plugged in? boards show up as /dev/ttyUSB* or /dev/ttyACM*)',
    );
  });

  it('refuses something that is not a serial port', async () => {
    await expect(SerialTransport.open({ path: '/dev/null' })).rejects.toThrow('/dev/null: not a serial port');
  });

  it('says a port is busy when another program has it open', async () => {
    const pty = await openPty();
    try {
      const first = await SerialTransport.open({ path: pty.path });
      try {
        const err = await SerialTransport.open({ path: pty.path }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(PortError);
        expect((err as Error).message).toBe(`${pty.path}: the serial port is busy: another program has it open (a terminal, another bpfgate, ModemManager)`);
      } finally {
        await first.close();
      }
    } finally {
      await pty.close();
    }
  });

  it('times out cleanly when the board is silent, naming the port and the command', async () => {
    const pty = await openPty();
    try {
      const port = await SerialTransport.open({ path: pty.path });
      try {
        const t0 = performance.now();
        const err = await new HostClient(port, { timeoutMs: 150 }).identify().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(HostTimeoutError);
        expect((err as Error).message).toBe(
          `${pty.path}: no reply to 'identify' within 150 ms; heard nothing at all: is the bpfgate bitstream loaded, and is this its UART?`,
        );
        expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
      } finally {
        await port.close();
      }
    } finally {
      await pty.close();
    }
  });
});

describe('serial transport over a pty to the simulated SoC', () => {
  let pty: Pty;
  let soc: SimulatedSoc;
  let pumping = true;
  let pump: Promise<void>;

  beforeAll(async () => {
    soc = await createSimulatedSoc({ system: standinSystem({ progWords: 64, dataBytes: 256 }) });
    pty = await openPty();
    // Bytes the host writes to the tty go onto the SoC's rx pin; what the SoC
    // sends on tx goes back to the tty. The simulation runs continuously.
    pty.onData((bytes) => void soc.transport.write(bytes));
    pump = (async () => {
      while (pumping) {
        const out = await soc.transport.read(0.2);
        if (out.length) pty.write(out);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
  });

  afterAll(async () => {
    pumping = false;
    await pump;
    await pty.close();
  });

  it('identifies, loads, runs and reads back through a real tty', async () => {
    const port = await SerialTransport.open({ path: pty.path, baud: 115_200 });
    try {
      const client = new HostClient(port, { timeoutMs: 3000 });
      const info = await client.identify();
      expect(info).toMatchObject({ progWords: 64, dataBytes: 256, faultSet: 0xff });
      const prog = [11n, 22n, STANDIN_WORDS.exit];
      const data = Uint8Array.from([9, 8, 7, 6, 5]);
      await client.writeProgram(0, prog);
      await client.writeData(0, data);
      expect(await client.readData(0, 5)).toEqual(data);
      await client.setDataLimit(5);
      await client.writeRegisters(1, [100n]);
      await client.run(0);
      let s = await client.status();
      while (s.state === 'running') s = await client.status();
      const model = standinModel(prog, 0, data, 5, 100n);
      expect(s).toMatchObject({ state: 'exited', r0: model.r0, insns: BigInt(model.insns) });
    } finally {
      await port.close();
    }
  });
});
