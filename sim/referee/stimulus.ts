// Shared random stimulus: one row of STIM_BITS bits per cycle, written as a
// $readmemh file for the Verilog testbench and read back by the TS side.
// Bit 0 is the reset (high in cycle 0, then rarely). Rows are built from
// 16-bit chunks biased toward 0, all ones, 1 and the MSB.

import type { Rng } from '../../src/random.ts';

export const STIM_BITS = 2048;
export const STIM_WORDS = STIM_BITS / 32;

export interface Stimulus {
  cycles: number;
  /** cycles * STIM_WORDS words, row-major, least significant word first. */
  words: Uint32Array;
}

export function makeStimulus(rng: Rng, cycles: number): Stimulus {
  const words = new Uint32Array(cycles * STIM_WORDS);
  for (let c = 0; c < cycles; c++) {
    for (let j = 0; j < STIM_WORDS; j++) {
      let w = 0;
      for (let h = 0; h < 2; h++) {
        let x: number;
        const r = rng.below(20);
        if (r < 3) x = 0;
        else if (r < 6) x = 0xffff;
        else if (r < 7) x = 0x8000;
        else if (r < 8) x = 1;
        else x = rng.u32() & 0xffff;
        w |= x << (16 * h);
      }
      words[c * STIM_WORDS + j] = w >>> 0;
    }
    const rst = c === 0 || rng.chance(0.03) ? 1 : 0;
    words[c * STIM_WORDS] = ((words[c * STIM_WORDS]! & ~1) | rst) >>> 0;
  }
  return { cycles, words };
}

export function stimulusHex(s: Stimulus): string {
  const lines: string[] = [];
  for (let c = 0; c < s.cycles; c++) {
    let line = '';
    for (let j = STIM_WORDS - 1; j >= 0; j--) line += s.words[c * STIM_WORDS + j]!.toString(16).padStart(8, '0');
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}

/** Copy bits [off, off + w) of row `c` into V[dst..] as canonical words. */
export function loadBits(s: Stimulus, c: number, off: number, w: number, V: Int32Array, dst: number): void {
  const base = c * STIM_WORDS;
  const k = (w + 31) >>> 5;
  for (let j = 0; j < k; j++) {
    const lo = off + 32 * j;
    const q = lo >>> 5;
    const r = lo & 31;
    let v = s.words[base + q]! >>> r;
    if (r !== 0 && q + 1 < STIM_WORDS) v |= s.words[base + q + 1]! << (32 - r);
    const n = Math.min(32, w - 32 * j);
    V[dst + j] = n === 32 ? v | 0 : v & ((1 << n) - 1);
  }
}
