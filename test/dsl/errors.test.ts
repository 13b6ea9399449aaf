// Elaboration errors carry the user's source location (file:line:col of the
// offending call in this file) and say what is wrong.

import { describe, expect, it } from 'vitest';
import { C, compileDesign, ElabError, Module } from '../../src/dsl/index.ts';
import { here } from './here.ts';

/** Runs f, expects an ElabError whose message starts at `at` and matches `re`. */
function expectElab(f: () => unknown, at: string, re: RegExp): ElabError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ElabError);
    const msg = (e as Error).message;
    expect(msg.startsWith(at + ':'), `message should start with ${at}: ${msg}`).toBe(true);
    expect(msg).toMatch(re);
    return e as ElabError;
  }
  throw new Error('expected an ElabError');
}

describe('elaboration errors', () => {
  it('width mismatch names both widths and the line', () => {
    const m = new Module('w');
    const a = m.input('a', 64);
    const y = m.output('y', 32);
    expectElab(() => m.comb(y, a), here(), /64-bit value to the 32-bit signal 'y'/);
  });

  it('undriven signal points at its declaration', () => {
    const m = new Module('u');
    const at = here(); const w = m.wire('w', 8);
    const y = m.output('y', 8);
    m.comb(y, w);
    expectElab(() => compileDesign(m), at, /'w'.*never driven/);
  });

  it('undriven output', () => {
    const m = new Module('u2');
    const at = here(); m.output('y', 8);
    expectElab(() => compileDesign(m), at, /'y'.*never driven/);
  });

  it('multiply driven signal lists the drivers', () => {
    const sub = new Module('sub');
    const q = sub.output('q', 4);
    sub.comb(q, C(4, 1));
    const m = new Module('md');
    const at = here(); const w = m.wire('w', 4);
    m.instance('u', sub, { q: w });
    const second = here(); m.comb(w, C(4, 2));
    const y = m.output('y', 4);
    m.comb(y, w);
    const e = expectElab(() => compileDesign(m), at, /'w'.*driven 2 times/);
    expect(e.message).toContain(second);
  });

  it('combinational loop names the signals on it', () => {
    const m = new Module('loop');
    const at = here(); const a = m.wire('a', 8);
    const b = m.wire('b', 8);
    m.comb(a, b.add(1));
    m.comb(b, a.xor(3));
    const y = m.output('y', 8);
    m.comb(y, a);
    expectElab(() => compileDesign(m), at, /combinational loop.*(a -> b|b -> a)/);
  });

  it('combinational loop through an instance', () => {
    const pass = new Module('pass');
    const i = pass.input('i', 1);
    const o = pass.output('o', 1);
    pass.comb(o, i.not());
    const m = new Module('loop2');
    const w = m.wire('w', 1);
    m.instance('u', pass, { i: w, o: w });
    const y = m.output('y', 1);
    m.comb(y, w);
    expect(() => compileDesign(m)).toThrow(/combinational loop/);
  });

  it('unknown port in an instance connection', () => {
    const sub = new Module('s1');
    sub.input('a', 1);
    const m = new Module('p1');
    expectElab(() => m.instance('u', sub, { a: C(1, 0), nope: C(1, 0) }), here(), /has no port 'nope'/);
  });

  it('reading an output port that does not exist', () => {
    const sub = new Module('s2');
    const a = sub.input('a', 1);
    const o = sub.output('o', 1);
    sub.comb(o, a);
    const m = new Module('p2');
    const u = m.instance('u', sub, { a: C(1, 1) });
    expectElab(() => u.o.missing, here(), /no output port 'missing'/);
    expectElab(() => u.o.a, here(), /no output port 'a' \(it is an input\)/);
    expectElab(() => sub.portByName('zz'), here(), /no port 'zz'/);
  });

  it('missing input connection', () => {
    const sub = new Module('s3');
    sub.input('a', 1);
    const m = new Module('p3');
    expectElab(() => m.instance('u', sub, {}), here(), /input port 'a'.*not connected/);
  });

  it('assigning the wrong kind of signal', () => {
    const m = new Module('k');
    const a = m.input('a', 4);
    const r = m.reg('r', 4);
    const w = m.wire('w', 4);
    expectElab(() => m.comb(a, 1), here(), /cannot comb-assign input port 'a'/);
    expectElab(() => m.comb(r, 1), here(), /register 'r'.*m\.sync/);
    expectElab(() => m.sync(w, 1), here(), /only registers/);
  });

  it('signals cannot cross module boundaries', () => {
    const a = new Module('a');
    const x = a.input('x', 1);
    const b = new Module('b');
    const y = b.output('y', 1);
    expectElab(() => b.comb(y, x), here(), /'x' of module 'a' used in module 'b'/);
  });

  it('constants must fit, comparisons must agree on signedness', () => {
    const m = new Module('c');
    const a = m.input('a', 8);
    const s = m.input('s', { width: 8, signed: true });
    expectElab(() => C(4, 16), here(), /16 does not fit in 4 bits/);
    expectElab(() => a.add(300), here(), /300 does not fit in 8 bits/);
    expectElab(() => a.lt(s), here(), /ambiguous; use ltS or ltU/);
    expectElab(() => a.slice(8, 0), here(), /out of range/);
    expectElab(() => a.zext(4), here(), /would truncate/);
    expectElab(() => a.shl(s), here(), /must be unsigned/);
  });

  it('duplicate and reserved names', () => {
    const m = new Module('n');
    m.input('a', 1);
    expectElab(() => m.wire('a', 1), here(), /already used/);
    expectElab(() => m.wire('clk', 1), here(), /reserved/);
  });

  it('Elif must follow its If', () => {
    const m = new Module('e');
    const a = m.input('a', 1);
    const w = m.wire('w', 1);
    const chain = m.If(a, () => m.comb(w, 1));
    m.comb(w, 0);
    expectElab(() => chain.Elif(a, () => m.comb(w, 1)), here(), /must directly follow/);
  });
});
