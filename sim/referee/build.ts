// Recipe -> DSL Module, through the public DSL API only (so the referee also
// exercises the builder, If/Switch lowering, bundles-free ports, memories and
// instances). Every use of a value is coerced to what the consumer needs
// (fit to width, clamp slice bounds, ...) so any recipe, including the odd
// ones the shrinker produces, builds without errors.

import { C, cat, Module, mux, S, type Expr, type Signal } from '../../src/dsl/index.ts';
import { mac16Mul } from '../../src/dsl/primitives/mac16.ts';
import type { GStmt, Recipe, Ref } from './recipe.ts';

const MAXW = 256;

export function fit(e: Expr, w: number): Expr {
  if (e.width > w) return e.trunc(w);
  if (e.width < w) return e.ext(w);
  return e;
}

function bits(v: string, w: number): bigint {
  return BigInt(v) & ((1n << BigInt(w)) - 1n);
}

export function buildRecipe(r: Recipe, name: string): Module {
  const m = new Module(name);
  const E: (Expr | undefined)[] = new Array(r.values.length);
  const wires = new Map<Ref, Signal>();
  const regs = new Map<Ref, Signal>();
  const regEn = new Map<Ref, Signal>();
  const mems = r.mems.map((mm, i) =>
    m.memory(`mem${i}`, { width: mm.w, depth: mm.depth, granularity: mm.gran, init: mm.init.map((x) => bits(x, mm.w)) }),
  );
  const readers = new Map<Ref, ReturnType<(typeof mems)[number]['reader']>>();
  const instOuts = new Map<number, Record<string, Signal>>();

  // Pass 1: sources and declared signals.
  r.values.forEach((v, i) => {
    switch (v.k) {
      case 'in':
        E[i] = m.input(`i${i}`, { width: v.w, signed: v.s });
        break;
      case 'const':
        E[i] = v.s ? S(v.w, bits(v.v, v.w)) : C(v.w, bits(v.v, v.w));
        break;
      case 'reg': {
        let en: Signal | undefined;
        if (v.en !== null) {
          en = m.wire(`r${i}_en`, 1);
          regEn.set(i, en);
        }
        const shape = { width: v.w, signed: v.s };
        const s =
          v.reset === null
            ? m.reg(`r${i}`, shape, { resetless: true, init: bits(v.init, v.w), en })
            : m.reg(`r${i}`, shape, { reset: bits(v.reset, v.w), en });
        regs.set(i, s);
        E[i] = s;
        break;
      }
      case 'wire': {
        const shape = { width: v.w, signed: v.s };
        const s = v.dflt === null ? m.wire(`w${i}`, shape) : m.wire(`w${i}`, shape, { default: bits(v.dflt, v.w) });
        wires.set(i, s);
        E[i] = s;
        break;
      }
      case 'memrd': {
        const rp = mems[v.mem]!.reader();
        readers.set(i, rp);
        E[i] = rp.data;
        break;
      }
      default:
        break;
    }
  });

  const get = (x: Ref): Expr => {
    const e = E[x];
    if (!e) throw new Error(`recipe: value ${x} used before it is built`);
    return e;
  };

  // Pass 2: combinational values in order.
  r.values.forEach((v, i) => {
    if (E[i]) return;
    switch (v.k) {
      case 'bin': {
        const a = get(v.a);
        const b = get(v.b);
        E[i] = a[v.op](b);
        break;
      }
      case 'mulw': {
        const a = get(v.a);
        const b = get(v.b);
        E[i] = a.width + b.width <= MAXW ? a.mulWide(b) : a.mul(b);
        break;
      }
      case 'un':
        E[i] = get(v.a)[v.op]();
        break;
      case 'shc':
        E[i] = get(v.a)[v.op](v.n);
        break;
      case 'shv':
        E[i] = get(v.a)[v.op](get(v.b).asUnsigned());
        break;
      case 'cmp': {
        const a = get(v.a);
        let b = get(v.b);
        if (['lt', 'le', 'gt', 'ge'].includes(v.op) && a.signed !== b.signed) b = a.signed ? b.asSigned() : b.asUnsigned();
        E[i] = a[v.op](b);
        break;
      }
      case 'mux':
        E[i] = mux(get(v.s), get(v.a), get(v.b));
        break;
      case 'cat': {
        const parts: Expr[] = [];
        let w = 0;
        for (const p of v.parts) {
          const e = get(p);
          if (w + e.width > MAXW) break;
          parts.push(e);
          w += e.width;
        }
        E[i] = parts.length === 1 ? parts[0]!.asUnsigned() : cat(...parts);
        break;
      }
      case 'slice': {
        const a = get(v.a);
        const hi = Math.min(v.hi, a.width - 1);
        const lo = Math.min(v.lo, hi);
        E[i] = a.slice(hi, lo);
        break;
      }
      case 'size': {
        const a = get(v.a);
        const w = Math.min(MAXW, v.w);
        switch (v.op) {
          case 'trunc':
            E[i] = a.trunc(Math.min(Math.max(1, w), a.width));
            break;
          case 'asSigned':
            E[i] = a.asSigned();
            break;
          case 'asUnsigned':
            E[i] = a.asUnsigned();
            break;
          default:
            E[i] = a[v.op](Math.max(w, a.width));
        }
        break;
      }
      case 'repl': {
        const a = get(v.a);
        E[i] = a.repl(Math.max(1, Math.min(v.n, Math.floor(MAXW / a.width))));
        break;
      }
      case 'instout': {
        let outs = instOuts.get(v.inst);
        if (!outs) {
          const inst = r.insts[v.inst]!;
          const child = buildRecipe(inst.child, `${name}_c${v.inst}`);
          const ports: Record<string, Expr> = {};
          const childIns = child.ports.filter((p) => p.dir === 'input');
          childIns.forEach((p, k) => {
            const sig = p.value as Signal;
            const src = inst.ins[k];
            ports[p.name] = src === undefined ? C(sig.width, 0) : fit(get(src), sig.width);
          });
          const u = m.instance(`u${v.inst}`, child, ports);
          outs = {};
          for (const p of child.ports) if (p.dir === 'output') outs[p.name] = u.o[p.name];
          instOuts.set(v.inst, outs);
        }
        const sig = outs[`o${v.port}`];
        E[i] = sig ?? C(1, 0);
        break;
      }
      case 'mac': {
        const u = m.instance(`mac${i}`, mac16Mul({ signed: v.signed }), { A: fit(get(v.a), 16), B: fit(get(v.b), 16) });
        E[i] = u.o.O;
        break;
      }
      default:
        throw new Error(`recipe: unexpected ${v.k}`);
    }
  });

  // Statement bodies.
  const body = (stmts: GStmt[], target: Signal, domain: 'comb' | 'sync'): void => {
    for (const s of stmts) {
      if (s.k === 'set') {
        m[domain](target, fit(get(s.v), target.width));
      } else if (s.k === 'if') {
        let chain: ReturnType<Module['If']> | undefined;
        for (const b of s.br) {
          const run = (): void => body(b.body, target, domain);
          if (b.c === null) {
            if (chain) {
              chain.Else(run);
              break;
            }
            run();
            break;
          }
          chain = chain ? chain.Elif(get(b.c), run) : m.If(get(b.c), run);
        }
      } else {
        const sel = get(s.sel);
        const sw = m.Switch(sel);
        for (const c of s.cases) {
          const vals = c.vals.map((x) => (x.startsWith('p') ? pattern(x.slice(1), sel.width) : caseValue(x, sel)));
          sw.Case(vals, () => body(c.body, target, domain));
        }
        if (s.dflt) sw.Default(() => body(s.dflt!, target, domain));
      }
    }
  };
  r.values.forEach((v, i) => {
    if (v.k === 'wire') body(v.body, wires.get(i)!, 'comb');
    if (v.k === 'reg') {
      body(v.body, regs.get(i)!, 'sync');
      if (v.en !== null) m.comb(regEn.get(i)!, get(v.en).bool());
    }
    if (v.k === 'memrd') {
      const rp = readers.get(i)!;
      m.comb(rp.addr, fit(get(v.addr).asUnsigned(), rp.addr.width));
      m.comb(rp.en, v.en === null ? C(1, 1) : get(v.en).bool());
    }
  });
  r.mems.forEach((mm, i) => {
    const mem = mems[i]!;
    for (const w of mm.writes) {
      mem.writePort(
        fit(get(w.addr).asUnsigned(), mem.addrWidth),
        fit(get(w.data), mem.width),
        get(w.en).bool(),
        w.be === null ? undefined : fit(get(w.be).asUnsigned(), mem.lanes),
      );
    }
  });
  r.outputs.forEach((x, k) => {
    const e = get(x);
    const o = m.output(`o${k}`, e.width);
    m.comb(o, e.asUnsigned());
  });
  return m;
}

function pattern(p: string, w: number): string {
  if (p.length > w) return p.slice(p.length - w);
  return '-'.repeat(w - p.length) + p;
}

function caseValue(x: string, sel: Expr): bigint {
  const v = BigInt(x) & ((1n << BigInt(sel.width)) - 1n);
  // Signed selectors compare against signed constants.
  if (sel.signed && v >> BigInt(sel.width - 1)) return v - (1n << BigInt(sel.width));
  return v;
}
