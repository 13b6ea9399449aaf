// SB_MAC16 as the CPU would use it: a 32x32 -> 64 multiply from four 16x16
// DSP products (unsigned), registered.

import { Module } from '../../../src/dsl/index.ts';
import { mac16Mul } from '../../../src/dsl/primitives/mac16.ts';

export function macDemo(): Module {
  const m = new Module('mac_demo');
  const a = m.input('a', 32);
  const b = m.input('b', 32);
  const s = m.input('s', 16);
  const p = m.output('p', 64);
  const q = m.output('q', 32);
  const al = a.slice(15, 0);
  const ah = a.slice(31, 16);
  const bl = b.slice(15, 0);
  const bh = b.slice(31, 16);
  const ll = m.instance('m_ll', mac16Mul(), { A: al, B: bl }).o.O;
  const lh = m.instance('m_lh', mac16Mul(), { A: al, B: bh }).o.O;
  const hl = m.instance('m_hl', mac16Mul(), { A: ah, B: bl }).o.O;
  const hh = m.instance('m_hh', mac16Mul(), { A: ah, B: bh }).o.O;
  const sum = ll.zext(64).add(lh.zext(64).shl(16)).add(hl.zext(64).shl(16)).add(hh.zext(64).shl(32));
  const r = m.reg('r', 64, { reset: 0 });
  m.sync(r, sum);
  m.comb(p, r);
  // A signed, fully registered multiplier (2 cycles of latency). The DSP
  // registers have no power-up value in the vendor model: reset them.
  const sq = m.instance('m_sq', mac16Mul({ signed: true, registered: true }), {
    A: s,
    B: s,
    IRSTTOP: m.rst,
    IRSTBOT: m.rst,
  }).o.O;
  m.comb(q, sq);
  return m;
}
