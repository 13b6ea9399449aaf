// A small 64-bit ALU with the eBPF operation set (add, sub, mul, div-free
// logic, shifts, compares) and a registered result with flags.

import { C, Module, mux } from '../../../src/dsl/index.ts';

export function alu(): Module {
  const m = new Module('alu64');
  const op = m.input('op', 4);
  const a = m.input('a', 64);
  const b = m.input('b', 64);
  const is32 = m.input('is32', 1);
  const y = m.output('y', 64);
  const zero = m.output('zero', 1);
  const lt = m.output('lt', 1);
  const ltu = m.output('ltu', 1);

  const res = m.wire('res', 64);
  const amt = mux(is32, b.slice(4, 0).zext(6), b.slice(5, 0));
  m.Switch(op)
    .Case(0x0, () => m.comb(res, a.add(b)))
    .Case(0x1, () => m.comb(res, a.sub(b)))
    .Case(0x2, () => m.comb(res, a.mul(b)))
    .Case(0x3, () => m.comb(res, a.or(b)))
    .Case(0x4, () => m.comb(res, a.and(b)))
    .Case(0x5, () => m.comb(res, a.shl(amt)))
    .Case(0x6, () => m.comb(res, a.shr(amt)))
    .Case(0x7, () => m.comb(res, a.neg()))
    .Case(0xa, () => m.comb(res, a.xor(b)))
    .Case(0xb, () => m.comb(res, b))
    .Case(0xc, () => m.comb(res, a.sar(amt)))
    .Case('111-', () => m.comb(res, a.mulWide(b).slice(127, 64)))
    .Default(() => m.comb(res, C(64, 0)));
  const narrow = mux(is32, res.slice(31, 0).zext(64), res);
  const r = m.reg('r', 64, { reset: 0 });
  m.sync(r, narrow);
  m.comb(y, r);
  m.comb(zero, r.eq(0));
  m.comb(lt, a.ltS(b));
  m.comb(ltu, a.ltU(b));
  return m;
}
