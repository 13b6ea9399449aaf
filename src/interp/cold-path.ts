// The run loop's rare operations, kept out of it so it stays small: ending
// the run (exit and faults), helper calls, atomics and legacy packet loads.
// Each returns false when the run ended (m.result is then set).

import { describeSlot } from './describe.ts';
import { storeU64, toU64 } from './int64.ts';
import { poolIndex } from './slots.ts';
import type { Machine, MachineCallContext } from './machine.ts';
import { effectiveAddress, outOfBoundsMessage, physical, physicalBig } from './memory.ts';
import type { FaultCode } from './types.ts';

/** End the run with a fault at slot `pc` after `retired` instructions. Always returns false. */
export function fault(m: Machine, code: FaultCode, pc: number, retired: number, what: string, address?: bigint): false {
  const insn = describeSlot(m.loaded.program, pc);
  m.pc = pc;
  m.retired = retired;
  m.result = {
    kind: 'fault', code, pc, insn, message: `pc ${pc}: ${insn}: ${what}`,
    ...(address === undefined ? {} : { address }),
    insns: retired, regs: m.resultRegs(), memory: m.dataMemory(),
  };
  return false;
}

/** Fault of a slot marked at load time (illegal encoding, r10 write, bad jump target, ...). */
export function slotFault(m: Machine, pc: number, retired: number): false {
  const f = m.loaded.faults.get(pc);
  if (f === undefined) return fault(m, 'illegal-instruction', pc, retired, 'no executable instruction here');
  return fault(m, f.code, f.pc, retired, f.message);
}

export function outOfBounds(
  m: Machine, pc: number, retired: number, access: 'read' | 'write', base: number, off: number, bytes: number,
): false {
  const v = m.values;
  const address = effectiveAddress(v[base]!, v[base + 1]!, off);
  return fault(m, 'out-of-bounds', pc, retired, outOfBoundsMessage(m.layout, access, address, bytes), address);
}

/** Normal end by `exit` in the entry function: r0 is already in place (no store back, no wrap). */
export function exitRun(m: Machine, pc: number, retired: number): false {
  m.pc = pc;
  m.retired = retired;
  m.result = { kind: 'exit', r0: toU64(m.values[0]!, m.values[1]!), insns: retired, regs: m.resultRegs(), memory: m.dataMemory() };
  return false;
}

/** Normal end: a helper's stop request (r0 given). */
export function finish(m: Machine, pc: number, retired: number, r0: bigint): false {
  m.pc = pc;
  m.retired = retired;
  storeU64(m.values, 0, r0);
  m.result = { kind: 'exit', r0: BigInt.asUintN(64, r0), insns: retired, regs: m.resultRegs(), memory: m.dataMemory() };
  return false;
}

// ---------------------------------------------------------------------------
// Helpers

/** Arguments up to this many bytes are handed to view() callers in a scratch buffer. */
const SCRATCH_BYTES = 64;

class HelperAbort {
  constructor(readonly code: FaultCode, readonly message: string, readonly address?: bigint) {}
}

/**
 * Call helper `id` for the call at `pc` (`how` names the call form for
 * messages). r1..r5 are left as they were; r0 gets the result. `retired`
 * counts instructions before this call.
 */
