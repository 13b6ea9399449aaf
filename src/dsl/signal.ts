// Expression nodes of the DSL. Every node knows its width, its signedness and
// where the user built it. Operators are methods so designs read left to right:
//   a.add(b).and(mask).eq(0)
//
// Width rules (documented in docs/dsl.md):
// - add/sub/mul/and/or/xor/mux: result width = max(operand widths); the narrower
//   operand is extended by its own signedness (value preserving). Result is
//   signed only if both operands are signed. Arithmetic wraps.
// - mulWide: full product, width = wa + wb.
// - shifts keep the width of the shifted value.
// - comparisons and reductions give 1 bit.
// - plain numbers take the width and signedness of the other operand and must fit.
// Nothing ever truncates implicitly: narrowing needs .trunc() or .slice().

import { captureLoc, ElabError, type SourceLoc } from './loc.ts';
import type { OperatorKind } from './ir.ts';

export const MAX_WIDTH = 4096;

export interface Shape {
  readonly width: number;
  readonly signed: boolean;
}
export type ShapeLike = number | Shape;

export function unsigned(width: number): Shape {
  return { width, signed: false };
}
export function signed(width: number): Shape {
  return { width, signed: true };
}

export function toShape(s: ShapeLike, loc?: SourceLoc): Shape {
  const shape = typeof s === 'number' ? { width: s, signed: false } : s;
  checkWidth(shape.width, loc);
  return shape;
}

export function checkWidth(w: number, loc?: SourceLoc): void {
  if (!Number.isInteger(w) || w < 1 || w > MAX_WIDTH) {
    throw new ElabError(`width must be an integer in 1..${MAX_WIDTH}, got ${w}`, loc ?? captureLoc());
  }
}

/** Expression operators: the netlist's operators (ir.ts), plus a signal reference and a re-typing view. */
export type Op = OperatorKind | 'sig' | 'retype';

export type ExprLike = Expr | number | bigint | boolean;

export function mask(width: number): bigint {
  return (1n << BigInt(width)) - 1n;
}

/** Converts a JS number/bigint to its width-bit two's complement pattern.
 *  Accepts anything representable in `width` bits as signed or unsigned. */
export function toBits(value: number | bigint | boolean, width: number, loc: SourceLoc, what = 'constant'): bigint {
  let v: bigint;
  if (typeof value === 'boolean') v = value ? 1n : 0n;
  else if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new ElabError(`${what} ${value} is not an integer`, loc);
    v = BigInt(value);
  } else v = value;
  const lo = -(1n << BigInt(width - 1));
  const hi = 1n << BigInt(width);
  if (v < lo || v >= hi) throw new ElabError(`${what} ${value} does not fit in ${width} bits`, loc);
  return v & mask(width);
}

export class Expr {
  readonly loc: SourceLoc;
  constructor(
    readonly op: Op,
    readonly width: number,
    readonly signed: boolean,
    readonly args: readonly Expr[] = [],
    /** slice: low bit; lt/le: 1 when signed compare; const: value bits */
    readonly param: bigint = 0n,
    loc?: SourceLoc,
  ) {
    this.loc = loc ?? captureLoc();
  }

  // ---- arithmetic -------------------------------------------------------
  add(b: ExprLike): Expr {
    return binary('add', this, b);
  }
  sub(b: ExprLike): Expr {
    return binary('sub', this, b);
  }
  /** Wrapping product, width = max(wa, wb). */
  mul(b: ExprLike): Expr {
    return binary('mul', this, b);
  }
  /** Full product, width = wa + wb; signed if either operand is signed. */
  mulWide(b: ExprLike): Expr {
    const loc = captureLoc();
    const be = toExpr(b, this, loc);
    const w = this.width + be.width;
    checkWidth(w, loc);
    const s = this.signed || be.signed;
    return new Expr('mul', w, s, [extendTo(this, w, loc), extendTo(be, w, loc)], 0n, loc);
  }
  neg(): Expr {
    return new Expr('neg', this.width, this.signed, [this]);
  }

