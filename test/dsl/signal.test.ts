// Expression widths, signedness and constant handling (the rules of
// docs/dsl.md), checked through elaboration and simulation.

import { describe, expect, it } from 'vitest';
import { C, cat, Module, mux, S, signed } from '../../src/dsl/index.ts';
import { Simulator } from '../../sim/simulator.ts';

describe('expression widths and signedness', () => {
  const m = new Module('w');
  const a8 = m.input('a8', 8);
  const b16 = m.input('b16', 16);
  const s8 = m.input('s8', signed(8));

  it('binary ops take the wider width; wide products sum the widths', () => {
    expect(a8.add(b16).width).toBe(16);
    expect(a8.mul(b16).width).toBe(16);
    expect(a8.mulWide(b16).width).toBe(24);
    expect(s8.mulWide(s8).signed).toBe(true);
    expect(a8.add(s8).signed).toBe(false);
    expect(s8.add(s8).signed).toBe(true);
  });

  it('comparisons and reductions are 1 bit; shifts keep the width', () => {
    expect(a8.lt(3).width).toBe(1);
    expect(b16.any().width).toBe(1);
    expect(b16.shl(20).width).toBe(16);
    expect(b16.sar(a8).width).toBe(16);
  });

  it('bit selection, concatenation (MSB first), extension, replication', () => {
    expect(b16.slice(11, 4).width).toBe(8);
    expect(cat(a8, b16).width).toBe(24);
    expect(a8.zext(64).width).toBe(64);
    expect(s8.sext(64).signed).toBe(true);
    expect(a8.repl(3).width).toBe(24);
    expect(b16.trunc(5).width).toBe(5);
    expect(C(128, -1n).width).toBe(128);
    expect(S(8, -128).signed).toBe(true);
  });

  it('evaluates the documented semantics', async () => {
    const t = new Module('sem');
    const x = t.input('x', 8);
    const y = t.input('y', signed(8));
    const out = (name: string, e: ReturnType<typeof x.add>): void => {
      t.comb(t.output(name, e.width), e.asUnsigned());
    };
    out('cat', cat(x, C(4, 0xa)));
    out('sum', x.add(y)); // y sign-extended? no: same width, wraps
    out('wide', x.mulWide(y)); // x zero-extended, y sign-extended to 16 bits
    out('sext', y.sext(16));
    out('sar', y.sar(3));
    out('shrv', x.shr(C(8, 200)));
    out('lts', y.lt(0));
    out('ltu', x.ltU(y));
    out('mux', mux(x.bit(0), C(8, 1), C(8, 2)));
    out('rep', x.slice(1, 0).repl(4));
    const sim = await Simulator.create(t);
    sim.poke('x', 0x81);
    sim.poke('y', -2);
    expect(sim.peek('cat')).toBe(0x81an);
    expect(sim.peek('sum')).toBe(0x7fn);
    expect(sim.peek('wide')).toBe((0x81n * -2n) & 0xffffn);
    expect(sim.peek('sext')).toBe(0xfffen);
    expect(sim.peek('sar')).toBe(0xffn);
    expect(sim.peek('shrv')).toBe(0n);
    expect(sim.peek('lts')).toBe(1n);
    expect(sim.peek('ltu')).toBe(1n); // 0x81 < 0xfe unsigned
    expect(sim.peek('mux')).toBe(1n);
    expect(sim.peek('rep')).toBe(0x55n);
  });

  it('Switch: values, lists, don\'t-care patterns, first match wins, default', async () => {
    const t = new Module('sw');
    const op = t.input('op', 4);
    const y = t.output('y', 8);
    t.Switch(op)
      .Case(1, () => t.comb(y, 10))
      .Case([2, 3], () => t.comb(y, 20))
      .Case('1--0', () => t.comb(y, 30))
      .Case(8, () => t.comb(y, 40)) // shadowed by '1--0'
      .Default(() => t.comb(y, 99));
    const sim = await Simulator.create(t);
    const got = [];
    for (let v = 0; v < 16; v++) {
      sim.poke('op', v);
      got.push(Number(sim.peek('y')));
    }
    expect(got).toEqual([99, 10, 20, 20, 99, 99, 99, 99, 30, 99, 30, 99, 30, 99, 30, 99]);
  });

  it('registers: clock enable, If priority, resetless init', async () => {
    const t = new Module('regs');
    const en = t.input('en', 1);
    const a = t.input('a', 1);
    const q = t.output('q', 8);
    const r = t.reg('r', 8, { reset: 7, en });
    const z = t.reg('z', 8, { resetless: true, init: 3 });
    t.sync(r, r.add(1));
    t.If(a, () => t.sync(r, 100));
    t.sync(z, z);
    t.comb(q, r.add(z));
    const sim = await Simulator.create(t);
    expect(sim.peek('q')).toBe(10n);
    sim.step(3);
    expect(sim.peek('r')).toBe(7n); // enable low
    sim.poke('en', 1);
    sim.step(2);
    expect(sim.peek('r')).toBe(9n);
    sim.poke('a', 1);
    sim.step();
    expect(sim.peek('r')).toBe(100n); // later statement wins
    sim.reset();
    expect(sim.peek('r')).toBe(7n);
    expect(sim.peek('z')).toBe(3n);
  });
});
