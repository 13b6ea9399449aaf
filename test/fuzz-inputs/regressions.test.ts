// Crashes the input fuzzer found, each as its shrunk reproducer: the parser
// now refuses the input with its own located error. (The fuzz targets'
// names and seeds are in each test's title.)

import { describe, expect, it } from 'vitest';
import { AsmError, assemble, parseDataFile, programFromDataFile } from '../../src/asm/index.ts';
import { assignPins, BoardError, requireBoard, type DesignPort } from '../../src/board/index.ts';
import { ElfError, loadElf, loadElfWithMaps } from '../../src/elf/index.ts';
import { elfSamples } from '../../src/fuzz-inputs/samples.ts';

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('input fuzzer regressions', () => {
  it('assembly: operands without a mnemonic are an AsmError at the operand (issue 11)', () => {
    const err = thrown(() => assemble('mov %r0, 1\n  %r3, 0x0f0f0f0f\nexit', { file: 'p.s' }));
    expect(err).toBeInstanceOf(AsmError);
    expect((err as AsmError).message).toMatch(/^p\.s:2:3: /);
  });

  // data seed 1 case 22 (shrunk to "-- result") and case 1112 (shrunk to "-- asm"): the error named line 2 of a one-line file.
  it.each([
    ['-- result', /^f\.data:1:1: empty -- result section$/],
    ['-- asm', /^f\.data:1:1: empty program: -- asm section has no lines$/],
    ['-- mem\n00\n-- result', /^f\.data:3:1: empty -- result section$/],
  ])('.data: a section header on the last line is reported at the header (%j)', (text, message) => {
    const err = thrown(() => programFromDataFile(parseDataFile(text, 'f.data'), 'f.data'));
    expect(err).toBeInstanceOf(AsmError);
    expect((err as AsmError).message).toMatch(message);
  });

  it('.data: an empty section followed by a line keeps pointing at that line', () => {
    expect((thrown(() => parseDataFile('-- result\n', 'f')) as Error).message).toBe('f:2:1: empty -- result section');
  });

  // board seed 1 cases 290, 338, 517, 580, 625: the PCF written for these pins read back as other pins.
  const port = (name: string): DesignPort => ({ name, direction: 'output', width: 1, offset: 0, upto: false });
  it.each([['9\v'], ['B10\t'], ['9\r\n'], ['B5\ufeff'], ['1#2'], ['']])('board: an explicit pin %j that a PCF cannot hold is a BoardError', (pin) => {
    const err = thrown(() => assignPins(requireBoard('icebreaker'), [port('x')], { x: pin }));
    expect(err).toBeInstanceOf(BoardError);
    expect((err as Error).message).toContain(`pin ${JSON.stringify(pin)} of 'x' (explicit pin)`);
  });

  it('board: a board pin with a space and a port name with a space are BoardErrors', () => {
    const board = { ...requireBoard('icebreaker'), clock: { pin: '3 5', mhz: 12 } };
    expect(() => assignPins(board, [{ ...port('clk'), direction: 'input' }])).toThrowError(/pin "3 5" of 'clk' \(12 MHz clock of board 'icebreaker'\)/);
    expect(() => assignPins(requireBoard('icebreaker'), [port('[J\f ')], { '[J\f ': 'A1' })).toThrowError(BoardError);
  });

  // elf seed 3 case 25013: a symbol in the reserved section index 0xfff9 was looked up as a section (TypeError in isMapSection).
  it('ELF: a symbol with a reserved section index is an ElfError at its symbol table entry', () => {
    const obj = Uint8Array.from(elfSamples()[0]!);
    const v = new DataView(obj.buffer);
    const shoff = Number(v.getBigUint64(0x28, true));
    const shnum = v.getUint16(0x3c, true);
    const symtab = Array.from({ length: shnum }, (_, i) => shoff + i * 64).find((h) => v.getUint32(h + 4, true) === 2)!;
    const entry = Number(v.getBigUint64(symtab + 24, true)) + 24; // symbol 1
    v.setUint16(entry + 6, 0xfff9, true);
    for (const load of [loadElf, loadElfWithMaps]) {
      const err = thrown(() => load(obj, { file: 'x.o' }));
      expect(err).toBeInstanceOf(ElfError);
      expect((err as ElfError).message).toMatch(/^x\.o: symbol 1 has the reserved section index 0xfff9/);
      expect((err as ElfError).offset).toBe(entry);
    }
  });
});
