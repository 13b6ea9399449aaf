// Pass: constant folding. Cells whose inputs are all constants become
// constants (evaluated with the reference semantics); a few identities turn
// cells into buffers (mux with a constant select, x & 0, x | 0, x + 0, ...).
// Cells are visited in dependency order so constants propagate in one sweep.

import { driverIndex, type Cell, type DesignIR, type ModuleIR } from '../ir.ts';
import { evalComb, maskOf } from '../semantics.ts';
import { levelize } from '../topo.ts';

export function foldConstants(d: DesignIR): DesignIR {
  for (const m of d.modules) {
    // Registers and memory ports that become constant feed more folding.
    for (let i = 0; i < 8 && foldModule(m); i++);
  }
  return d;
}

/** One sweep; returns true when something changed. */
export function foldModule(m: ModuleIR): boolean {
  const before = m.cells.map((c) => c.kind).join();
  const constVal: (bigint | undefined)[] = new Array(m.nets.length);
  for (const c of m.cells) if (c.kind === 'const') constVal[c.outs[0]!] = c.value!;
  // Follow buffers back to the net they copy, to see that two inputs are one value.
  const bufSrc = new Int32Array(m.nets.length).fill(-1);
  for (const c of m.cells) if (c.kind === 'buf') bufSrc[c.outs[0]!] = c.ins[0]!;
  const root = (n: number): number => {
    for (let k = 0; bufSrc[n]! >= 0 && k < 64; k++) n = bufSrc[n]!;
    return n;
  };
  // sig[n]: value known to be below 2^sig[n] (leading zero bits), for range folding.
  const sig = m.nets.map((n) => n.width);
  const drv = driverIndex(m);
  const { order } = levelize(m);
  for (const i of order) {
    const c = m.cells[i]!;
    if (c.kind !== 'inst' && c.outs.length === 1) sig[c.outs[0]!] = significantBits(c, sig, constVal, m);
    if (c.kind === 'const' || c.kind === 'inst') continue;
    const vals = c.ins.map((n) => constVal[n]);
    const outW = m.nets[c.outs[0]!]!.width;
    if (vals.every((v) => v !== undefined)) {
      const v = evalComb(c, vals as bigint[], c.ins.map((n) => m.nets[n]!.width), outW);
      toConst(c, v);
      constVal[c.outs[0]!] = v;
      continue;
    }
    if (c.kind === 'slice') simplifySlice(c, m, drv);
    const same = c.ins.length === 2 && root(c.ins[0]!) === root(c.ins[1]!);
    const ranged = rangeCompare(c, constVal, sig, m);
    const alias = ranged ?? identity({ ...c, inW: c.ins.length ? m.nets[c.ins[0]!]!.width : 0 }, vals, outW, same);
    if (alias === 'zero') {
      toConst(c, 0n);
      constVal[c.outs[0]!] = 0n;
    } else if (alias === 'ones') {
      toConst(c, maskOf(outW));
      constVal[c.outs[0]!] = maskOf(outW);
    } else if (alias !== undefined) {
      c.kind = 'buf';
      c.ins = [c.ins[alias]!];
      bufSrc[c.outs[0]!] = c.ins[0]!;
      if (constVal[c.ins[0]!] !== undefined) constVal[c.outs[0]!] = constVal[c.ins[0]!];
      delete c.signed;
    }
  }
  foldMemoryPorts(m, constVal);
  foldRegisters(m, constVal, root);
  return m.cells.map((c) => c.kind).join() !== before;
}

/** A register that never loads (enable constant 0, or loading its own value)
 *  keeps its power-up value, which equals its reset value: a constant. */
function foldRegisters(m: ModuleIR, constVal: (bigint | undefined)[], root: (n: number) => number): void {
  for (const c of m.cells) {
    if (c.kind !== 'dff') continue;
    const q = c.outs[0]!;
    const holds = constVal[c.ins[1]!] === 0n || root(c.ins[0]!) === root(q);
    const resetHarmless = c.ins.length === 2 || c.reset === c.init || constVal[c.ins[2]!] === 0n;
    if (holds && resetHarmless) {
      const v = c.init ?? 0n;
      toConst(c, v);
      delete c.reset;
      delete c.init;
      constVal[q] = v;
    }
  }
}

