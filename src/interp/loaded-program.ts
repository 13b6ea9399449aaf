// Load-time decode: every slot of a Program is decoded once, strictly, through
// the ISA table (`decodeSpec`) into compact typed arrays the run loop reads.
// Slots that cannot execute (undefined encodings, writes to r10, the second
// half of an lddw, jumps leaving the program) become micro-ops that fault
// when reached, so a program with a bad slot it never executes still runs,
// exactly like the hardware.

import type { Insn } from '../isa/encoding.ts';
import { decodeSpec } from '../isa/lookup.ts';
import { DEFAULT_MEMORY_MAP } from '../isa/memory-map.ts';
import type { InsnSpec } from '../isa/table.ts';
import type { Program } from '../program.ts';
import { escapesFrame } from './frames.ts';
import { defaultHelpers } from './helpers.ts';
import { microOpFor, writesDst } from './micro-ops.ts';
import { Op } from './run-loop.ts';
import { poolIndex, REG_WORDS, type LoadedProgram, type SlotFault } from './slots.ts';
import type { FaultCode, LoadOptions } from './types.ts';

export { poolIndex, REG_WORDS, type LoadedProgram, type SlotFault };

export function loadProgram(program: Program, opts: LoadOptions = {}): LoadedProgram {
  const insns = program.insns;
  const n = insns.length;
  if (!Number.isInteger(program.entry) || program.entry < 0 || program.entry >= Math.max(n, 1)) {
    throw new RangeError(`program entry ${program.entry} is outside the program (0..${n - 1})`);
  }

  // Sentinels after the program: slot n catches running off the end; one
  // more per jump whose target is outside the program (so its fault can name
  // the jump). Count them first to size the arrays.
  const targets: (number | undefined)[] = [];
  let badTargets = 0;
  for (let i = 0; i < n; i++) {
    const t = jumpTarget(insns, i);
    targets.push(t);
    if (t !== undefined && (t < 0 || t >= n)) badTargets++;
  }
  const size = n + 1 + badTargets;

  const op = new Uint8Array(size);
  const dst = new Uint8Array(size);
  const operand = new Int32Array(size);
  const off = new Int32Array(size);
  const values = new Int32Array(REG_WORDS + 2 * size);
  const specs: (InsnSpec | undefined)[] = new Array(size).fill(undefined);
  const faults = new Map<number, SlotFault>();
  const legacyPacket = opts.legacyPacket ?? false;
  const isolateFrames = opts.isolateFrames ?? true;
  const frameSize = (opts.memoryMap ?? DEFAULT_MEMORY_MAP).frameSize;

  const illegal = (i: number, code: FaultCode, message: string, reportPc = i): void => {
    op[i] = code === 'bad-jump' ? Op.BAD_JUMP : code === 'bad-register' ? Op.BAD_REG : Op.ILLEGAL;
    faults.set(i, { code, pc: reportPc, message });
  };

  let nextSentinel = n + 1;
  for (let i = 0; i < n; i++) {
    const insn = insns[i]!;
    const decoded = decodeSpec(insn);
    if (!decoded.ok) {
      illegal(i, isRegisterProblem(insn) ? 'bad-register' : 'illegal-instruction', decoded.reason);
      continue;
    }
    const spec = decoded.spec;
    specs[i] = spec;
    const sem = spec.sem;
    dst[i] = 2 * insn.dst;
    operand[i] = spec.uses.src ? 2 * insn.src : poolIndex(i);
    off[i] = insn.off;
    values[poolIndex(i)] = insn.imm;
    values[poolIndex(i) + 1] = insn.imm >> 31;
    op[i] = microOpFor(spec);

    if (sem.kind === 'ldpkt' && !legacyPacket) {
      illegal(i, 'illegal-instruction', `${spec.mnemonic} is a legacy packet instruction; enable the legacyPacket option to run it`);
      continue;
    }
    if (insn.dst === 10 && writesDst(spec)) {
      illegal(i, 'bad-register', `${spec.mnemonic} writes r10, the read-only frame pointer`);
      continue;
    }
    if (sem.kind === 'atomic' && sem.fetch && sem.op !== 'cmpxchg' && insn.src === 10) {
      illegal(i, 'bad-register', `${spec.mnemonic} would write its fetched value to r10, the read-only frame pointer`);
      continue;
    }
    if (isolateFrames && escapesFrame(spec, insn, frameSize)) {
      op[i] = Op.FRAME_ESCAPE; // faults when reached (frames.ts)
      continue;
    }
    if (sem.kind === 'lddw') {
      const tail = insns[i + 1];
      if (tail === undefined) {
        illegal(i, 'illegal-instruction', 'lddw is the last slot: its second slot is missing');
        continue;
      }
      if (tail.opcode !== 0 || tail.dst !== 0 || tail.src !== 0 || tail.off !== 0) {
        illegal(i, 'illegal-instruction', 'the second slot of lddw must be zero except its imm');
        continue;
      }
      values[poolIndex(i) + 1] = tail.imm;
      // The tail only runs if something jumps into it.
      i++;
      illegal(i, 'illegal-instruction', `slot ${i} is the second half of the lddw at slot ${i - 1}; execution reached it`);
      continue;
    }
    const t = targets[i];
    if (t !== undefined) {
      if (t >= 0 && t < n) {
        off[i] = t;
      } else {
        const sentinel = nextSentinel++;
        off[i] = sentinel;
        illegal(sentinel, 'bad-jump', `${spec.mnemonic} targets slot ${t}, outside the program (0..${n - 1})`, i);
      }
    }
  }
  illegal(n, 'bad-jump', n === 0 ? 'the program is empty' : `execution ran past the last instruction (slot ${n - 1})`, Math.max(n - 1, 0));

  return {
    program, length: n, entry: program.entry, op, dst, operand, off, values, specs, faults,
    helpers: opts.helpers ?? defaultHelpers(), memoryMap: opts.memoryMap ?? DEFAULT_MEMORY_MAP, legacyPacket, isolateFrames,
  };
}

/** Absolute target slot of a jump or local call, or undefined if the slot is neither. */
function jumpTarget(insns: readonly Insn[], i: number): number | undefined {
  const decoded = decodeSpec(insns[i]!);
  if (!decoded.ok) return undefined;
  const sem = decoded.spec.sem;
  if (sem.kind === 'jmp') return i + 1 + insns[i]!.off;
  if (sem.kind === 'ja') return i + 1 + (sem.target === 'imm' ? insns[i]!.imm : insns[i]!.off);
  if (sem.kind === 'call' && sem.target === 'local') return i + 1 + insns[i]!.imm;
  return undefined;
}

/** True if the slot would decode but for a register number above r10 in a field it uses. */
function isRegisterProblem(insn: Insn): boolean {
  if (insn.dst <= 10 && insn.src <= 10) return false;
  const clamped = decodeSpec({ ...insn, dst: insn.dst > 10 ? 0 : insn.dst, src: insn.src > 10 ? 0 : insn.src });
  if (!clamped.ok) return false;
  return (insn.dst > 10 && clamped.spec.uses.dst) || (insn.src > 10 && clamped.spec.uses.src);
}

