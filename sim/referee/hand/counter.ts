// Up/down counter with load and a 64-bit shadow register.

import { Module } from '../../../src/dsl/index.ts';

export function counter(width = 8): Module {
  const m = new Module(`counter${width}`);
  const en = m.input('en', 1);
  const up = m.input('up', 1);
  const load = m.input('load', 1);
  const value = m.input('value', width);
  const count = m.output('count', width);
  const wrap = m.output('wrap', 1);
  const r = m.reg('r', width, { reset: 0 });
  const total = m.reg('total', 64, { resetless: true });
  m.If(load, () => {
    m.sync(r, value);
  }).Elif(en, () => {
    m.If(up, () => m.sync(r, r.add(1))).Else(() => m.sync(r, r.sub(1)));
    m.sync(total, total.add(1));
  });
  m.comb(count, r);
  m.comb(wrap, en.and(up).and(r.all()));
  return m;
}
