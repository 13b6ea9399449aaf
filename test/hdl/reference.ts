// The reference side of the unit tests: tiny programs run on the
// interpreter, built from ISA-table entries (no opcode numbers here).

import type { Insn } from '../../src/isa/encoding.ts';
import { specById } from '../../src/isa/lookup.ts';
import type { InsnSpec } from '../../src/isa/table.ts';
import { Interpreter } from '../../src/interp/interpreter.ts';
import type { RunResult, TraceStep } from '../../src/interp/types.ts';
import type { MemoryMap } from '../../src/isa/memory-map.ts';

/** A slot of `spec` with the given operand fields (its fixed fields applied, unused ones zero). */
export function insnOf(spec: InsnSpec, f: Partial<Insn> = {}): Insn {
  return {
    opcode: spec.opcode,
    dst: spec.uses.dst ? f.dst ?? 0 : 0,
    src: spec.fixed.src ?? (spec.uses.src ? f.src ?? 0 : 0),
    off: spec.fixed.off ?? (spec.uses.off ? f.off ?? 0 : 0),
    imm: spec.fixed.imm ?? (spec.uses.imm ? f.imm ?? 0 : 0),
  };
}

export function lddw(dst: number, value: bigint): Insn[] {
  const v = BigInt.asUintN(64, value);
  return [
    insnOf(specById('lddw'), { dst, imm: Number(BigInt.asIntN(32, v)) }),
    { opcode: 0, dst: 0, src: 0, off: 0, imm: Number(BigInt.asIntN(32, v >> 32n)) },
  ];
}

export const EXIT: Insn = insnOf(specById('exit'));

// The CPU's units implement one stack region (no frame isolation): compare
// them with the interpreter's model of that.
const unitModel = (memoryMap?: MemoryMap) => ({ isolateFrames: false, ...(memoryMap ? { memoryMap } : {}) });

export function runInterp(insns: Insn[], input: Uint8Array = new Uint8Array(0), memoryMap?: MemoryMap): RunResult {
  return new Interpreter({ insns, entry: 0 }, unitModel(memoryMap)).run({ input, maxInsns: 1000 });
}

/** Run and return the trace step of the instruction at `pc` (undefined if it faulted). */
export function stepAt(insns: Insn[], pc: number, input: Uint8Array = new Uint8Array(0), memoryMap?: MemoryMap): { step?: TraceStep; result: RunResult } {
  let step: TraceStep | undefined;
  const result = new Interpreter({ insns, entry: 0 }, unitModel(memoryMap)).run({ input, maxInsns: 1000, trace: (s) => { if (s.pc === pc) step = s; } });
  return { step, result };
}

export const EDGES_64: bigint[] = [
  0n, 1n, 2n, 3n, 7n, 8n, 31n, 32n, 33n, 63n, 64n, 65n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xffffn,
  0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x123456789abcdef0n, 0x7fffffffffffffffn,
  0x8000000000000000n, 0xfffffffffffffffen, 0xffffffffffffffffn, 0xffffffff80000000n, 0xfedcba9876543210n,
];

export const EDGES_IMM: number[] = [0, 1, -1, 2, 7, 31, 32, 63, 64, 0x7fffffff, -0x80000000, 0xffff, -0x8000, 0x12345678];