  // ---- bitwise ----------------------------------------------------------
  and(b: ExprLike): Expr {
    return binary('and', this, b);
  }
  or(b: ExprLike): Expr {
    return binary('or', this, b);
  }
  xor(b: ExprLike): Expr {
    return binary('xor', this, b);
  }
  not(): Expr {
    return new Expr('not', this.width, this.signed, [this]);
  }

  // ---- shifts: by a constant number of bits or by an unsigned signal ------
  shl(amount: number | Expr): Expr {
    return shift('shl', this, amount);
  }
  shr(amount: number | Expr): Expr {
    return shift('shr', this, amount);
  }
  /** Arithmetic right shift (fills with the sign bit whatever the signedness). */
  sar(amount: number | Expr): Expr {
    return shift('sar', this, amount);
  }

  // ---- comparisons ------------------------------------------------------
  eq(b: ExprLike): Expr {
    return compare('eq', this, b, undefined);
  }
  ne(b: ExprLike): Expr {
    return compare('ne', this, b, undefined);
  }
  /** Signedness from the operands (both must agree); see ltS/ltU to force it. */
  lt(b: ExprLike): Expr {
    return compare('lt', this, b, undefined);
  }
  le(b: ExprLike): Expr {
    return compare('le', this, b, undefined);
  }
  gt(b: ExprLike): Expr {
    return compare('gt', this, b, undefined);
  }
  ge(b: ExprLike): Expr {
    return compare('ge', this, b, undefined);
  }
  ltS(b: ExprLike): Expr {
    return compare('lt', this, b, true);
  }
  leS(b: ExprLike): Expr {
    return compare('le', this, b, true);
  }
  gtS(b: ExprLike): Expr {
    return compare('gt', this, b, true);
  }
  geS(b: ExprLike): Expr {
    return compare('ge', this, b, true);
  }
  ltU(b: ExprLike): Expr {
    return compare('lt', this, b, false);
  }
  leU(b: ExprLike): Expr {
    return compare('le', this, b, false);
  }
  gtU(b: ExprLike): Expr {
    return compare('gt', this, b, false);
  }
  geU(b: ExprLike): Expr {
    return compare('ge', this, b, false);
  }

  // ---- reductions -------------------------------------------------------
  /** 1 when any bit is set. */
  any(): Expr {
    return new Expr('redor', 1, false, [this]);
  }
  /** 1 when all bits are set. */
  all(): Expr {
    return new Expr('redand', 1, false, [this]);
  }
  /** Parity: XOR of all bits. */
  xorReduce(): Expr {
    return new Expr('redxor', 1, false, [this]);
  }
  /** 1-bit truth value (any bit set); identity on 1-bit values. */
  bool(): Expr {
    return this.width === 1 ? this : this.any();
  }

  // ---- bit selection and sizing -----------------------------------------
  /** Bits hi..lo inclusive (Verilog order), unsigned result. */
  slice(hi: number, lo: number): Expr {
    const loc = captureLoc();
    if (!Number.isInteger(hi) || !Number.isInteger(lo) || lo < 0 || hi < lo || hi >= this.width) {
      throw new ElabError(`slice [${hi}:${lo}] out of range for a ${this.width}-bit value`, loc);
    }
    if (lo === 0 && hi === this.width - 1 && !this.signed) return this;
    return new Expr('slice', hi - lo + 1, false, [this], BigInt(lo), loc);
  }
  bit(i: number): Expr {
    return this.slice(i, i);
  }
  /** The most significant bit. */
  msb(): Expr {
    return this.slice(this.width - 1, this.width - 1);
  }
  zext(w: number): Expr {
    return sizeTo('zext', this, w);
  }
  sext(w: number): Expr {
    return sizeTo('sext', this, w);
  }
  /** Extend by this value's own signedness. */
  ext(w: number): Expr {
    return sizeTo(this.signed ? 'sext' : 'zext', this, w);
  }
  /** Keep the low w bits (w <= width). Keeps signedness. */
  trunc(w: number): Expr {
    const loc = captureLoc();
    checkWidth(w, loc);
    if (w > this.width) throw new ElabError(`trunc(${w}) of a ${this.width}-bit value would widen; use zext/sext`, loc);
    if (w === this.width) return this;
    const s = new Expr('slice', w, false, [this], 0n, loc);
    return this.signed ? new Expr('retype', w, true, [s], 0n, loc) : s;
  }
  /** n copies concatenated. */
  repl(n: number): Expr {
    const loc = captureLoc();
    if (!Number.isInteger(n) || n < 1) throw new ElabError(`repl count must be a positive integer, got ${n}`, loc);
    if (n === 1) return this;
    const w = this.width * n;
    checkWidth(w, loc);
    return new Expr('cat', w, false, Array.from({ length: n }, () => this), 0n, loc);
  }
  asSigned(): Expr {
    return this.signed ? this : new Expr('retype', this.width, true, [this]);
  }
  asUnsigned(): Expr {
    return this.signed ? new Expr('retype', this.width, false, [this]) : this;
  }

