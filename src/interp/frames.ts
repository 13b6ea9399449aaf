// Frame isolation's r10-based half: r10 is always the current frame's top,
// so whether a `[%r10+off]` load, store or atomic leaves the frame is known
// at load time. Such slots become Op.FRAME_ESCAPE, which faults when reached
// (like every other slot that cannot execute), naming the address it would
// have touched. The other half, nothing below the current frame through any
// register, is MemoryLayout.stackFloor (memory.ts, moved by the run loop).

import type { Insn } from '../isa/encoding.ts';
import type { InsnSpec } from '../isa/table.ts';
import { fault } from './cold-path.ts';
import type { Machine } from './machine.ts';
import { effectiveAddress } from './memory.ts';

/** True if the slot is an r10-based access that leaves [r10 - frameSize, r10). */
export function escapesFrame(spec: InsnSpec, insn: Insn, frameSize: number): boolean {
  const sem = spec.sem;
  if (sem.kind !== 'load' && sem.kind !== 'store' && sem.kind !== 'atomic') return false;
  const base = sem.kind === 'load' ? insn.src : insn.dst;
  return base === 10 && (insn.off < -frameSize || insn.off + sem.bytes > 0);
}

/** The fault of an Op.FRAME_ESCAPE slot. Always returns false (the run ended). */
export function frameEscape(m: Machine, pc: number, retired: number, r10: number): false {
  const spec = m.loaded.specs[pc]!;
  const sem = spec.sem;
  const bytes = sem.kind === 'load' || sem.kind === 'store' || sem.kind === 'atomic' ? sem.bytes : 0;
  const off = m.loaded.off[pc]!;
  const frameSize = m.layout.frameSize;
  const address = effectiveAddress(r10, 0, off);
  const hex = (n: number | bigint): string => `0x${n.toString(16)}`;
  const access = sem.kind === 'load' ? 'read' : 'write';
  return fault(m, 'out-of-bounds', pc, retired,
    `${access} of ${bytes} byte${bytes === 1 ? '' : 's'} at ${hex(address)} (r10${off < 0 ? '-' : '+'}${Math.abs(off)}) is outside ` +
    `the current stack frame [${hex(r10 - frameSize)}, ${hex(r10)}) (r10-${frameSize}..r10): each local call's frame is its own`, address);
}
