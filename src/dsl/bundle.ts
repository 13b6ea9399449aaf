// Bundles (records): a named group of fields so pipeline payloads can be
// declared, registered, muxed and connected as one value. Fields are packed in
// declaration order starting at the least significant bit (as in Amaranth).

import { captureLoc, ElabError, type SourceLoc } from './loc.ts';
import { cat, Expr, muxExpr, toShape, type ExprLike, type Shape, type ShapeLike, type Signal } from './signal.ts';

export type FieldSpec = ShapeLike | Layout<any>;
export type Fields = { readonly [name: string]: FieldSpec };

/** A bundle of Signals (declared with m.wire/m.reg/m.input/m.output). */
export type BundleOf<F extends Fields> = {
  readonly [K in keyof F]: F[K] extends Layout<infer G> ? BundleOf<G> : Signal;
};
/** A bundle of expressions (e.g. the result of mux() over bundles). */
export type BundleValue<F extends Fields> = {
  readonly [K in keyof F]: F[K] extends Layout<infer G> ? BundleValue<G> : Expr;
};
/** Per-field constant values (missing fields are 0). */
export type BundleInit<F extends Fields> = {
  readonly [K in keyof F]?: F[K] extends Layout<infer G> ? BundleInit<G> : number | bigint;
};

const LAYOUT = Symbol('bpfgate.layout');

export class Layout<F extends Fields = Fields> {
  readonly width: number;
  readonly entries: ReadonlyArray<{ name: string; spec: Shape | Layout<any>; offset: number; width: number }>;

  constructor(readonly fields: F) {
    const loc = captureLoc();
    let offset = 0;
    const entries = [];
    for (const [name, spec] of Object.entries(fields)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ElabError(`bad bundle field name '${name}'`, loc);
      const s = spec instanceof Layout ? spec : toShape(spec, loc);
      entries.push({ name, spec: s, offset, width: s.width });
      offset += s.width;
    }
    if (entries.length === 0) throw new ElabError('a bundle needs at least one field', loc);
    this.entries = entries;
    this.width = offset;
  }

  /** Pack a bundle into one flat value (first field in the low bits). */
  pack(v: BundleValue<F> | BundleOf<F>): Expr {
    const parts: Expr[] = [];
    for (const e of this.entries) {
      const f = (v as Record<string, unknown>)[e.name];
      parts.push(e.spec instanceof Layout ? e.spec.pack(f as any) : (f as Expr).asUnsigned());
    }
    return cat(...parts.reverse());
  }

  /** View a flat value of exactly this layout's width as a bundle. */
  unpack(e: Expr): BundleValue<F> {
    const loc = captureLoc();
    if (e.width !== this.width) {
      throw new ElabError(`cannot unpack a ${e.width}-bit value into a ${this.width}-bit bundle`, loc);
    }
    const out: Record<string, unknown> = {};
    for (const f of this.entries) {
      const bits = e.slice(f.offset + f.width - 1, f.offset);
      out[f.name] = f.spec instanceof Layout ? f.spec.unpack(bits) : f.spec.signed ? bits.asSigned() : bits;
    }
    return tagBundle(out, this) as BundleValue<F>;
  }

  /** Flat constant bits for a per-field init object. */
  constBits(init: BundleInit<F> | number | bigint, loc: SourceLoc): bigint {
    if (typeof init === 'number' || typeof init === 'bigint') return BigInt(init) & ((1n << BigInt(this.width)) - 1n);
    let bits = 0n;
    for (const f of this.entries) {
      const v = (init as Record<string, unknown>)[f.name];
      if (v === undefined) continue;
      let fb: bigint;
      if (f.spec instanceof Layout) fb = f.spec.constBits(v as any, loc);
      else {
        const n = BigInt(v as number | bigint);
        if (n < -(1n << BigInt(f.width - 1)) || n >= 1n << BigInt(f.width)) {
          throw new ElabError(`value ${n} for field '${f.name}' does not fit in ${f.width} bits`, loc);
        }
        fb = n & ((1n << BigInt(f.width)) - 1n);
      }
      bits |= fb << BigInt(f.offset);
    }
    return bits;
  }
}

/** Declare a bundle layout: bundle({ pc: 64, rd: 4, imm: signed(32) }). */
export function bundle<F extends Fields>(fields: F): Layout<F> {
  return new Layout(fields);
}

export function tagBundle<T extends object>(obj: T, layout: Layout<any>): T {
  Object.defineProperty(obj, LAYOUT, { value: layout, enumerable: false });
  return Object.freeze(obj);
}

export function layoutOf(x: unknown): Layout<any> | undefined {
  if (x !== null && typeof x === 'object' && LAYOUT in x) return (x as Record<symbol, Layout<any>>)[LAYOUT];
  return undefined;
}

/** Flatten a bundle (or pass an expression through). */
export function bits(x: Expr | object): Expr {
  if (x instanceof Expr) return x;
  const l = layoutOf(x);
  if (!l) throw new ElabError('bits() expects an expression or a bundle', captureLoc());
  return l.pack(x as any);
}

/** Field-wise mux over bundles, or a plain mux over expressions. */
export function mux<T extends ExprLike | object>(sel: ExprLike, ifTrue: T, ifFalse: T): T extends ExprLike ? Expr : T {
  const l = layoutOf(ifTrue) ?? layoutOf(ifFalse);
  if (!l) return muxExpr(sel, ifTrue as ExprLike, ifFalse as ExprLike) as any;
  const t = asBundleValue(l, ifTrue);
  const f = asBundleValue(l, ifFalse);
  const out: Record<string, unknown> = {};
  for (const e of l.entries) out[e.name] = mux(sel, t[e.name] as any, f[e.name] as any);
  return tagBundle(out, l) as any;
}

function asBundleValue(l: Layout<any>, v: unknown): Record<string, unknown> {
  if (v instanceof Expr) return l.unpack(v) as Record<string, unknown>;
  const vl = layoutOf(v);
  if (vl === undefined) throw new ElabError('mux() of a bundle with a non-bundle value', captureLoc());
  if (vl !== l && vl.width !== l.width) throw new ElabError('mux() of bundles with different layouts', captureLoc());
  return v as Record<string, unknown>;
}