  toString(): string {
    return `<${this.op} ${this.signed ? 's' : 'u'}${this.width}>`;
  }
}

/** Builds a constant. `value` may be negative (two's complement) and must fit. */
export function C(width: number, value: number | bigint | boolean, opts: { signed?: boolean } = {}): Expr {
  const loc = captureLoc();
  checkWidth(width, loc);
  return new Expr('const', width, opts.signed ?? false, [], toBits(value, width, loc), loc);
}

/** Signed constant. */
export function S(width: number, value: number | bigint): Expr {
  const loc = captureLoc();
  checkWidth(width, loc);
  return new Expr('const', width, true, [], toBits(value, width, loc), loc);
}

/** Turns a number into a constant shaped like `like`. */
export function toExpr(x: ExprLike, like: Expr | undefined, loc: SourceLoc, strictRange = false): Expr {
  if (x instanceof Expr) return x;
  if (!like) throw new ElabError(`cannot infer a width for the plain number ${String(x)}; use C(width, value)`, loc);
  if (strictRange && typeof x !== 'boolean') {
    const v = BigInt(x);
    const lo = like.signed ? -(1n << BigInt(like.width - 1)) : 0n;
    const hi = like.signed ? 1n << BigInt(like.width - 1) : 1n << BigInt(like.width);
    if (v < lo || v >= hi) {
      throw new ElabError(
        `constant ${String(x)} is outside the range of a ${like.signed ? 'signed' : 'unsigned'} ${like.width}-bit operand`,
        loc,
      );
    }
  }
  return new Expr('const', like.width, like.signed, [], toBits(x, like.width, loc), loc);
}

export function extendTo(e: Expr, w: number, loc: SourceLoc): Expr {
  if (e.width === w) return e;
  if (e.width > w) throw new ElabError(`internal: cannot extend ${e.width} bits to ${w}`, loc);
  return new Expr(e.signed ? 'sext' : 'zext', w, e.signed, [e], 0n, loc);
}

function binary(op: Op, a: Expr, bLike: ExprLike): Expr {
  const loc = captureLoc();
  const b = toExpr(bLike, a, loc);
  const w = Math.max(a.width, b.width);
  return new Expr(op, w, a.signed && b.signed, [extendTo(a, w, loc), extendTo(b, w, loc)], 0n, loc);
}

function shift(op: 'shl' | 'shr' | 'sar', a: Expr, amount: number | Expr): Expr {
  const loc = captureLoc();
  let amt: Expr;
  if (typeof amount === 'number') {
    if (!Number.isInteger(amount) || amount < 0) throw new ElabError(`shift amount must be a non-negative integer, got ${amount}`, loc);
    const bits = Math.max(1, Math.ceil(Math.log2(amount + 1)));
    amt = new Expr('const', bits, false, [], BigInt(amount), loc);
  } else {
    if (amount.signed) throw new ElabError('shift amount must be unsigned; use .asUnsigned()', loc);
    amt = amount;
  }
  return new Expr(op, a.width, a.signed, [a, amt], 0n, loc);
}

