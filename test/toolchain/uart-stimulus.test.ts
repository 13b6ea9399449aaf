import { describe, expect, it } from 'vitest';
import { decodeUart, uartStimulus, type OutputTrace } from '../../src/toolchain/index.ts';
import { stimulusHex } from '../../src/toolchain/netlist-sim.ts';

/** Replays a stimulus (inputs hold until changed) into a trace of one port renamed. */
function asTrace(stimulus: ReturnType<typeof uartStimulus>, from: string, to: string): OutputTrace {
  let level = '1';
  return stimulus.map((c) => {
    if (c[from] !== undefined) level = String(c[from]);
    return { [to]: level };
  });
}

describe('UART stimulus', () => {
  it('encodes 8N1 frames LSB first that decode back to the same bytes', () => {
    const bytes = [0x00, 0xff, 0x5a, 0x81];
    const s = uartStimulus(bytes, { clksPerBit: 8, idleBefore: 5, gap: 3, idleAfter: 10 });
    expect(s.length).toBe(5 + bytes.length * (10 * 8 + 3) + 10);
    expect(s[0]).toEqual({ uart_rx: 1 });
    expect(s[5]).toEqual({ uart_rx: 0 }); // start bit of 0x00
    expect(decodeUart(asTrace(s, 'uart_rx', 'uart_tx'), { clksPerBit: 8 })).toEqual(bytes);
  });

  it('reports a frame without a stop bit', () => {
    const trace: OutputTrace = Array.from({ length: 200 }, (_, i) => ({ uart_tx: i >= 10 && i < 120 ? '0' : '1' }));
    expect(() => decodeUart(trace, { clksPerBit: 10 })).toThrowError(/no stop bit for the frame starting at cycle 10/);
  });

  it('packs per-cycle inputs into hex words, holding values between changes', () => {
    const inputs = [{ name: 'a', width: 1 }, { name: 'b', width: 4 }];
    expect(stimulusHex(inputs, [{ a: 1 }, { b: 0xf }, {}, { a: 0 }])).toBe('10\n1f\n1f\nf\n');
    expect(() => stimulusHex(inputs, [{ b: 16 }])).toThrowError(/value 16 does not fit input 'b' \(4 bits\)/);
    expect(() => stimulusHex(inputs, [{ c: 1 }])).toThrowError(/drives 'c', which is not a \(non-clock\) input; inputs: a, b/);
  });
});
