import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.ts';
import { disassemble, disassembleInsns, disassembleOne, disassembleProgram } from '../../src/asm/disassembler.ts';
import { wordToInsn, type Insn } from '../../src/isa/index.ts';

const I = (opcode: number, dst = 0, src = 0, off = 0, imm = 0): Insn => ({ opcode, dst, src, off, imm });

describe('disassembler', () => {
  it('prints the conformance syntax', () => {
    const source = [
      'add %r1, %r2', 'add32 %r1, -5', 'mov %r1, 0xffffff00', 'neg %r3', 'be16 %r1', 'jeq %r1, 5, +3',
      'jslt32 %r1, %r2, -1', 'ja +0', 'ja32 -7', 'call 5', 'call runtime 9', 'call local +1', 'call %r3',
      'lddw %r1, 0x1122334455667788', 'ldxw %r0, [%r1+4]', 'ldxsb %r0, [%r10-1]', 'stw [%r1+0], 5', 'stxdw [%r10-8], %r1',
      'lock fetch add32 [%r1+4], %r2', 'lock cmpxchg [%r1+0], %r2', 'ldabsh 12', 'ldindw %r1, 4', 'exit',
    ];
    // Inputs are already in canonical form except the mask, which is printed as
    // its 32-bit pattern (same bits).
    const expected = source.map((l) => (l === 'mov %r1, 0xffffff00' ? 'mov %r1, -256' : l));
    expect(disassemble(assemble(source.join('\n')).insns)).toEqual(expected);
  });

  it('folds lddw and reports the pc of each instruction', () => {
    const d = disassembleInsns(assemble('lddw %r0, 1\nexit').insns);
    expect(d.map((x) => [x.pc, x.slots, x.text])).toEqual([[0, 2, 'lddw %r0, 1'], [2, 1, 'exit']]);
  });

  it('prints undecodable slots as .raw with the reason', () => {
    expect(disassembleOne(wordToInsn(0x0000000100010007n))).toBe('.raw 0x0000000100010007  # opcode 0x07 with offset=1 is not a defined instruction');
    expect(disassembleOne(I(0xff))).toMatch(/^\.raw 0x00000000000000ff {2}# unknown opcode 0xff$/);
    expect(disassembleOne(I(0x07, 11, 0, 0, 1))).toMatch(/invalid register r11/);
  });

  it('prints an lddw with a missing or bad second slot as .raw, and its second slot on its own', () => {
    expect(disassembleOne(I(0x18, 1, 0, 0, 5))).toMatch(/^\.raw .*second slot missing/);
    const lines = disassemble([I(0x18, 1, 0, 0, 5), I(0x00, 1, 0, 0, 7)]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/second slot must be zero except its imm/);
    expect(lines[1]).toMatch(/^\.raw 0x0000000700000100/);
  });

  it('uses symbol names for targets when given, and disassembleProgram defines them', () => {
    const p = assemble('mov %r0, 0\nloop:\nadd %r0, 1\njlt %r0, 3, loop\nexit');
    expect(disassemble(p.insns)[2]).toBe('jlt %r0, 3, -2');
    expect(disassemble(p.insns, { symbols: p.symbols })[2]).toBe('jlt %r0, 3, loop');
    expect(disassembleProgram(p)).toBe('mov %r0, 0\nloop:\nadd %r0, 1\njlt %r0, 3, loop\nexit\n');
  });

  it('disassembleProgram skips names it cannot define (mid-lddw, not identifiers, duplicates)', () => {
    const insns = assemble('lddw %r0, 1\nja -3\nja -2\nexit').insns;
    const symbols = new Map([[1, 'mid'], [0, 'not a name'], [3, 'x'], [4, 'x']]);
    const listing = disassembleProgram({ insns, symbols });
    expect(listing).toBe('lddw %r0, 1\nja -3\nx:\nja -2\nexit\n');
    expect(assemble(listing).insns).toEqual(insns);
  });
});
