// The assembler: every operand shape, label handling (including the implicit
// `exit` label and lddw's two slots), sources/symbols, and every error kind
// with its line:col.

import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.ts';
import { AsmError } from '../../src/asm/errors.ts';
import { insnToWord, type Insn } from '../../src/isa/index.ts';

const I = (opcode: number, dst = 0, src = 0, off = 0, imm = 0): Insn => ({ opcode, dst, src, off, imm });
const one = (line: string): Insn[] => assemble(line).insns as Insn[];

describe('operand shapes', () => {
  // Expected encodings written from RFC 9669's opcode tables.
  const cases: Array<[string, Insn[]]> = [
    ['add %r1, %r2', [I(0x0f, 1, 2)]],
    ['add r1, r2', [I(0x0f, 1, 2)]],
    ['add32 %r1, %r2', [I(0x0c, 1, 2)]],
    ['add %r1, 5', [I(0x07, 1, 0, 0, 5)]],
    ['sub32 %r3, -7', [I(0x14, 3, 0, 0, -7)]],
    ['mov %r0, 0xffffffff', [I(0xb7, 0, 0, 0, -1)]],
    ['mov32 %r0, -0x80000000', [I(0xb4, 0, 0, 0, -2147483648)]],
    ['mov %r0, 2147483647', [I(0xb7, 0, 0, 0, 2147483647)]],
    ['sdiv %r1, %r2', [I(0x3f, 1, 2, 1)]],
    ['smod32 %r1, 3', [I(0x94, 1, 0, 1, 3)]],
    ['neg %r4', [I(0x87, 4)]],
    ['neg32 %r4', [I(0x84, 4)]],
    ['movsx832 %r1, %r2', [I(0xbc, 1, 2, 8)]],
    ['movsx3264 %r1, %r2', [I(0xbf, 1, 2, 32)]],
    ['be16 %r1', [I(0xdc, 1, 0, 0, 16)]],
    ['le64 %r1', [I(0xd4, 1, 0, 0, 64)]],
    ['bswap32 %r1', [I(0xd7, 1, 0, 0, 32)]],
    ['swap16 %r1', [I(0xd7, 1, 0, 0, 16)]],
    ['jeq %r1, %r2, +3', [I(0x1d, 1, 2, 3)]],
    ['jsgt32 %r1, -5, -1', [I(0x66, 1, 0, -1, -5)]],
    ['jset %r1, 0x80000000, +0', [I(0x45, 1, 0, 0, -2147483648)]],
    ['ja +32767', [I(0x05, 0, 0, 32767)]],
    ['ja -32768', [I(0x05, 0, 0, -32768)]],
    ['ja32 -100000', [I(0x06, 0, 0, 0, -100000)]],
    ['call 5', [I(0x85, 0, 0, 0, 5)]],
    ['call runtime 7', [I(0x85, 0, 2, 0, 7)]],
    ['call local +2', [I(0x85, 0, 1, 0, 2)]],
    ['call %r2', [I(0x8d, 2)]],
    ['exit', [I(0x95)]],
    ['lddw %r1, 0x1122334455667788', [I(0x18, 1, 0, 0, 0x55667788), I(0, 0, 0, 0, 0x11223344)]],
    ['lddw %r1, -1', [I(0x18, 1, 0, 0, -1), I(0, 0, 0, 0, -1)]],
    ['lddw %r1, 18446744073709551615', [I(0x18, 1, 0, 0, -1), I(0, 0, 0, 0, -1)]],
    ['lddw %r1, -9223372036854775808', [I(0x18, 1, 0, 0, 0), I(0, 0, 0, 0, -2147483648)]],
    ['ldxw %r0, [%r1+4]', [I(0x61, 0, 1, 4)]],
    ['ldxdw %r0, [%r10-8]', [I(0x79, 0, 10, -8)]],
    ['ldxb %r0, [%r1]', [I(0x71, 0, 1, 0)]],
    ['ldxh %r0, [ %r1 + 0x2 ]', [I(0x69, 0, 1, 2)]],
    ['ldxsh %r0, [%r1-32768]', [I(0x89, 0, 1, -32768)]],
    ['stw [%r1+4], 5', [I(0x62, 1, 0, 4, 5)]],
    ['stxdw [%r10-8], %r1', [I(0x7b, 10, 1, -8)]],
    ['lock add [%r1+0], %r2', [I(0xdb, 1, 2, 0, 0x00)]],
    ['lock fetch add32 [%r1+4], %r2', [I(0xc3, 1, 2, 4, 0x01)]],
    ['lock xchg [%r1], %r2', [I(0xdb, 1, 2, 0, 0xe1)]],
    ['lock cmpxchg32 [%r1], %r2', [I(0xc3, 1, 2, 0, 0xf1)]],
    ['lock fetch xor [%r1], %r2', [I(0xdb, 1, 2, 0, 0xa1)]],
    ['ldabsw 12', [I(0x20, 0, 0, 0, 12)]],
    ['ldindb %r3, -4', [I(0x50, 0, 3, 0, -4)]],
    ['.raw 0x0000000100010007', [I(0x07, 0, 0, 1, 1)]],
    ['ADD %R1, 5', [I(0x07, 1, 0, 0, 5)]],
  ];
  for (const [text, slots] of cases) {
    it(text, () => expect(one(text)).toEqual(slots));
  }

  it('matches the -- raw words of lddw.data', () => {
    const words = assemble('lddw %r0, 0x1122334455667788\nexit').insns.map(insnToWord);
    expect(words).toEqual([0x5566778800000018n, 0x1122334400000000n, 0x0000000000000095n]);
  });
});

