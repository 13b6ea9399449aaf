// The command-line side of the host link: option handling, what
// `bpfgate run --sim` prints, and the engines it registers.

import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/index.ts';
import { formatHostResult, hostRun, hostTargetOf, openHostEngine } from '../../src/cli/commands/host-run.ts';
import { createEngine, EngineChoiceError, engineNames } from '../../src/engines/registry.ts';
import { PortError } from '../../src/host/errors.ts';

describe('bpfgate run --port / --sim', () => {
  it('reads the target from the options', () => {
    expect(hostTargetOf({})).toBeUndefined();
    expect(hostTargetOf({ port: '/dev/ttyUSB1', baud: '115200' })).toMatchObject({ port: '/dev/ttyUSB1', baud: 115_200 });
    expect(hostTargetOf({ sim: true, runTimeout: '50' })).toMatchObject({ sim: true, runTimeoutMs: 50 });
    expect(() => hostTargetOf({ port: '/dev/ttyUSB1', sim: true })).toThrow('give either --port (a board) or --sim, not both');
    expect(() => hostTargetOf({ sim: true, baud: 'fast' })).toThrow(/--baud: 'fast' is not a positive whole number/);
  });

  it('prints r0, cycles and instructions from the simulated SoC, and checks the expected result', async () => {
    const program = assemble('mov r0, 6\nmul r0, 7\nexit\n', { file: 'mul.s' });
    let out = '';
    const code = await hostRun(program, new Uint8Array(0), {}, { sim: true }, 42n, (t) => (out += t));
    expect(code).toBe(0);
    expect(out).toMatch(/^r0: 0x2a \(42\)\ncycles: \d+\ninsns: 3\nexpected: 0x2a \(match\)\n$/);
  });

  it('formats a fault', () => {
    expect(formatHostResult({ kind: 'fault', code: 3, name: 'out-of-bounds', message: 'pc 1: out-of-bounds', pc: 1, cycles: 9n, insns: 1n }))
      .toBe('fault: pc 1: out-of-bounds\ncycles: 9\ninsns: 1\n');
  });

  it('names a missing port', async () => {
    const err = await openHostEngine({ port: '/dev/ttyBPFGATE-NONE' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortError);
    expect((err as Error).message).toMatch(/^\/dev\/ttyBPFGATE-NONE: no such serial port/);
  });

  it('the registry has the board and soc-sim engines; board needs --port', async () => {
    expect(engineNames()).toEqual(expect.arrayContaining(['board', 'soc-sim']));
    const err = await createEngine('board', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineChoiceError);
    expect((err as Error).message).toBe('--engine board needs --port <device> (e.g. --port /dev/ttyUSB1)');
  });
});