/** Memory ports with a constant out-of-range address (or a write port that is
 *  never enabled) do nothing: drop the writes, and a read port's data register
 *  stays at its power-up 0. */
function foldMemoryPorts(m: ModuleIR, constVal: (bigint | undefined)[]): void {
  m.cells = m.cells.filter((c) => {
    if (c.kind !== 'memwr') return true;
    const depth = BigInt(m.mems[c.mem!]!.depth);
    const addr = constVal[c.ins[0]!];
    return !((addr !== undefined && addr >= depth) || constVal[c.ins[2]!] === 0n);
  });
  for (const c of m.cells) {
    if (c.kind !== 'memrd') continue;
    const addr = constVal[c.ins[0]!];
    if (addr !== undefined && addr >= BigInt(m.mems[c.mem!]!.depth)) {
      toConst(c, 0n);
      delete c.mem;
    }
  }
}

function toConst(c: Cell, v: bigint): void {
  c.kind = 'const';
  c.ins = [];
  c.value = v;
  delete c.signed;
  delete c.lo;
}

/** Returns the index of the input the cell reduces to, 'zero'/'ones', or undefined. */
function identity(c: Cell & { inW?: number }, v: (bigint | undefined)[], w: number, same: boolean): number | 'zero' | 'ones' | undefined {
  const ones = maskOf(w);
  const [a, b] = v;
  if (same) {
    // x op x
    if (c.kind === 'eq' || c.kind === 'le') return 'ones';
    if (c.kind === 'ne' || c.kind === 'lt' || c.kind === 'sub' || c.kind === 'xor') return 'zero';
  }
  switch (c.kind) {
    case 'mux':
      if (v[0] !== undefined) return v[0] ? 2 : 1;
      if (c.ins[1] === c.ins[2]) return 1;
      return undefined;
    case 'and':
      if (a === 0n || b === 0n) return 'zero';
      if (a === ones) return 1;
      if (b === ones) return 0;
      if (c.ins[0] === c.ins[1]) return 0;
      return undefined;
    case 'or':
      if (a === ones || b === ones) return 'ones';
      if (a === 0n) return 1;
      if (b === 0n) return 0;
      if (c.ins[0] === c.ins[1]) return 0;
      return undefined;
    case 'xor':
      if (a === 0n) return 1;
      if (b === 0n) return 0;
      return undefined;
    case 'add':
      if (a === 0n) return 1;
      if (b === 0n) return 0;
      return undefined;
    case 'sub':
      if (b === 0n) return 0;
      return undefined;
    case 'mul':
      if (a === 0n || b === 0n) return 'zero';
      if (a === 1n) return 1;
      if (b === 1n) return 0;
      return undefined;
    case 'lt':
    case 'le': {
      // Comparisons against the ends of the range are constant (and
      // Verilator's lint flags them), e.g. x < 0, x <= max, max < x.
      const iw = c.inW ?? 0;
      const lo = c.signed ? 1n << BigInt(iw - 1) : 0n;
      const hi = c.signed ? (1n << BigInt(iw - 1)) - 1n : maskOf(iw);
      if (c.kind === 'lt' && (b === lo || a === hi)) return 'zero';
      if (c.kind === 'le' && (a === lo || b === hi)) return 'ones';
      return undefined;
    }
    case 'shl':
    case 'shr':
    case 'sar':
      if (b === 0n) return 0;
      if (a === 0n) return 'zero';
      if (c.kind === 'sar' && a === ones) return 'ones';
      if (b !== undefined && b >= BigInt(w) && c.kind !== 'sar') return 'zero';
      return undefined;
    default:
      return undefined;
  }
}

