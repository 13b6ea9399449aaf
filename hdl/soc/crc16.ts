// The byte-wide CRC-16 update as an XOR network, derived from the software
// CRC (src/abi/crc16.ts) so the hardware and the host cannot disagree.
//
// crc16Update(crc, byte) is linear over GF(2) in the 24 input bits, so output
// bit o is the XOR of the input bits whose unit vector sets bit o. We find
// those by running the software function on each unit vector.

import { cat, type Expr } from '../../src/dsl/index.ts';
import { crc16Update } from '../../src/abi/crc16.ts';

/** For each of the 16 output bits, the input bits (0..15 = crc, 16..23 = byte) it depends on. */
export function crc16Taps(): number[][] {
  const taps: number[][] = Array.from({ length: 16 }, () => []);
  for (let i = 0; i < 24; i++) {
    const out = i < 16 ? crc16Update(1 << i, 0) : crc16Update(0, 1 << (i - 16));
    for (let o = 0; o < 16; o++) if ((out >> o) & 1) taps[o]!.push(i);
  }
  return taps;
}

/** Next CRC register after shifting in `byte` (16-bit crc, 8-bit byte). */
export function crc16Next(crc: Expr, byte: Expr): Expr {
  const input = cat(byte, crc); // bit i of `input`: crc for i < 16, byte bit i-16 above
  const bits = crc16Taps().map((taps) => taps.map((i) => input.bit(i)).reduce((a, b) => a.xor(b)));
  return cat(...bits.reverse());
}
