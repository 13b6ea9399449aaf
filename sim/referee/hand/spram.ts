// An SPRAM-backed memory (32-bit words, 2 banks x 2 columns = all four UP5K
// blocks). After reset it clears the 64 words it uses, so every read returns
// defined data in the vendor model too; read data is only shown when valid.

import { C, cat, Module, mux } from '../../../src/dsl/index.ts';

export function spramDemo(): Module {
  const m = new Module('spram_demo');
  const a = m.input('a', 5);
  const bank = m.input('bank', 1);
  const wdata = m.input('wdata', 32);
  const we = m.input('we', 1);
  const re = m.input('re', 1);
  const be = m.input('be', 4);
  const q = m.output('q', 32);
  const ready = m.output('ready', 1);

  const mem = m.memory('big', { width: 32, depth: 32768, spram: true });
  const clr = m.reg('clr', 7, { reset: 0 });
  const clearing = clr.bit(6).not();
  m.If(clearing, () => m.sync(clr, clr.add(1)));

  const addr = mux(clearing, cat(clr.bit(5), C(9, 0), clr.slice(4, 0)), cat(bank, C(9, 0), a));
  const doWrite = clearing.or(we);
  const doRead = clearing.not().and(re).and(we.not());
  const rd = mem.reader();
  m.comb(rd.addr, addr);
  m.comb(rd.en, doRead);
  mem.writePort(addr, mux(clearing, C(32, 0), wdata), doWrite, mux(clearing, C(4, 0xf), be));

  const valid = m.reg('valid', 1, { reset: 0 });
  m.sync(valid, doRead);
  m.comb(q, mux(valid, rd.data, C(32, 0)));
  m.comb(ready, clearing.not());
  return m;
}