/** Upper bound on the significant bits of a cell's output (value < 2^result). */
function significantBits(c: Cell, sig: number[], constVal: (bigint | undefined)[], m: ModuleIR): number {
  const w = m.nets[c.outs[0]!]!.width;
  const at = (k: number): number => {
    const n = c.ins[k]!;
    const v = constVal[n];
    return v !== undefined ? v.toString(2).length - (v === 0n ? 1 : 0) : sig[n]!;
  };
  switch (c.kind) {
    case 'const':
      return c.value! === 0n ? 0 : c.value!.toString(2).length;
    case 'buf':
    case 'zext':
      return at(0);
    case 'and':
      return Math.min(at(0), at(1));
    case 'or':
    case 'xor':
      return Math.max(at(0), at(1));
    case 'mux':
      return Math.max(at(1), at(2));
    case 'slice':
      return Math.max(0, Math.min(w, at(0) - c.lo!));
    case 'shr': {
      const amt = constVal[c.ins[1]!];
      return amt === undefined ? at(0) : Math.max(0, at(0) - Number(amt > 4096n ? 4096n : amt));
    }
    case 'cat': {
      // The most significant part that can be non-zero decides.
      let off = 0;
      const offs: number[] = [];
      for (let i = c.ins.length - 1; i >= 0; i--) {
        offs[i] = off;
        off += m.nets[c.ins[i]!]!.width;
      }
      for (let i = 0; i < c.ins.length; i++) if (at(i) > 0) return offs[i]! + at(i);
      return 0;
    }
    case 'eq':
    case 'ne':
    case 'lt':
    case 'le':
    case 'redand':
    case 'redor':
    case 'redxor':
      return 1;
    default:
      return w;
  }
}

/** Comparisons decided by value ranges (e.g. a zero-extended value against a
 *  constant beyond its range). Verilator's lint flags these as constant. */
function rangeCompare(c: Cell, constVal: (bigint | undefined)[], sig: number[], m: ModuleIR): 'zero' | 'ones' | undefined {
  if (c.kind !== 'lt' && c.kind !== 'le' && c.kind !== 'eq' && c.kind !== 'ne') return undefined;
  const [a, b] = c.ins as [number, number];
  const w = m.nets[a]!.width;
  // Signed compares only when both sign bits are known zero.
  if (c.signed && (sig[a]! >= w || sig[b]! >= w)) return undefined;
  const lo = (n: number): bigint => constVal[n] ?? 0n;
  const hi = (n: number): bigint => constVal[n] ?? (1n << BigInt(sig[n]!)) - 1n;
  const bool = (x: boolean): 'zero' | 'ones' => (x ? 'ones' : 'zero');
  switch (c.kind) {
    case 'lt':
      if (hi(a) < lo(b)) return 'ones';
      if (lo(a) >= hi(b)) return 'zero';
      return undefined;
    case 'le':
      if (hi(a) <= lo(b)) return 'ones';
      if (lo(a) > hi(b)) return 'zero';
      return undefined;
    default: {
      const disjoint = hi(a) < lo(b) || hi(b) < lo(a);
      return disjoint ? bool(c.kind === 'ne') : undefined;
    }
  }
}

/** slice(cat(...)) inside one part, slice(slice(x)), slice(zext(x)) inside x:
 *  read the source directly (simpler Verilog, less simulator work). A slice
 *  covering a whole part becomes a buffer. */
function simplifySlice(c: Cell, m: ModuleIR, drv: Int32Array): void {
  for (let guard = 0; guard < 16 && c.kind === 'slice'; guard++) {
    const d = drv[c.ins[0]!]!;
    if (d < 0) return;
    const src = m.cells[d]!;
    const w = m.nets[c.outs[0]!]!.width;
    const lo = c.lo!;
    if (src.kind === 'slice') {
      c.ins = [src.ins[0]!];
      c.lo = lo + src.lo!;
    } else if (src.kind === 'zext' && lo + w <= m.nets[src.ins[0]!]!.width) {
      c.ins = [src.ins[0]!];
    } else if (src.kind === 'cat') {
      let off = 0;
      let hit = false;
      for (let i = src.ins.length - 1; i >= 0; i--) {
        const pw = m.nets[src.ins[i]!]!.width;
        if (lo >= off && lo + w <= off + pw) {
          c.ins = [src.ins[i]!];
          c.lo = lo - off;
          hit = true;
          break;
        }
        off += pw;
      }
      if (!hit) return;
    } else return;
    if (c.lo === 0 && m.nets[c.ins[0]!]!.width === w) {
      c.kind = 'buf';
      delete c.lo;
      return;
    }
  }
}
