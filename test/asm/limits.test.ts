// Bounded errors and a program-size limit (issue 15: a 1 MB random .bin
// printed 124,532 error lines, a 100 MB one ran out of heap after ~90 s, the
// interpreter took 3.7 GB on a 100 MB .s).

import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.ts';
import { parseRaw } from '../../src/asm/raw.ts';
import { AsmError } from '../../src/asm/errors.ts';
import { assertValidProgram, ProgramValidationError } from '../../src/asm/validate.ts';
import { MAX_PROGRAM_SLOTS } from '../../src/program.ts';
import type { Insn } from '../../src/isa/index.ts';

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('program-size limit', () => {
  it('is the Linux kernel\'s one million instructions', () => {
    expect(MAX_PROGRAM_SLOTS).toBe(1_000_000);
  });

  // A smaller limit keeps these fast; the default is the one above.
  it('the assembler stops at the first line past it, naming that line', () => {
    const e = thrown(() => assemble('# big\n' + 'exit\n'.repeat(1005), { file: 'big.s', maxSlots: 1000 }));
    expect(e).toBeInstanceOf(AsmError);
    expect(e.message).toBe('big.s:1002:1: program too large: more than 1000 instruction slots');
    expect(() => assemble('lddw %r0, 1\n'.repeat(500) + 'exit', { maxSlots: 1000 })).toThrow(/<asm>:501:1: program too large/);
    expect(assemble('exit\n'.repeat(1000), { maxSlots: 1000 }).insns).toHaveLength(1000);
  });

  it('so does a -- raw section', () => {
    const e = thrown(() => parseRaw('0x95\n'.repeat(1001), { file: 'big.data', maxSlots: 1000 }));
    expect(e.message).toBe('big.data:1001:1: program too large: more than 1000 instruction slots');
  });
});

describe('bounded error output', () => {
  it('a program with many bad slots reports the first ten and counts the rest', () => {
    const bad: Insn = { opcode: 0xff, dst: 0, src: 0, off: 0, imm: 0 };
    const e = thrown(() => assertValidProgram({ insns: new Array(50_000).fill(bad), entry: 0 }));
    expect(e).toBeInstanceOf(ProgramValidationError);
    const lines = e.message.split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toMatch(/^pc 0 .*Invalid instruction/);
    expect(lines[10]).toBe('... and 49990 more problems');
    expect((e as ProgramValidationError).issues.length).toBeLessThanOrEqual(10);
  });

  it('a huge token is echoed as a short prefix and its length', () => {
    const e = thrown(() => assemble(`${'x'.repeat(200_000)} %r0`, { file: 'p.s' }));
    expect(e.message).toBe(`p.s:1:1: unknown mnemonic '${'x'.repeat(40)}...' (200000 characters)`);
    const e2 = thrown(() => assemble(`mov %r0, ${'9'.repeat(100_000)}`, { file: 'p.s' }));
    expect(e2.message.length).toBeLessThan(300);
  });
});