function compare(op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge', a: Expr, bLike: ExprLike, force: boolean | undefined): Expr {
  const loc = captureLoc();
  let b = toExpr(bLike, a, loc, force === undefined);
  let x = a;
  let isSigned: boolean;
  if (force !== undefined) {
    isSigned = force;
    x = force ? x.asSigned() : x.asUnsigned();
    b = force ? b.asSigned() : b.asUnsigned();
  } else if (op === 'eq' || op === 'ne') {
    isSigned = x.signed && b.signed;
  } else {
    if (x.signed !== b.signed) {
      throw new ElabError(
        `comparison of a ${x.signed ? 'signed' : 'unsigned'} and a ${b.signed ? 'signed' : 'unsigned'} value is ambiguous; use ${op}S or ${op}U`,
        loc,
      );
    }
    isSigned = x.signed;
  }
  const w = Math.max(x.width, b.width);
  let l = extendTo(x, w, loc);
  let r = extendTo(b, w, loc);
  let cop = op as Op;
  if (op === 'gt' || op === 'ge') {
    [l, r] = [r, l];
    cop = op === 'gt' ? 'lt' : 'le';
  }
  return new Expr(cop, 1, false, [l, r], isSigned ? 1n : 0n, loc);
}

function sizeTo(op: 'zext' | 'sext', a: Expr, w: number): Expr {
  const loc = captureLoc();
  checkWidth(w, loc);
  if (w < a.width) throw new ElabError(`${op}(${w}) of a ${a.width}-bit value would truncate; use trunc`, loc);
  const s = op === 'sext';
  if (w === a.width) return a.signed === s ? a : new Expr('retype', w, s, [a], 0n, loc);
  return new Expr(op, w, s, [a], 0n, loc);
}

/** Concatenation, MOST significant part first (like Verilog {a, b}). */
export function cat(...parts: Expr[]): Expr {
  const loc = captureLoc();
  if (parts.length === 0) throw new ElabError('cat() needs at least one part', loc);
  for (const p of parts) {
    if (!(p instanceof Expr)) throw new ElabError('cat() parts must be expressions; wrap numbers with C(width, value)', loc);
  }
  if (parts.length === 1) return parts[0]!.asUnsigned();
  const w = parts.reduce((s, p) => s + p.width, 0);
  checkWidth(w, loc);
  return new Expr('cat', w, false, parts, 0n, loc);
}

/** sel ? ifTrue : ifFalse. A multi-bit selector means "any bit set". */
export function muxExpr(sel: ExprLike, ifTrue: ExprLike, ifFalse: ExprLike): Expr {
  const loc = captureLoc();
  const s = toBool(sel, loc);
  let t: Expr;
  let f: Expr;
  if (ifTrue instanceof Expr) {
    t = ifTrue;
    f = toExpr(ifFalse, t, loc);
  } else if (ifFalse instanceof Expr) {
    f = ifFalse;
    t = toExpr(ifTrue, f, loc);
  } else {
    throw new ElabError('mux() needs at least one expression operand to know the width', loc);
  }
  const w = Math.max(t.width, f.width);
  return new Expr('mux', w, t.signed && f.signed, [s, extendTo(t, w, loc), extendTo(f, w, loc)], 0n, loc);
}

export function toBool(c: ExprLike, loc: SourceLoc): Expr {
  if (typeof c === 'boolean' || typeof c === 'number' || typeof c === 'bigint') {
    return new Expr('const', 1, false, [], BigInt(c) !== 0n ? 1n : 0n, loc);
  }
  return c.bool();
}

export type SignalKind = 'input' | 'output' | 'wire' | 'reg' | 'rst' | 'memdata' | 'instout';

/** What a signal knows of the module that owns it (module.ts's Module). */
export interface SignalOwner {
  readonly name: string;
}

/** A named signal owned by one module. */
export class Signal extends Expr {
  /** reg: synchronous reset value (null = resetless) */
  reset: bigint | null = null;
  /** reg: power-up value; wire/output: value when no statement assigns it */
  init = 0n;
  /** reg: extra clock enable */
  enable: Expr | undefined;
  /** wire: true when declared with an explicit default (counts as driven) */
  hasDefault = false;

  constructor(
    readonly owner: SignalOwner,
    readonly name: string,
    readonly kind: SignalKind,
    shape: Shape,
    loc: SourceLoc,
  ) {
    super('sig', shape.width, shape.signed, [], 0n, loc);
  }

  override toString(): string {
    return `${this.owner.name}.${this.name}`;
  }
}
