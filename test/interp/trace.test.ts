// Trace mode: the architectural state after every retired instruction.

import { describe, expect, it } from 'vitest';
import { DEFAULT_MEMORY_MAP as MAP, stackTop } from '../../src/isa/memory-map.ts';
import { Interpreter, runProgram, type Helper, type TraceStep } from '../../src/interp/index.ts';
import { asm } from './run.ts';

const TOP = stackTop(MAP);

function trace(source: string, opts: Parameters<typeof runProgram>[1] = {}): { steps: TraceStep[]; result: ReturnType<typeof runProgram> } {
  const steps: TraceStep[] = [];
  const result = runProgram(asm(source), { ...opts, trace: (s) => steps.push(s) });
  return { steps, result };
}

describe('trace steps', () => {
  const { steps, result } = trace(`
      mov %r1, 5
      stxdw [%r10-8], %r1
      lddw %r2, 0x100000000
      call local f
      mov %r0, 1
      exit
    f:
      stb [%r10-1], -1
      exit`);

  it('one step per retired instruction, in order, with 1-based indexes', () => {
    expect(result.kind).toBe('exit');
    // slots: 0 mov, 1 stxdw, 2-3 lddw, 4 call, 5 mov, 6 exit, 7 stb (f), 8 exit
    expect(steps.map((s) => s.pc)).toEqual([0, 1, 2, 4, 7, 8, 5, 6]);
    expect(steps.map((s) => s.nextPc)).toEqual([1, 2, 4, 7, 8, 5, 6, -1]);
    expect(steps.map((s) => s.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(result.insns).toBe(8);
  });
  it('names each instruction by its ISA table id', () => {
    expect(steps.map((s) => s.id)).toEqual(['mov64_imm', 'stxdw', 'lddw', 'call_local', 'stb', 'exit', 'mov64_imm', 'exit']);
  });
  it('registers after each instruction', () => {
    expect(steps[0]!.regs[1]).toBe(5n);
    expect(steps[2]!.regs[2]).toBe(0x100000000n);
    expect(steps[3]!.regs[10]).toBe(BigInt(TOP - MAP.frameSize));
    expect(steps[4]!.regs[10]).toBe(BigInt(TOP - MAP.frameSize));
    expect(steps[5]!.regs[10]).toBe(BigInt(TOP));
    expect(steps[6]!.regs[0]).toBe(1n);
    expect(steps[6]!.regs).toHaveLength(11);
  });
  it('memory writes with address, size and value', () => {
    expect(steps[1]!.memWrites).toEqual([{ addr: TOP - 8, bytes: 8, value: 5n }]);
    expect(steps[4]!.memWrites).toEqual([{ addr: TOP - MAP.frameSize - 1, bytes: 1, value: 0xffn }]);
    for (const i of [0, 2, 3, 5, 6, 7]) expect(steps[i]!.memWrites).toEqual([]);
  });
  it('call depth after each instruction', () => {
    expect(steps.map((s) => s.callDepth)).toEqual([0, 0, 0, 1, 1, 0, 0, 0]);
  });
});

describe('trace of atomics and helpers', () => {
  it('cmpxchg writes only when it succeeds; other atomics always write', () => {
    const { steps } = trace(`
      stdw [%r10-8], 10
      mov %r0, 11
      mov %r1, 12
      lock cmpxchg [%r10-8], %r1
      lock cmpxchg [%r10-8], %r1
      lock fetch add32 [%r10-8], %r1
      exit`);
    expect(steps[3]!.memWrites).toEqual([]);
    expect(steps[4]!.memWrites).toEqual([{ addr: TOP - 8, bytes: 8, value: 12n }]);
    expect(steps[5]!.memWrites).toEqual([{ addr: TOP - 8, bytes: 4, value: 24n }]);
  });
  it('helper writes are recorded on the call', () => {
    const poke: Helper = (addr, _b, _c, _d, _e, ctx) => {
      ctx.write(addr, Uint8Array.of(1, 2));
      return 0n;
    };
    const { steps } = trace('mov %r1, %r10\nsub %r1, 2\ncall 3\nexit', { helpers: new Map([[3, poke]]) });
    expect(steps[2]!.memWrites).toEqual([{ addr: TOP - 2, bytes: 2, value: 0x0201n }]);
  });
});

describe('trace and result', () => {
  it('a faulting instruction produces no step; the result is the fault', () => {
    const { steps, result } = trace('mov %r0, 1\nldxb %r0, [%r10+0]\nexit');
    expect(steps).toHaveLength(1);
    expect(result.kind === 'fault' && result.code).toBe('out-of-bounds');
  });
  it('the budget applies to traced runs too', () => {
    const { steps, result } = trace('ja -1', { maxInsns: 5 });
    expect(steps).toHaveLength(5);
    expect(result.kind === 'fault' && result.code).toBe('budget');
  });
  it('the step generator yields the same steps and returns the result', () => {
    const interp = new Interpreter(asm('mov %r0, 2\nmul %r0, 21\nexit'));
    const gen = interp.steps();
    const pcs: number[] = [];
    let next = gen.next();
    while (!next.done) {
      pcs.push(next.value.pc);
      next = gen.next();
    }
    expect(pcs).toEqual([0, 1, 2]);
    expect(next.value.kind === 'exit' && next.value.r0).toBe(42n);
  });
  it('tracing does not change the result', () => {
    const source = `
      mov %r0, 0
      mov %r1, 100
    loop:
      add %r0, %r1
      stxdw [%r10-8], %r0
      sub %r1, 1
      jne %r1, 0, loop
      exit`;
    const plain = runProgram(asm(source));
    const { steps, result } = trace(source);
    expect(result).toEqual(plain);
    expect(steps).toHaveLength(plain.insns);
  });
});
