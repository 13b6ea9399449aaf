// Every Unicode whitespace character is whitespace in assembly, `-- raw`
// and `-- mem` text (issue 15: a line holding only U+00A0 pasted from a web
// page, U+2028, U+3000, a BOM not at the start, \v or \f crashed the
// statement parser with a TypeError).

import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.ts';
import { parseDataFile, programFromDataFile } from '../../src/asm/data-file.ts';
import { AsmError } from '../../src/asm/errors.ts';
import { insnToWord } from '../../src/isa/index.ts';

// U+0085 (NEL) is Unicode White_Space but not in JavaScript's \s.
const SPACES = ['\u00a0', '\u2028', '\u2029', '\u3000', '\ufeff', '\v', '\f', '\u1680', '\u2003', '\u202f', '\u205f', '\u0085'];
const name = (c: string): string => `U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
const words = (src: string): bigint[] => assemble(src).insns.map(insnToWord);
const expected = words('mov %r0, 1\nexit\n');

describe('Unicode whitespace in assembly', () => {
  for (const c of SPACES) {
    it(`${name(c)} alone on a line, before, between and after tokens`, () => {
      expect(words(`${c}\n${c}mov${c}%r0,${c}1${c}\n${c}exit${c}\n${c}${c}`)).toEqual(expected);
    });
  }

  it('labels and memory operands tolerate it too', () => {
    const nb = '\u00a0';
    expect(words(`start${nb}:${nb}ldxw${nb}%r0,${nb}[${nb}%r1${nb}+${nb}0${nb}]\nexit`)).toEqual(words('start: ldxw %r0, [%r1+0]\nexit'));
  });

  it('a non-space character that is not a word still gets a positioned error', () => {
    expect(() => assemble('\u00a0\u2603 %r0')).toThrow(AsmError);
    expect(() => assemble('\u00a0\u2603 %r0')).toThrow(/<asm>:1:2: unknown mnemonic '\u2603'/);
  });
});

describe('Unicode whitespace in .data files', () => {
  for (const c of SPACES) {
    it(`${name(c)} in -- asm, -- raw, -- mem and -- result`, () => {
      const text = `-- asm\n${c}\nmov${c}%r0, 1\nexit\n-- raw\n${c}0x00000001000000b7${c}\n0x95\n-- mem\n${c}01${c}02\n-- result\n${c}0x1${c}\n`;
      const data = parseDataFile(text, 'w.data');
      expect(programFromDataFile(data, 'w.data').insns.map(insnToWord)).toEqual(expected);
      expect([...data.mem!]).toEqual([1, 2]);
      expect(data.result).toBe(1n);
    });
  }
});
