import { describe, expect, it } from 'vitest';
import { parseDataFile, programFromDataFile } from '../../src/asm/data-file.ts';
import { AsmError } from '../../src/asm/errors.ts';
import { parseRaw } from '../../src/asm/raw.ts';
import { wordToInsn } from '../../src/isa/index.ts';

function errorOf(f: () => unknown): AsmError {
  try {
    f();
  } catch (e) {
    if (e instanceof AsmError) return e;
    throw e;
  }
  throw new Error('expected an AsmError');
}

describe('parseRaw', () => {
  it('reads 64-bit words and 8-byte lines, with comments and blank lines', () => {
    const { insns, sources } = parseRaw('0x5566778800000018\n\n# c\n07 00 01 00 01 00 00 00  # add\n0x95', { file: 'r', firstLine: 5 });
    expect(insns).toEqual([
      wordToInsn(0x5566778800000018n),
      { opcode: 0x07, dst: 0, src: 0, off: 1, imm: 1 },
      { opcode: 0x95, dst: 0, src: 0, off: 0, imm: 0 },
    ]);
    expect(sources.map((s) => s.line)).toEqual([5, 8, 9]);
  });

  it('reports malformed lines with line:col', () => {
    expect(errorOf(() => parseRaw('0x95\n  0xzz', { file: 'r' })).message).toBe("r:2:3: raw slot '0xzz' is not a 64-bit hex word (0x followed by 1..16 hex digits)");
    expect(errorOf(() => parseRaw('0x00000000000000095', { file: 'r' })).message).toMatch(/^r:1:1: .*not a 64-bit hex word/);
    expect(errorOf(() => parseRaw('07 00 01 00 01 00 00 0g', { file: 'r' })).message).toBe("r:1:22: raw byte '0g' is not two hex digits");
    expect(errorOf(() => parseRaw('07 00 01', { file: 'r' })).message).toMatch(/^r:1:1: raw slot line has 3 fields/);
  });
});

describe('parseDataFile', () => {
  const text = [
    '# Copyright header', '# SPDX-License-Identifier: MIT', '-- asm', 'mov %r0, 1', 'exit', '-- mem', '00 01 ff', 'aa',
    '-- result', '0x1', '-- c', '#include <x.h>', 'int x; -- not a header', '-- no register offset', 'call instruction',
  ].join('\n');

  it('splits sections and decodes mem and result', () => {
    const d = parseDataFile(text, 't.data');
    expect(d.asm).toBe('mov %r0, 1\nexit');
    expect(d.sectionLines.asm).toBe(4);
    expect([...d.mem!]).toEqual([0x00, 0x01, 0xff, 0xaa]);
    expect(d.result).toBe(1n);
    expect(d.sections.c).toBe('#include <x.h>\nint x; -- not a header');
    expect(d.sections['no register offset']).toBe('call instruction');
    expect(d.error).toBeUndefined();
  });

  it('results: decimal, hex, negative as 64-bit two\'s complement', () => {
    expect(parseDataFile('-- result\n42', 'f').result).toBe(42n);
    expect(parseDataFile('-- result\n0xFFFFFFFFFFFFFFF6', 'f').result).toBe(0xfffffffffffffff6n);
    expect(parseDataFile('-- result\n-1', 'f').result).toBe(0xffffffffffffffffn);
  });

  it('keeps the -- error text (possibly empty)', () => {
    expect(parseDataFile('-- asm\nexit\n-- error\nInvalid register\n', 'f').error).toBe('Invalid register');
    expect(parseDataFile('-- raw\n0x95\n-- error\n', 'f').error).toBe('');
  });

  it('rejects an unknown section header at its line', () => {
    const e = errorOf(() => parseDataFile('# x\n-- asm\n-- Unknown directive\n-- error\nInvalid register', 'neg.data'));
    expect(e.message).toMatch(/^neg\.data:3:1: unknown section '-- Unknown directive' \(known: -- asm, -- raw/);
  });

  it('rejects duplicate sections, text before the first section, bad mem bytes and bad results', () => {
    expect(errorOf(() => parseDataFile('-- asm\nexit\n-- asm\nexit', 'f')).message).toMatch(/^f:3:1: duplicate section '-- asm' \(first at line 1\)/);
    expect(errorOf(() => parseDataFile('exit\n-- asm', 'f')).message).toMatch(/^f:1:1: text before the first section/);
    expect(errorOf(() => parseDataFile('-- mem\n00 1', 'f')).message).toBe("f:2:4: memory byte '1' is not two hex digits");
    expect(errorOf(() => parseDataFile('-- result\n  zz', 'f')).message).toBe("f:2:3: result 'zz' is not a number");
    expect(errorOf(() => parseDataFile('-- result\n', 'f')).message).toBe('f:2:1: empty -- result section');
    expect(errorOf(() => parseDataFile('-- result\n1\n2', 'f')).message).toBe('f:3:1: more than one value in -- result');
  });
});

describe('programFromDataFile', () => {
  it('assembles -- asm with line numbers of the file', () => {
    const e = errorOf(() => programFromDataFile(parseDataFile('# h\n-- asm\nmov %r0, 1\nbogus\n', 'f.data'), 'f.data'));
    expect(e.message).toBe("f.data:4:1: unknown mnemonic 'bogus'");
  });

  it('uses -- raw when there is no asm', () => {
    const p = programFromDataFile(parseDataFile('-- raw\nb7 00 00 00 01 00 00 00\n0x95', 'f'), 'f');
    expect(p.insns).toHaveLength(2);
    expect(p.sources![1]).toEqual({ file: 'f', line: 3, column: 1 });
  });

  it('checks that -- asm and -- raw agree when both are present', () => {
    const good = '-- asm\nlddw %r0, 0x1122334455667788\nexit\n-- raw\n0x5566778800000018\n0x1122334400000000\n0x0000000000000095';
    expect(programFromDataFile(parseDataFile(good, 'f'), 'f').insns).toHaveLength(3);
    const bad = good.replace('0x0000000000000095', '0x0000000000000195');
    expect(errorOf(() => programFromDataFile(parseDataFile(bad, 'f'), 'f')).message)
      .toBe('f:7:1: -- asm and -- raw disagree at slot 2: asm gives 0x0000000000000095, raw gives 0x0000000000000195');
  });

  it('reports a file without a program, and an empty asm section', () => {
    expect(errorOf(() => programFromDataFile(parseDataFile('# only comments\n', 'e.data'), 'e.data')).message)
      .toBe("e.data:1:1: no program: the file has no '-- asm' or '-- raw' section");
    expect(errorOf(() => programFromDataFile(parseDataFile('-- asm\n\n-- result\n0x0', 'e.data'), 'e.data')).message)
      .toBe('e.data:2:1: empty program: no instructions');
  });
});
