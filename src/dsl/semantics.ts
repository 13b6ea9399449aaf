// Reference semantics of every combinational cell kind, on BigInt bit
// patterns. This is the executable spec: constant folding uses it, and the
// simulator tests compare compiled code against it.

import type { Cell } from './ir.ts';

export function maskOf(w: number): bigint {
  return (1n << BigInt(w)) - 1n;
}

export function toSigned(v: bigint, w: number): bigint {
  return v & (1n << BigInt(w - 1)) ? v - (1n << BigInt(w)) : v;
}

/** Evaluate a combinational cell. `ins` are unsigned bit patterns of the input
 *  nets (widths `inW`), the result is the unsigned pattern of the output. */
export function evalComb(c: Cell, ins: readonly bigint[], inW: readonly number[], outW: number): bigint {
  const m = maskOf(outW);
  const a = ins[0] ?? 0n;
  const b = ins[1] ?? 0n;
  switch (c.kind) {
    case 'const':
      return c.value! & m;
    case 'buf':
      return a;
    case 'add':
      return (a + b) & m;
    case 'sub':
      return (a - b) & m;
    case 'mul':
      return (a * b) & m;
    case 'and':
      return a & b;
    case 'or':
      return a | b;
    case 'xor':
      return a ^ b;
    case 'not':
      return ~a & m;
    case 'neg':
      return -a & m;
    case 'shl':
      return b >= BigInt(outW) ? 0n : (a << b) & m;
    case 'shr':
      return b >= BigInt(outW) ? 0n : a >> b;
    case 'sar': {
      const sa = toSigned(a, outW);
      const s = b >= BigInt(outW) ? BigInt(outW - 1) : b;
      return (sa >> s) & m;
    }
    case 'eq':
      return a === b ? 1n : 0n;
    case 'ne':
      return a !== b ? 1n : 0n;
    case 'lt':
    case 'le': {
      const w = inW[0]!;
      const x = c.signed ? toSigned(a, w) : a;
      const y = c.signed ? toSigned(b, w) : b;
      return (c.kind === 'lt' ? x < y : x <= y) ? 1n : 0n;
    }
    case 'redand':
      return a === maskOf(inW[0]!) ? 1n : 0n;
    case 'redor':
      return a !== 0n ? 1n : 0n;
    case 'redxor': {
      let p = 0n;
      for (let x = a; x !== 0n; x >>= 1n) p ^= x & 1n;
      return p;
    }
    case 'mux':
      return ins[0] ? ins[2]! : ins[1]!;
    case 'cat': {
      let r = 0n;
      ins.forEach((v, i) => {
        r = (r << BigInt(inW[i]!)) | v;
      });
      return r;
    }
    case 'slice':
      return (a >> BigInt(c.lo!)) & m;
    case 'zext':
      return a;
    case 'sext':
      return toSigned(a, inW[0]!) & m;
    default:
      throw new Error(`evalComb: ${c.kind} is not combinational`);
  }
}
