// src/bytes.ts stands in for Node's Buffer in code the browser playground
// bundles: it must give Buffer's answers.
import { describe, expect, it } from 'vitest';
import { bytesHex, bytesLatin1, compareBytes } from '../src/bytes.ts';

function rand(n: number, seed: number): Uint8Array {
  let x = seed;
  return Uint8Array.from({ length: n }, () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
}

describe('bytes helpers agree with Buffer', () => {
  const samples = [new Uint8Array(0), Uint8Array.of(0), Uint8Array.of(0xff, 0, 0x7f, 0x80), rand(300, 1), rand(17, 2)];
  it('hex and latin1', () => {
    for (const s of samples) {
      expect(bytesHex(s)).toBe(Buffer.from(s).toString('hex'));
      expect(bytesLatin1(s)).toBe(Buffer.from(s).toString('latin1'));
    }
  });
  it('compare', () => {
    const keys = [...samples, Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0), Uint8Array.of(1, 3), Uint8Array.of(1), rand(4, 3), rand(4, 4)];
    for (const a of keys) for (const b of keys) expect(compareBytes(a, b)).toBe(Buffer.compare(a, b));
  });
});
