import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.ts';
import { assertValidProgram, ProgramValidationError, validateProgram } from '../../src/asm/validate.ts';
import type { Insn } from '../../src/isa/index.ts';
import type { Program } from '../../src/program.ts';

const I = (opcode: number, dst = 0, src = 0, off = 0, imm = 0): Insn => ({ opcode, dst, src, off, imm });
const issuesOf = (source: string) => validateProgram(assemble(source)).map((i) => `${i.pc}: ${i.message}`);
const raw = (insns: Insn[]): Program => ({ insns, entry: 0 });

describe('validateProgram: structure', () => {
  it('accepts a minimal program', () => {
    expect(issuesOf('mov %r0, 0\nexit')).toEqual([]);
  });

  it('rejects an empty program', () => {
    expect(validateProgram(raw([]))).toEqual([{ pc: 0, message: 'Invalid program: it is empty', insn: '' }]);
  });

  it('decodes strictly: unused fields, unknown opcodes, bad registers', () => {
    const issues = validateProgram(raw([I(0x07, 0, 1, 0, 1), I(0xff), I(0xbf, 0, 12), I(0x95)]));
    expect(issues.map((i) => [i.pc, i.message])).toEqual([
      [0, 'Invalid instruction: add: unused field not zero (src=1)'],
      [1, 'Invalid instruction: unknown opcode 0xff'],
      [2, 'Invalid instruction: mov: invalid register r12'],
    ]);
    expect(issues[0]!.insn).toBe('.raw 0x0000000100001007');
  });

  it('needs the lddw second slot, zero except imm', () => {
    expect(validateProgram(raw([I(0x95), I(0x18, 0, 0, 0, 1)]))[0]!.message).toMatch(/second slot missing/);
    expect(validateProgram(raw([I(0x18, 0, 0, 0, 1), I(0, 1, 0, 0, 0), I(0x95)]))[0]!.message).toMatch(/second slot must be zero/);
  });

  it('rejects targets outside the program or into an lddw', () => {
    expect(issuesOf('ja +5\nexit')).toEqual(['0: Invalid jump target 6: outside the program (0..1)']);
    expect(issuesOf('mov %r0, 0\njeq %r0, 0, -3\nexit')).toEqual(['1: Invalid jump target -1: outside the program (0..2)']);
    expect(issuesOf('mov %r0, 0\nja +1\nlddw %r0, 1\nexit')).toEqual(['1: Invalid jump target 3: into the middle of an lddw']);
    expect(issuesOf('call local +3\nexit')).toEqual(['0: Invalid call target 4: outside the program (0..1)']);
    expect(issuesOf('mov %r0, 0\nja32 +1\nlddw %r0, 1\nexit')).toEqual(['1: Invalid jump target 3: into the middle of an lddw']);
  });

  it('rejects writes to r10 (dst, atomic fetch into r10)', () => {
    expect(issuesOf('mov %r10, 0\nmov %r0, 0\nexit')).toEqual(['0: Invalid write to r10: the frame pointer is read-only']);
    expect(issuesOf('ldxdw %r10, [%r1+0]\nmov %r0, 0\nexit')).toEqual(['0: Invalid write to r10: the frame pointer is read-only']);
    expect(issuesOf('lddw %r10, 1\nmov %r0, 0\nexit')).toEqual(['0: Invalid write to r10: the frame pointer is read-only']);
    expect(issuesOf('lock fetch add [%r1+0], %r10\nmov %r0, 0\nexit')).toEqual(['0: Invalid write to r10: the frame pointer is read-only']);
    // Reading r10, storing through it, or a non-fetch atomic with r10 as the value is fine.
    expect(issuesOf('stxdw [%r10-8], %r10\nlock add [%r10-8], %r10\nmov %r0, %r10\nexit')).toEqual([]);
  });

  it('rejects a bad entry point', () => {
    expect(validateProgram({ insns: [I(0x95)], entry: 3 })[0]!.message).toMatch(/Invalid entry point 3: outside the program/);
  });

  it('rejects running past the last instruction', () => {
    expect(issuesOf('mov %r0, 0\njeq %r0, 0, -2')).toEqual(['1: Invalid control flow: execution can run past the last instruction']);
    // Unreachable trailing code is not reported; an unconditional jump does not fall through.
    expect(issuesOf('mov %r0, 0\nja +1\nmov %r0, 1\nexit')).toEqual([]);
  });
});