describe('labels', () => {
  it('resolves labels forward and backward, relative to the next slot, counting lddw as two slots', () => {
    const p = assemble(['top:', 'lddw %r0, 1', 'jeq %r0, 1, done', 'ja top', 'done:', 'exit'].join('\n'));
    // slots: 0-1 lddw, 2 jeq, 3 ja, 4 exit
    expect(p.insns[2]!.off).toBe(1);
    expect(p.insns[3]!.off).toBe(-4);
    expect([...p.symbols!]).toEqual([[0, 'top'], [4, 'done']]);
  });

  it('ja32 and call local put the target in imm', () => {
    const p = assemble(['ja32 f', 'exit', 'f:', 'call local f', 'exit'].join('\n'));
    expect(p.insns[0]).toEqual(I(0x06, 0, 0, 0, 1));
    expect(p.insns[2]).toEqual(I(0x85, 0, 1, 0, -1));
  });

  it('`exit` names the first exit instruction unless a label of that name exists', () => {
    const implicit = assemble(['jne %r0, %r1, exit', 'mov %r0, 1', 'exit', 'mov %r0, 2', 'exit'].join('\n'));
    expect(implicit.insns[0]!.off).toBe(1);
    const explicit = assemble(['jne %r0, %r1, exit', 'exit', 'exit:', 'mov %r0, 2', 'exit'].join('\n'));
    expect(explicit.insns[0]!.off).toBe(1);
    expect(explicit.insns[2]).toEqual(I(0xb7, 0, 0, 0, 2));
  });

  it('accepts a label and an instruction on one line, and several labels on one slot', () => {
    const p = assemble('a: b: mov %r0, 0\nja a\nja b\nexit');
    expect(p.insns[1]!.off).toBe(-2);
    expect(p.insns[2]!.off).toBe(-3);
    expect(p.symbols!.get(0)).toBe('a');
  });

  it('ignores comments and blank lines and records sources', () => {
    const p = assemble('# header\n\n  mov %r0, 0x1# trailing\n\texit # done\n', { file: 'x.s', firstLine: 10 });
    expect(p.insns).toEqual([I(0xb7, 0, 0, 0, 1), I(0x95)]);
    expect(p.sources).toEqual([
      { file: 'x.s', line: 12, column: 3 },
      { file: 'x.s', line: 13, column: 2 },
    ]);
    expect(p.entry).toBe(0);
  });
});

