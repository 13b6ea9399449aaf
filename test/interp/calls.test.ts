// Local calls (frames, callee-saved registers, depth bound) and helper calls
// (pluggable table, unwind, callx, call runtime).

import { describe, expect, it } from 'vitest';
import { DEFAULT_MEMORY_MAP as MAP, stackTop } from '../../src/isa/memory-map.ts';
import { defaultHelpers, runProgram, type Helper } from '../../src/interp/index.ts';
import { exit, ins, program } from './build.ts';
import { asm, exitOf, faultOf, r0Of } from './run.ts';

const TOP = BigInt(stackTop(MAP));

describe('local calls', () => {
  it('the callee gets r1..r5, its own frame (r10 one frame lower) and r6..r9/r10 come back', () => {
    const r = exitOf(`
      mov %r6, 6
      mov %r9, 9
      mov %r1, 40
      stdw [%r10-8], 111
      call local f
      ldxdw %r7, [%r10-8]    # caller's slot untouched by the callee's store
      mov %r8, %r10
      exit
    f:
      mov %r0, %r1
      add %r0, 2
      mov %r6, 0
      mov %r9, 0
      stdw [%r10-8], 222
      mov %r5, %r10          # r10 inside the callee (r5 is not restored)
      exit`);
    expect(r.r0).toBe(42n);
    expect(r.regs[6]).toBe(6n);
    expect(r.regs[9]).toBe(9n);
    expect(r.regs[7]).toBe(111n);
    expect(r.regs[8]).toBe(TOP);
    expect(r.regs[5]).toBe(TOP - BigInt(MAP.frameSize));
  });

  it('without frame isolation the caller can read the callee frame (one stack region, the CPU today)', () => {
    expect(r0Of(`
      mov %r1, %r10
      call local f
      ldxdw %r0, [%r10-520]
      exit
    f:
      stdw [%r10-8], 77
      mov %r0, 0
      exit`, { isolateFrames: false })).toBe(77n);
  });

  const recurse = (depth: number): string => `
      mov %r1, ${depth}
      call local f
      exit
    f:
      jeq %r1, 0, deepest
      sub %r1, 1
      call local f
      exit
    deepest:
      mov %r0, %r10          # r10 of the deepest frame, passed back up
      exit`;

  it(`allows maxFrames (${MAP.maxFrames}) frames in total`, () => {
    // depth-1 calls from f plus the entry call = maxFrames - 1 calls
    expect(r0Of(recurse(MAP.maxFrames - 2))).toBe(TOP - BigInt(MAP.frameSize * (MAP.maxFrames - 1)));
  });

  it('faults with call-depth one call deeper', () => {
    const f = faultOf(recurse(MAP.maxFrames - 1));
    expect(f.code).toBe('call-depth');
    expect(f.pc).toBe(5);
    expect(f.message).toContain(`${MAP.maxFrames}`);
  });

  it('honours a custom memory map', () => {
    const memoryMap = { ...MAP, maxFrames: 2 };
    expect(runProgram(asm(recurse(0)), { memoryMap }).kind).toBe('exit');
    const f = runProgram(asm(recurse(1)), { memoryMap });
    expect(f.kind === 'fault' && f.code).toBe('call-depth');
  });
});

describe('helper calls', () => {
  it('the default table has helper 5 (unwind) returning r1', () => {
    expect([...defaultHelpers().keys()]).toEqual([5]);
    expect(r0Of('mov %r1, -1\ncall 5\nexit')).toBe(0xffffffffffffffffn);
  });

  it('unwind with r1 = 0 stops the program at once with r0 = 0, even inside a local call', () => {
    const r = exitOf(`
      mov %r0, 3
      call local f
      mov %r0, 9
      exit
    f:
      mov %r1, 0
      call 5
      mov %r0, 7
      exit`);
    expect(r.r0).toBe(0n);
    expect(r.insns).toBe(4);
  });

  it('a custom helper gets r1..r5 and returns r0; r1..r5 keep their values', () => {
    const seen: bigint[] = [];
    const sum: Helper = (a, b, c, d, e) => {
      seen.push(a, b, c, d, e);
      return a + b + c + d + e;
    };
    const r = exitOf('mov %r1, 1\nmov %r2, 2\nmov %r3, 3\nmov %r4, 4\nmov %r5, -1\ncall 7\nexit', { helpers: new Map([[7, sum]]) });
    expect(seen).toEqual([1n, 2n, 3n, 4n, 0xffffffffffffffffn]);
    expect(r.r0).toBe(9n); // wraps modulo 2^64
    expect(r.regs.slice(1, 6)).toEqual([1n, 2n, 3n, 4n, 0xffffffffffffffffn]);
  });

  it('helpers read and write program memory through the context', () => {
    const fill: Helper = (addr, len, value, _d, _e, ctx) => {
      ctx.write(addr, new Uint8Array(Number(len)).fill(Number(value)));
      return BigInt(ctx.read(addr, 1)[0]!);
    };
    const r = exitOf('mov %r1, %r10\nsub %r1, 4\nmov %r2, 4\nmov %r3, 0xab\ncall 9\nldxw %r6, [%r10-4]\nexit', {
      helpers: new Map([[9, fill]]),
    });
    expect(r.r0).toBe(0xabn);
    expect(r.regs[6]).toBe(0xababababn);
  });

  it('a helper touching memory out of bounds faults the call', () => {
    const bad: Helper = (_a, _b, _c, _d, _e, ctx) => {
      ctx.read(0x1000n, 4);
      return 0n;
    };
    const f = faultOf('call 9\nexit', { helpers: new Map([[9, bad]]) });
    expect(f.code).toBe('out-of-bounds');
    expect(f.address).toBe(0x1000n);
    expect(f.pc).toBe(0);
  });

  it('helper errors become helper-fault, never exceptions', () => {
    const failing: Helper = (_a, _b, _c, _d, _e, ctx) => ctx.fail('no such map');
    const throwing: Helper = () => {
      throw new Error('boom');
    };
    const helpers = new Map([[1, failing], [2, throwing]]);
    expect(faultOf('call 1\nexit', { helpers }).message).toContain('no such map');
    const f = faultOf('call 2\nexit', { helpers });
    expect(f.code).toBe('helper-fault');
    expect(f.message).toContain('boom');
  });

  it('an unknown helper id is a bad-helper fault naming it', () => {
    const f = faultOf('call 42\nexit');
    expect(f.code).toBe('bad-helper');
    expect(f.message).toMatch(/helper 42 is not in the helper table/);
  });

  it('callx takes the helper id from a register', () => {
    expect(r0Of('mov %r1, 12\nmov %r2, 5\ncall %r2\nexit')).toBe(12n);
    const f = faultOf('mov %r2, 6\ncall %r2\nexit');
    expect(f.code).toBe('bad-helper');
    expect(f.message).toContain('6');
    const big = faultOf('lddw %r2, 0x100000005\ncall %r2\nexit');
    expect(big.code).toBe('bad-helper');
  });

  it('call runtime N looks N up in the same table', () => {
    expect(r0Of(program(ins('mov64_imm', { dst: 1, imm: 3 }), ins('call_btf', { imm: 5 }), exit()))).toBe(3n);
    const f = faultOf(program(ins('call_btf', { imm: 77 }), exit()));
    expect(f.code).toBe('bad-helper');
    expect(f.message).toMatch(/BTF id 77/);
  });
});