describe('validateProgram: reads of unwritten registers', () => {
  it('r0 must be written before exit (error.data)', () => {
    expect(issuesOf('exit')).toEqual([expect.stringMatching(/^0: Invalid read of r0: it is not written on every path/)]);
    expect(issuesOf('or %r0, %r10\nexit')[0]).toMatch(/^0: Invalid read of r0.*R0 !read_ok/);
  });

  it('r1..r5 and r10 are defined at entry; r6..r9 are not', () => {
    expect(issuesOf('mov %r0, %r1\nadd %r0, %r5\nadd %r0, %r10\nexit')).toEqual([]);
    expect(issuesOf('mov %r0, %r6\nexit')).toEqual([expect.stringMatching(/^0: Invalid read of r6/)]);
  });

  it('a register written on only one path is reported where paths join', () => {
    const issues = issuesOf('jeq %r1, 0, +1\nmov %r6, 1\nmov %r0, %r6\nexit');
    expect(issues).toEqual([expect.stringMatching(/^2: Invalid read of r6/)]);
    expect(issuesOf('mov %r6, 0\njeq %r1, 0, +1\nmov %r6, 1\nmov %r0, %r6\nexit')).toEqual([]);
  });

  it('loops reach a fixpoint', () => {
    expect(issuesOf('mov %r0, 0\nloop:\nadd %r0, 1\njlt %r0, 10, loop\nexit')).toEqual([]);
    expect(issuesOf('mov %r0, 0\nloop:\nadd %r0, %r7\nmov %r7, 1\njlt %r0, 10, loop\nexit')).toEqual([
      expect.stringMatching(/^1: Invalid read of r7/),
    ]);
  });

  it('a helper call defines r0 and leaves r1..r5 undefined; r6..r9 survive', () => {
    expect(issuesOf('mov %r6, 1\ncall 5\nadd %r0, %r6\nexit')).toEqual([]);
    expect(issuesOf('call 5\nmov %r0, %r1\nexit')).toEqual([expect.stringMatching(/^1: Invalid read of r1/)]);
    expect(issuesOf('mov %r2, 5\ncall %r2\nexit')).toEqual([]);
    expect(issuesOf('call %r7\nexit')).toEqual([expect.stringMatching(/^0: Invalid read of r7/)]);
  });

  it('a local call passes r1..r5 to the callee, defines r0 and keeps r6..r9 for the caller', () => {
    const ok = 'mov %r6, 1\ncall local f\nadd %r0, %r6\nexit\nf:\nmov %r0, %r1\nexit';
    expect(issuesOf(ok)).toEqual([]);
    // The callee cannot read the caller's r6..r9 (its own frame), nor the caller r1 after the call.
    expect(issuesOf('mov %r6, 1\ncall local f\nexit\nf:\nmov %r0, %r6\nexit')).toEqual([expect.stringMatching(/^3: Invalid read of r6/)]);
    expect(issuesOf('call local f\nmov %r0, %r1\nexit\nf:\nmov %r0, 0\nexit')).toEqual([expect.stringMatching(/^1: Invalid read of r1/)]);
    // The callee's argument registers are only those defined at every call site.
    expect(issuesOf('call 1\ncall local f\nexit\nf:\nmov %r0, %r1\nexit')).toEqual([expect.stringMatching(/^3: Invalid read of r1/)]);
  });

  it('atomics: cmpxchg reads r0, fetch writes the value register', () => {
    expect(issuesOf('lock cmpxchg [%r10-8], %r1\nexit')).toEqual([expect.stringMatching(/^0: Invalid read of r0/)]);
    expect(issuesOf('mov %r6, 1\nlock fetch add [%r10-8], %r6\nmov %r0, %r6\nexit')).toEqual([]);
  });

  it('legacy packet loads define r0 and clobber r1..r5 like a call', () => {
    expect(issuesOf('ldabsb 0\nexit')).toEqual([]);
    expect(issuesOf('ldindb %r7, 0\nexit')).toEqual([expect.stringMatching(/^0: Invalid read of r7/)]);
    expect(issuesOf('ldabsb 0\nmov %r0, %r1\nexit')).toEqual([expect.stringMatching(/^1: Invalid read of r1/)]);
  });
});

describe('assertValidProgram', () => {
  it('throws a ProgramValidationError with file:line:col, pc and disassembly', () => {
    const program = assemble('mov %r0, 0\n  mov %r0, %r8\nexit', { file: 'p.s' });
    let error: unknown;
    try {
      assertValidProgram(program);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProgramValidationError);
    const e = error as ProgramValidationError;
    expect(e.issues).toHaveLength(1);
    expect(e.message).toMatch(/^p\.s:2:3: pc 1 \(mov %r0, %r8\): Invalid read of r8/);
  });

  it('does not throw for a valid program', () => {
    expect(() => assertValidProgram(assemble('mov %r0, 0\nexit'))).not.toThrow();
  });
});
