// Option-value parsers shared by the verbs (src/cli/args.ts). Byte lists are
// parsed strictly (issue 15: `--mem-hex "1 2"` and `"0x1 0x2"` silently gave
// the one byte 0x12).

import { describe, expect, it } from 'vitest';
import { parseHexBytes } from '../../src/cli/args.ts';
import { UserError } from '../../src/cli/errors.ts';

const bytes = (text: string): number[] => [...parseHexBytes(text, '--mem-hex')];

describe('parseHexBytes', () => {
  it('reads one run of digits, or separated bytes, or separated runs', () => {
    expect(bytes('aabbcc')).toEqual([0xaa, 0xbb, 0xcc]);
    expect(bytes('0xaabbcc')).toEqual([0xaa, 0xbb, 0xcc]);
    expect(bytes('aa bb cc')).toEqual([0xaa, 0xbb, 0xcc]);
    expect(bytes('aa,bb, cc\t dd')).toEqual([0xaa, 0xbb, 0xcc, 0xdd]);
    expect(bytes('4500 003c')).toEqual([0x45, 0x00, 0x00, 0x3c]);
    expect(bytes('')).toEqual([]);
  });

  it('reads 0x-prefixed single bytes as one byte each', () => {
    expect(bytes('0x1 0x2')).toEqual([1, 2]);
    expect(bytes('0x1,0xff')).toEqual([1, 0xff]);
    expect(bytes('0x1')).toEqual([1]);
  });

  it('refuses a lone digit among separated bytes instead of gluing it to its neighbour', () => {
    expect(() => bytes('1 2')).toThrow(UserError);
    expect(() => bytes('1 2')).toThrow(/--mem-hex: byte 1 '1' .*two hex digits \(01\) or 0x1/);
    expect(() => bytes('aa b cc')).toThrow(/byte 2 'b'/);
  });

  it('refuses odd runs, wide 0x values and non-hex, naming the token', () => {
    expect(() => bytes('abc')).toThrow(/'abc' .*odd number of hex digits/);
    expect(() => bytes('aa 0x1234')).toThrow(/'0x1234' .*more than one byte/);
    expect(() => bytes('aa zz')).toThrow(/'zz' is not a sequence of hex bytes/);
  });

  it('echoes at most a short prefix of a huge bad value', () => {
    const err = (() => { try { bytes(`${'g'.repeat(100_000)}`); } catch (e) { return e as Error; } return undefined; })();
    expect(err?.message.length).toBeLessThan(200);
  });
});
