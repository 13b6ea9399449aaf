// Frame isolation (issue 15): each local call gets its own 512-byte frame,
// and an access outside the frames in use faults, as the Linux verifier
// refuses it. r10-based accesses must stay inside the current frame;
// pointers into a caller's frame (passed as arguments) stay valid; nothing
// below the current frame (a returned callee's, or unused) is reachable.
// `isolateFrames: false` is the one-region model the CPU implements today.

import { describe, expect, it } from 'vitest';
import { DEFAULT_MEMORY_MAP as MAP } from '../../src/isa/memory-map.ts';
import { runProgram } from '../../src/interp/index.ts';
import { asm, faultOf, r0Of } from './run.ts';
import { BELOW_THE_FRAME, CALLEE_WRITES_CALLER, POINTER_INTO_CALLER, RETURNED_CALLEE_FRAME } from './frame-programs.ts';

describe('frame isolation', () => {
  it("a callee's [r10+504] store does not reach the caller's [r10-8]: it faults, naming the pc", () => {
    const src = CALLEE_WRITES_CALLER;
    const f = faultOf(src);
    expect(f.code).toBe('out-of-bounds');
    expect(f.pc).toBe(5);
    expect(f.message).toMatch(/^pc 5: stxdw \[%r10\+504\], %r1 \(0x[0-9a-f]+\): write of 8 bytes at 0x10000ff8 \(r10\+504\) is outside the current stack frame \[0x10000c00, 0x10000e00\)/);
    expect(f.address).toBe(0x10000ff8n);
    // The hardware's model today: one stack region, the caller's slot overwritten.
    expect(r0Of(src, { isolateFrames: false })).toBe(222n);
  });

  it('r10-based accesses: the whole frame is usable, one byte past either end faults', () => {
    expect(r0Of(`stdw [%r10-${MAP.frameSize}], 5\nldxdw %r0, [%r10-${MAP.frameSize}]\nexit`)).toBe(5n);
    expect(r0Of('stb [%r10-1], 7\nldxb %r0, [%r10-1]\nexit')).toBe(7n);
    expect(faultOf(`ldxb %r0, [%r10-${MAP.frameSize + 1}]\nexit`).message).toMatch(/read of 1 byte at 0x10000dff \(r10-513\) is outside the current stack frame/);
    expect(faultOf('ldxw %r0, [%r10-2]\nexit').message).toMatch(/read of 4 bytes at 0x10000ffe \(r10-2\) is outside the current stack frame/);
    expect(faultOf('mov %r0, 0\nlock add [%r10+0], %r0\nexit').code).toBe('out-of-bounds');
  });

  it("a pointer into the caller's frame, passed as an argument, stays usable", () => {
    expect(r0Of(POINTER_INTO_CALLER)).toBe(42n);
  });

  it("a returned callee's frame, and the unused stack below the current frame, fault through any register", () => {
    const dead = faultOf(RETURNED_CALLEE_FRAME);
    expect(dead).toMatchObject({ code: 'out-of-bounds', pc: 2 });
    expect(dead.message).toMatch(/read of 8 bytes at 0x[0-9a-f]+ is below the current stack frame \(frames in use: \[0x[0-9a-f]+, 0x[0-9a-f]+\)\)/);
    expect(faultOf(BELOW_THE_FRAME).pc).toBe(2);
  });

  it('helpers get the same rule', () => {
    const helpers = new Map([[1, (r1: bigint, _2: bigint, _3: bigint, _4: bigint, _5: bigint, ctx: { read(a: bigint, n: number): Uint8Array }) => BigInt(ctx.read(r1, 1)[0]!)]]);
    const r = runProgram(asm('mov %r1, %r10\nadd %r1, -513\ncall 1\nexit'), { helpers });
    expect(r.kind === 'fault' && r.message).toMatch(/below the current stack frame/);
  });
});
