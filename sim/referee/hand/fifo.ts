// Synchronous FIFO on a memory: push/pop, full/empty, count; data appears on
// `dout` one cycle after a pop (the memory read port is registered).

import { Module } from '../../../src/dsl/index.ts';

export function fifo(width = 16, depthLog2 = 4): Module {
  const depth = 1 << depthLog2;
  const m = new Module(`fifo${width}x${depth}`);
  const push = m.input('push', 1);
  const pop = m.input('pop', 1);
  const din = m.input('din', width);
  const dout = m.output('dout', width);
  const full = m.output('full', 1);
  const empty = m.output('empty', 1);
  const count = m.output('count', depthLog2 + 1);

  const wp = m.reg('wp', depthLog2, { reset: 0 });
  const rp = m.reg('rp', depthLog2, { reset: 0 });
  const n = m.reg('n', depthLog2 + 1, { reset: 0 });
  const mem = m.memory('mem', { width, depth });

  const isFull = n.eq(depth);
  const isEmpty = n.eq(0);
  const doPush = push.and(isFull.not());
  const doPop = pop.and(isEmpty.not());

  mem.writePort(wp, din, doPush);
  const rdata = mem.readPort(rp, doPop);
  m.If(doPush, () => m.sync(wp, wp.add(1)));
  m.If(doPop, () => m.sync(rp, rp.add(1)));
  m.If(doPush.and(doPop.not()), () => m.sync(n, n.add(1))).Elif(doPop.and(doPush.not()), () => m.sync(n, n.sub(1)));

  m.comb(dout, rdata);
  m.comb(full, isFull);
  m.comb(empty, isEmpty);
  m.comb(count, n);
  return m;
}
