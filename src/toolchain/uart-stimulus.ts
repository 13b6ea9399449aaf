// UART (8N1) waveforms for simulation: driving a design's uart_rx with bytes
// and reading bytes back off its uart_tx trace, in clock cycles.

import type { CycleInputs, OutputTrace } from './netlist-sim.ts';

export interface UartTiming {
  /** Clock cycles per bit (clock frequency / baud rate). */
  readonly clksPerBit: number;
}

/**
 * Per-cycle inputs that send `bytes` on `port` (idle high), with `idleBefore`
 * idle cycles first, `gap` idle cycles between frames, and `idleAfter` at the end.
 */
export function uartStimulus(
  bytes: readonly number[],
  options: UartTiming & { readonly port?: string; readonly idleBefore?: number; readonly gap?: number; readonly idleAfter?: number },
): CycleInputs[] {
  const port = options.port ?? 'uart_rx';
  const levels: number[] = Array(options.idleBefore ?? 16).fill(1);
  for (const byte of bytes) {
    if (!Number.isInteger(byte) || byte < 0 || byte > 255) throw new RangeError(`uartStimulus: ${byte} is not a byte`);
    const bits = [0, ...Array.from({ length: 8 }, (_, i) => (byte >> i) & 1), 1];
    for (const bit of bits) for (let c = 0; c < options.clksPerBit; c++) levels.push(bit);
    for (let c = 0; c < (options.gap ?? 0); c++) levels.push(1);
  }
  for (let c = 0; c < (options.idleAfter ?? 0); c++) levels.push(1);
  // Only cycles where the level changes need an entry; the others hold it.
  return levels.map((level, i) => (i === 0 || levels[i - 1] !== level ? { [port]: level } : {}));
}

/** Bytes sent on `port` of an output trace, sampled mid-bit; throws on a framing error. */
export function decodeUart(trace: OutputTrace, options: UartTiming & { readonly port?: string }): number[] {
  const port = options.port ?? 'uart_tx';
  const bit = (cycle: number): string => trace[cycle]?.[port] ?? '1';
  const bytes: number[] = [];
  let cycle = 0;
  while (cycle < trace.length) {
    if (bit(cycle) !== '0') {
      cycle++;
      continue;
    }
    const mid = (n: number): number => cycle + Math.floor(options.clksPerBit / 2) + n * options.clksPerBit;
    if (mid(9) >= trace.length) break; // a frame cut off by the end of the trace
    let value = 0;
    for (let i = 0; i < 8; i++) {
      const b = bit(mid(1 + i));
      if (b !== '0' && b !== '1') throw new Error(`uart ${port}: bit ${i} of frame at cycle ${cycle} is '${b}'`);
      value |= Number(b) << i;
    }
    if (bit(mid(9)) !== '1') throw new Error(`uart ${port}: no stop bit for the frame starting at cycle ${cycle}`);
    bytes.push(value);
    cycle = mid(9);
  }
  return bytes;
}