describe('errors name the problem and its line:col', () => {
  const cases: Array<[string, string, number, number, RegExp]> = [
    ['unknown mnemonic', 'exit\nldxq %r0, %r1', 2, 1, /unknown mnemonic 'ldxq'/],
    ['wrong operand count', 'lddw %r0', 1, 1, /Invalid number of operands for lddw: got 1, expected lddw %rD, imm64/],
    ['missing operand after comma', 'add %r0,', 1, 9, /missing operand 2/],
    ['lock without operation', 'lock', 1, 1, /Invalid number of operands for lock/],
    ['lock without value', '  lock or [%r10-8]', 1, 3, /Invalid number of operands for lock/],
    ['lock with unknown operation', 'lock nand [%r1], %r2', 1, 6, /unknown mnemonic 'lock nand'/],
    ['register out of range', 'or %r0, %r50', 1, 9, /Invalid register '%r50'/],
    ['malformed register', 'mov %rx, 1', 1, 5, /Invalid register '%rx'/],
    ['r11', 'mov r11, 1', 1, 5, /Invalid register 'r11'/],
    ['decimal imm too big', 'mov32 %r0, 2147483648', 1, 12, /decimal immediate out of signed 32-bit range/],
    ['decimal imm too small', 'mov32 %r0, -2147483649', 1, 12, /decimal immediate out of signed 32-bit range/],
    ['hex imm too big', 'mov32 %r0, 0x100000000', 1, 12, /hex immediate out of 32-bit range/],
    ['imm not a number', 'mov %r0, five', 1, 10, /expected an immediate/],
    ['lddw imm too big', 'lddw %r0, 0x10000000000000000', 1, 11, /out of 64-bit range/],
    ['memory offset out of range', 'ldxb %r0, [%r1+0x10000]', 1, 16, /offset \+0x10000 out of signed 16-bit range/],
    ['memory offset negative out of range', 'ldxb %r0, [%r1-32769]', 1, 16, /out of signed 16-bit range/],
    ['malformed memory operand', 'ldxb %r0, %r1', 1, 11, /malformed memory operand '%r1'/],
    ['memory operand bad register', 'ldxb %r0, [%r11+1]', 1, 12, /Invalid register '%r11'/],
    ['memory operand bad offset', 'ldxb %r0, [%r1+x]', 1, 16, /offset 'x' is not a number/],
    ['undefined label', 'ja NOT_A_LABEL\nexit', 1, 4, /undefined label 'NOT_A_LABEL'/],
    ['implicit exit without exit', 'ja exit', 1, 4, /undefined label 'exit'/],
    ['duplicate label', 'a:\nexit\n  a:\nexit', 3, 3, /duplicate label 'a' \(first defined at line 1\)/],
    ['jump offset out of range', 'ja +32768', 1, 4, /out of the signed 16-bit offset range/],
    ['ja32 offset out of range', 'ja32 +2147483648', 1, 6, /out of the signed 32-bit immediate range/],
    ['bad jump target', 'ja 5', 1, 4, /expected a jump target \(\+N, -N or a label\), got '5'/],
    ['empty program', '# nothing\n\n', 1, 1, /empty program/],
    ['.raw without word', '.raw', 1, 1, /Invalid number of operands for \.raw/],
    ['.raw with a decimal', '.raw 12', 1, 6, /64-bit hex word/],
  ];
  for (const [name, source, line, column, message] of cases) {
    it(name, () => {
      let error: unknown;
      try {
        assemble(source, { file: 'f.s' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AsmError);
      const e = error as AsmError;
      expect(e.detail).toMatch(message);
      expect([e.file, e.line, e.column]).toEqual(['f.s', line, column]);
      expect(e.message).toBe(`f.s:${line}:${column}: ${e.detail}`);
    });
  }

  it('a jump to a label too far away is an error at the jump', () => {
    const body = Array.from({ length: 32768 }, () => 'mov %r0, 0').join('\n');
    expect(() => assemble(`ja far\n${body}\nfar:\nexit`, { file: 'f.s' })).toThrow(/f\.s:1:4: jump to label 'far' is 32768 slots away/);
  });
});