export function callHelper(m: Machine, pc: number, retired: number, id: number, how: string): boolean {
  const helper = m.loaded.helpers.get(id);
  if (helper === undefined) {
    const known = [...m.loaded.helpers.keys()].sort((a, b) => a - b).join(', ') || 'none';
    return fault(m, 'bad-helper', pc, retired, `${how} ${id} is not in the helper table (known: ${known})`);
  }
  // One context per machine, refilled for each call: a helper may use it only while it runs.
  const ctx = (m.callContext ??= new CallContext(m));
  ctx.id = id;
  ctx.pc = pc;
  ctx.stopWith = undefined;
  const v = m.values;
  // The run loop keeps its count in a local: publish it, so a helper (a clock) can read how far the run has got.
  m.retired = retired;
  try {
    const numeric = helper.numeric;
    if (numeric !== undefined && (v[3]! | v[5]! | v[7]! | v[9]! | v[11]!) === 0) {
      // Every argument fits 32 bits: the helper's number form, without a BigInt per argument and result.
      const r = numeric(v[2]! >>> 0, v[4]! >>> 0, v[6]! >>> 0, v[8]! >>> 0, v[10]! >>> 0, ctx);
      if (!Number.isSafeInteger(r)) throw new HelperAbort('helper-fault', `helper ${id} returned ${r}, not a safe integer`);
      if (r >= -0x8000_0000 && r <= 0xffff_ffff) {
        v[0] = r;
        v[1] = r < 0 ? -1 : 0;
      } else {
        storeU64(v, 0, BigInt(r));
      }
    } else {
      const r0 = helper(toU64(v[2]!, v[3]!), toU64(v[4]!, v[5]!), toU64(v[6]!, v[7]!), toU64(v[8]!, v[9]!), toU64(v[10]!, v[11]!), ctx);
      if (typeof r0 !== 'bigint') throw new HelperAbort('helper-fault', `helper ${id} returned ${typeof r0}, not a bigint`);
      storeU64(v, 0, r0);
    }
  } catch (e) {
    if (e instanceof HelperAbort) return fault(m, e.code, pc, retired, e.message, e.address);
    return fault(m, 'helper-fault', pc, retired, `helper ${id} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (ctx.stopWith !== undefined) return finish(m, pc, retired + 1, ctx.stopWith);
  return true;
}

/** What a helper sees of the machine during its call (see HelperContext). */
export class CallContext implements MachineCallContext {
  id = 0;
  pc = 0;
  stopWith: bigint | undefined;

  constructor(private readonly m: Machine) {}

  read(addr: bigint, length: number): Uint8Array {
    const layout = this.m.layout;
    const p = length === 0 ? 0 : physicalBig(layout, addr, length);
    if (p < 0) throw new HelperAbort('out-of-bounds', `helper ${this.id}: ${outOfBoundsMessage(layout, 'read', BigInt.asUintN(64, addr), length)}`, BigInt.asUintN(64, addr));
    return this.m.mem.slice(p, p + length);
  }

  view(addr: number, length: number): Uint8Array {
    const layout = this.m.layout;
    const p = length === 0 ? 0 : physical(layout, 0, addr >>> 0, 0, length);
    if (p < 0) throw new HelperAbort('out-of-bounds', `helper ${this.id}: ${outOfBoundsMessage(layout, 'read', BigInt(addr >>> 0), length)}`, BigInt(addr >>> 0));
    const mem = this.m.mem;
    if (length > SCRATCH_BYTES) return mem.subarray(p, p + length);
    // A short argument (a map key) is copied into a scratch buffer kept per length: cheaper than a new view.
    let scratch = this.scratch[length];
    if (scratch === undefined) scratch = this.scratch[length] = new Uint8Array(length);
    for (let i = 0; i < length; i++) scratch[i] = mem[p + i]!;
    return scratch;
  }

  /** view()'s scratch buffers, by length. */
  private readonly scratch: (Uint8Array | undefined)[] = [];

  write(addr: bigint, data: Uint8Array): void {
    const layout = this.m.layout;
    const p = data.length === 0 ? 0 : physicalBig(layout, addr, data.length);
    if (p < 0) throw new HelperAbort('out-of-bounds', `helper ${this.id}: ${outOfBoundsMessage(layout, 'write', BigInt.asUintN(64, addr), data.length)}`, BigInt.asUintN(64, addr));
    if (data.length === 0) return;
    this.m.mem.set(data, p);
    this.m.helperWrites?.push({ addr: Number(BigInt.asUintN(64, addr)), bytes: data.length, value: littleEndian(data) });
  }

  stop(r0: bigint): void {
    this.stopWith = r0;
  }

  fail(message: string): never {
    throw new HelperAbort('helper-fault', `helper ${this.id}: ${message}`);
  }
}

function littleEndian(data: Uint8Array): bigint {
  let value = 0n;
  for (let i = data.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(data[i]!);
  return value;
}

/** Helper id of `call N` / `call runtime N` at pc (its imm). */
export function immediateOf(m: Machine, pc: number): number {
  return m.values[poolIndex(pc)]!;
}

// ---------------------------------------------------------------------------
// Atomics (RFC 9669 section 5.3). 32-bit forms act on the 4 bytes at the
// address; a fetched old value is zero-extended into src (r0 for cmpxchg),
// and cmpxchg32 compares against the low 32 bits of r0.

export function atomic(m: Machine, pc: number, retired: number): boolean {
  const spec = m.loaded.specs[pc]!;
  if (spec.sem.kind !== 'atomic') return fault(m, 'illegal-instruction', pc, retired, 'not an atomic instruction');
  const { op, fetch, bytes } = spec.sem;
  const v = m.values;
  const d = m.loaded.dst[pc]!;
  const s = m.loaded.operand[pc]!;
  const off = m.loaded.off[pc]!;
  const p = physical(m.layout, v[d + 1]!, v[d]!, off, bytes);
  if (p < 0) return outOfBounds(m, pc, retired, 'write', d, off, bytes);

  // On (lo, hi) int32 pairs, no BigInt: a 4-byte atomic has hi = 0 on both sides.
  const dv = m.view;
  const oldLo = dv.getInt32(p, true), oldHi = bytes === 8 ? dv.getInt32(p + 4, true) : 0;
  const srcLo = v[s]!, srcHi = bytes === 8 ? v[s + 1]! : 0;
  let lo: number, hi: number;
  switch (op) {
    case 'add': {
      const sum = (oldLo >>> 0) + (srcLo >>> 0);
      lo = sum | 0;
      hi = (oldHi + srcHi + (sum > 0xffffffff ? 1 : 0)) | 0;
      break;
    }
    case 'or': lo = oldLo | srcLo; hi = oldHi | srcHi; break;
    case 'and': lo = oldLo & srcLo; hi = oldHi & srcHi; break;
    case 'xor': lo = oldLo ^ srcLo; hi = oldHi ^ srcHi; break;
    case 'xchg': lo = srcLo; hi = srcHi; break;
    case 'cmpxchg': {
      const equal = oldLo === v[0]! && (bytes === 4 || oldHi === v[1]!);
      lo = equal ? srcLo : oldLo;
      hi = equal ? srcHi : oldHi;
      break;
    }
  }
  dv.setInt32(p, lo, true);
  if (bytes === 8) dv.setInt32(p + 4, hi, true);
  // The fetched value, zero-extended for 4 bytes (oldHi is 0 then).
  if (op === 'cmpxchg') { v[0] = oldLo; v[1] = oldHi; }
  else if (fetch) { v[s] = oldLo; v[s + 1] = oldHi; }
  return true;
}

// ---------------------------------------------------------------------------
// Legacy packet loads (RFC 9669 section 5.5, classic BPF semantics): r0 = the
// big-endian value at packet offset imm (ldabs) or src + imm (ldind), where
// the packet is the input bytes (r1/r2 on entry). Out of range faults.

export function loadPacket(m: Machine, pc: number, retired: number): boolean {
  const spec = m.loaded.specs[pc]!;
  if (spec.sem.kind !== 'ldpkt') return fault(m, 'illegal-instruction', pc, retired, 'not a packet instruction');
  const { mode, bytes } = spec.sem;
  const v = m.values;
  const imm = BigInt(immediateOf(m, pc));
  const s = m.loaded.operand[pc]!;
  const offset = mode === 'abs' ? imm : BigInt.asIntN(64, toU64(v[s]!, v[s + 1]!) + imm);
  const layout = m.layout;
  if (offset < 0n || offset + BigInt(bytes) > BigInt(layout.packetLength)) {
    const address = BigInt.asUintN(64, BigInt(layout.packetAddr) + offset);
    return fault(m, 'out-of-bounds', pc, retired,
      `${spec.mnemonic} at packet offset ${offset} (${bytes} bytes) is outside the ${layout.packetLength}-byte packet`, address);
  }
  const p = layout.stackSize + (layout.packetAddr - layout.dataBase) + Number(offset);
  const dv = m.view;
  const value = bytes === 1 ? dv.getUint8(p) : bytes === 2 ? dv.getUint16(p, false) : dv.getUint32(p, false);
  v[0] = value;
  v[1] = 0;
  return true;
}
