// Faults are results, with a code, the pc, the instruction and a message —
// for slots that cannot execute, the budget, control leaving the program, and
// the legacy packet group.

import { describe, expect, it } from 'vitest';
import { Interpreter, runProgram } from '../../src/interp/index.ts';
import { exit, ins, lddw, program } from './build.ts';
import { exitOf, faultOf, r0Of } from './run.ts';

const raw = (opcode: number, fields: { dst?: number; src?: number; off?: number; imm?: number } = {}) => ({
  opcode, dst: fields.dst ?? 0, src: fields.src ?? 0, off: fields.off ?? 0, imm: fields.imm ?? 0,
});

describe('slots that cannot execute', () => {
  it('an unknown opcode faults when reached, naming pc and the reason', () => {
    const f = faultOf(program(ins('mov64_imm', { dst: 0, imm: 1 }), raw(0xff), exit()));
    expect(f.code).toBe('illegal-instruction');
    expect(f.pc).toBe(1);
    expect(f.insns).toBe(1);
    expect(f.message).toMatch(/^pc 1: .*unknown opcode 0xff/);
    expect(f.insn).toContain('0x00000000000000ff');
  });
  it('an invalid slot that is never executed does not matter', () => {
    expect(r0Of(program(ins('mov64_imm', { dst: 0, imm: 1 }), exit(), raw(0xff)))).toBe(1n);
  });
  it('non-zero unused fields are illegal (strict decode)', () => {
    const f = faultOf(program(raw(0x95, { imm: 1 })));
    expect(f.code).toBe('illegal-instruction');
    expect(f.message).toMatch(/unused field/);
  });
  it('registers above r10 are bad-register', () => {
    const f = faultOf(program(raw(0xb7, { dst: 11, imm: 1 }), exit()));
    expect(f.code).toBe('bad-register');
    expect(f.message).toMatch(/r11/);
  });
  it('writing r10 is bad-register (ALU, load, lddw)', () => {
    expect(faultOf(program(ins('mov64_imm', { dst: 10, imm: 0 }), exit())).code).toBe('bad-register');
    expect(faultOf(program(ins('ldxdw', { dst: 10, src: 10, off: -8 }), exit())).code).toBe('bad-register');
    expect(faultOf(program(lddw(10, 5n), exit())).code).toBe('bad-register');
  });
  it('jumping into the second slot of an lddw faults there', () => {
    const f = faultOf(program(ins('ja', { off: 1 }), lddw(0, 1n), exit()));
    expect(f.code).toBe('illegal-instruction');
    expect(f.pc).toBe(2);
    expect(f.message).toMatch(/second half of the lddw at slot 1/);
  });
  it('an lddw without its second slot faults', () => {
    const f = faultOf(program(ins('lddw', { dst: 0, imm: 1 })));
    expect(f.code).toBe('illegal-instruction');
    expect(f.message).toMatch(/second slot is missing/);
  });
});

describe('control leaving the program', () => {
  it('a jump outside the program faults at the jump, naming the target', () => {
    const f = faultOf(program(ins('mov64_imm', { dst: 0, imm: 0 }), ins('jeq_imm', { dst: 0, imm: 0, off: 5 }), exit()));
    expect(f.code).toBe('bad-jump');
    expect(f.pc).toBe(1);
    expect(f.message).toMatch(/targets slot 7/);
  });
  it('a backward jump before slot 0', () => {
    const f = faultOf(program(ins('ja', { off: -2 }), exit()));
    expect(f.code).toBe('bad-jump');
    expect(f.message).toMatch(/targets slot -1/);
  });
  it('a local call outside the program', () => {
    expect(faultOf(program(ins('call_local', { imm: 100 }), exit())).code).toBe('bad-jump');
  });
  it('a not-taken bad jump is harmless', () => {
    expect(r0Of(program(ins('mov64_imm', { dst: 0, imm: 1 }), ins('jeq_imm', { dst: 0, imm: 0, off: 99 }), exit()))).toBe(1n);
  });
  it('running past the last instruction faults', () => {
    const f = faultOf(program(ins('mov64_imm', { dst: 0, imm: 0 })));
    expect(f.code).toBe('bad-jump');
    expect(f.message).toMatch(/ran past the last instruction/);
  });
  it('an empty program faults instead of throwing', () => {
    const f = faultOf(program());
    expect(f.code).toBe('bad-jump');
    expect(f.message).toMatch(/the program is empty/);
  });
  it('a bad entry point is refused at load', () => {
    expect(() => new Interpreter({ insns: [exit()], entry: 3 })).toThrow(/entry 3 is outside the program/);
  });
});

describe('instruction budget', () => {
  const loop = program(ins('ja', { off: -1 }));
  it('an endless loop ends with a budget fault after exactly maxInsns', () => {
    const f = faultOf(loop, { maxInsns: 1000 });
    expect(f.code).toBe('budget');
    expect(f.insns).toBe(1000);
    expect(f.message).toMatch(/budget of 1000/);
  });
  it('the default budget is 10 million', () => {
    const f = faultOf(loop);
    expect(f.insns).toBe(10_000_000);
  });
  it('a program needing exactly maxInsns completes', () => {
    const p = program(ins('mov64_imm', { dst: 0, imm: 1 }), exit());
    expect(exitOf(p, { maxInsns: 2 }).insns).toBe(2);
    expect(faultOf(p, { maxInsns: 1 }).code).toBe('budget');
  });
});

describe('legacy packet instructions', () => {
  const packet = Uint8Array.of(0x11, 0x22, 0x33, 0x44, 0x55, 0x66);
  it('are illegal without the legacyPacket option', () => {
    const f = faultOf(program(ins('ldabsw', { imm: 0 }), exit()), { input: packet });
    expect(f.code).toBe('illegal-instruction');
    expect(f.message).toMatch(/legacyPacket/);
  });
  it('ldabs loads big-endian from packet offset imm into r0', () => {
    const opts = { input: packet, legacyPacket: true };
    expect(r0Of(program(ins('ldabsw', { imm: 1 }), exit()), opts)).toBe(0x22334455n);
    expect(r0Of(program(ins('ldabsh', { imm: 4 }), exit()), opts)).toBe(0x5566n);
    expect(r0Of(program(ins('ldabsb', { imm: 5 }), exit()), opts)).toBe(0x66n);
  });
  it('ldind adds the src register to imm', () => {
    const opts = { input: packet, legacyPacket: true };
    expect(r0Of(program(ins('mov64_imm', { dst: 3, imm: 2 }), ins('ldindh', { src: 3, imm: 1 }), exit()), opts)).toBe(0x4455n);
    expect(r0Of(program(ins('mov64_imm', { dst: 3, imm: 5 }), ins('ldindb', { src: 3, imm: -1 }), exit()), opts)).toBe(0x55n);
  });
  it('out of the packet faults', () => {
    const opts = { input: packet, legacyPacket: true };
    const f = runProgram(program(ins('ldabsw', { imm: 3 }), exit()), opts);
    expect(f.kind === 'fault' && f.code).toBe('out-of-bounds');
    const g = runProgram(program(ins('mov64_imm', { dst: 3, imm: -1 }), ins('ldindb', { src: 3, imm: 0 }), exit()), opts);
    expect(g.kind === 'fault' && g.message).toMatch(/packet offset -1/);
  });
});
