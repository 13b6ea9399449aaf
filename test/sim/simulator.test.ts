// Test-bench API: poke/peek (ports and internal names), step, reset,
// runUntil, memories, fast handles, hierarchy names.

import { describe, expect, it } from 'vitest';
import { C, Module, signed, toVerilog } from '../../src/dsl/index.ts';
import { Simulator, SimTimeoutError } from '../../sim/simulator.ts';
import { fifo } from '../../sim/referee/hand/fifo.ts';

function accumulator(): Module {
  const m = new Module('accum');
  const x = m.input('x', signed(16));
  const en = m.input('en', 1);
  const sum = m.output('sum', signed(40));
  const acc = m.reg('acc', signed(40), { reset: 5 });
  const doubled = m.wire('doubled', signed(17));
  m.comb(doubled, x.sext(17).add(x.sext(17)));
  m.If(en, () => m.sync(acc, acc.add(doubled.sext(40))));
  m.comb(sum, acc);
  return m;
}

describe('Simulator', () => {
  it('poke, step, peek with signed values and internal names', async () => {
    const sim = await Simulator.create(accumulator());
    expect(sim.peek('sum')).toBe(5n); // power-up value = reset value
    sim.reset();
    sim.poke('en', 1);
    sim.poke('x', -3);
    expect(sim.peek('doubled')).toBe(-6n);
    expect(sim.peekBits('doubled')).toBe((1n << 17n) - 6n);
    sim.step(4);
    expect(sim.peek('sum')).toBe(5n - 24n);
    expect(sim.peekNumber('acc')).toBe(-19);
    expect(sim.cycle).toBe(5);
    sim.poke('en', 0);
    sim.step(10);
    expect(sim.peek('sum')).toBe(-19n);
  });

  it('rejects unknown names, non-inputs and values that do not fit', async () => {
    const sim = await Simulator.create(accumulator());
    expect(() => sim.peek('nope')).toThrow(/no signal named 'nope'/);
    expect(() => sim.poke('sum', 1)).toThrow(/not an input/);
    expect(() => sim.poke('x', 70000)).toThrow(/does not fit/);
  });

  it('runUntil returns the cycles taken and throws at the limit', async () => {
    const m = new Module('cnt');
    const q = m.output('q', 8);
    const r = m.reg('r', 8);
    m.sync(r, r.add(1));
    m.comb(q, r);
    const sim = await Simulator.create(m);
    sim.reset();
    expect(sim.runUntil((s) => s.peek('q') === 10n, 100)).toBe(10);
    expect(() => sim.runUntil((s) => s.peek('q') === 5n, 50)).toThrow(SimTimeoutError);
  });

  it('memories: load, read, write, dump, and the design sees them', async () => {
    const m = new Module('memt');
    const addr = m.input('addr', 4);
    const data = m.output('data', 24);
    const mem = m.memory('ram', { width: 24, depth: 16, init: [7] });
    m.comb(data, mem.readPort(addr));
    const sim = await Simulator.create(m);
    const ram = sim.mem('ram');
    expect(ram.read(0)).toBe(7n);
    ram.load([0x111111n, 0x222222n], 3);
    ram.write(15, 0xabcdef);
    sim.poke('addr', 4);
    sim.step();
    expect(sim.peek('data')).toBe(0x222222n);
    sim.poke('addr', 15);
    sim.step();
    expect(sim.peek('data')).toBe(0xabcdefn);
    expect(ram.dump().length).toBe(16);
    expect(() => ram.read(16)).toThrow(/outside memory/);
    expect(() => sim.mem('nope')).toThrow(/no memory named/);
  });

  it('read-during-write: old word by default; poisoned (and no_rw_check in Verilog) when undefined', async () => {
    const build = (rdw: 'old' | 'undefined'): Module => {
      const m = new Module('rdw');
      const addr = m.input('addr', 3);
      const waddr = m.input('waddr', 3);
      const we = m.input('we', 1);
      const data = m.output('data', 40);
      const mem = m.memory('ram', { width: 40, depth: 8, init: [0, 0x12_3456_789an], readDuringWrite: rdw });
      m.comb(data, mem.readPort(addr));
      mem.writePort(waddr, C(40, 0x55n), we);
      return m;
    };
    const results: bigint[] = [];
    for (const rdw of ['old', 'undefined'] as const) {
      const sim = await Simulator.create(build(rdw));
      sim.poke('addr', 1);
      sim.poke('waddr', 1);
      sim.poke('we', 1);
      sim.step();
      results.push(sim.peek('data'));
      // A write elsewhere leaves the read alone.
      sim.poke('waddr', 2);
      sim.step();
      expect(sim.peek('data')).toBe(0x55n);
    }
    expect(results).toEqual([0x12_3456_789an, ~0x12_3456_789an & 0xff_ffff_ffffn]);
    expect(toVerilog(build('undefined'))).toMatch(/\(\* no_rw_check \*\) reg \[39:0\] ram/);
    expect(toVerilog(build('old'))).not.toMatch(/no_rw_check/);
  });

  it('fifo keeps order and reports full/empty', async () => {
    const sim = await Simulator.create(fifo(16, 2));
    sim.reset();
    const push = sim.fast('push');
    const din = sim.fast('din');
    for (const v of [10, 20, 30, 40, 50]) {
      push.set(1);
      din.set(v);
      sim.step();
    }
    push.set(0);
    expect(sim.peek('full')).toBe(1n);
    expect(sim.peek('count')).toBe(4n);
    const out: bigint[] = [];
    sim.poke('pop', 1);
    for (let i = 0; i < 4; i++) {
      sim.step();
      out.push(sim.peek('dout'));
    }
    expect(out).toEqual([10n, 20n, 30n, 40n]);
    expect(sim.peek('empty')).toBe(1n);
  });

  it('hierarchical names are peekable with dots or Verilog-style __', async () => {
    const sub = new Module('leaf');
    const a = sub.input('a', 8);
    const y = sub.output('y', 8);
    const t = sub.wire('t', 8);
    sub.comb(t, a.add(1));
    sub.comb(y, t);
    const top = new Module('top');
    const i = top.input('i', 8);
    const o = top.output('o', 8);
    const u = top.instance('u_leaf', sub, { a: i });
    top.comb(o, u.o.y.add(C(8, 1)));
    const sim = await Simulator.create(top);
    sim.poke('i', 40);
    expect(sim.peek('u_leaf.t')).toBe(41n);
    expect(sim.peek('u_leaf__t')).toBe(41n);
    expect(sim.peek('o')).toBe(42n);
  });

  it('powerUp restores registers and memories', async () => {
    const sim = await Simulator.create(accumulator());
    sim.poke('en', 1);
    sim.poke('x', 100);
    sim.step(3);
    expect(sim.peek('sum')).not.toBe(5n);
    sim.powerUp();
    expect(sim.peek('sum')).toBe(5n);
    expect(sim.cycle).toBe(0);
  });

  it('fast handles on fields of registers read state directly, and agree with peek every cycle', () => {
    // A pin driven by a register's bit (a UART's tx) is current after step()
    // without re-evaluating the design (Simulator.stateField).
    const m = new Module('fields');
    const inc = m.input('inc', 8);
    const r = m.reg('r', 70, { reset: 0 });
    m.sync(r, r.add(inc.zext(70)).add(C(70, 0x123456789abn)));
    m.comb(m.output('bit0', 1), r.bit(0));
    m.comb(m.output('f', 6), r.slice(38, 33));
    m.comb(m.output('top', 4), r.slice(69, 66));
    m.comb(m.output('straddle', 8), r.slice(35, 28));
    const sim = Simulator.createSync(m);
    sim.reset();
    const names = ['bit0', 'f', 'top', 'straddle'];
    const fast = names.map((n) => sim.fast(n));
    for (let i = 0; i < 300; i++) {
      sim.poke('inc', (i * 37) & 0xff);
      sim.step();
      const got = fast.map((h) => h.get());
      expect(got).toEqual(names.map((n) => Number(sim.peek(n))));
    }
    expect(() => fast[0]!.set(1)).toThrow(/not an input/);
  });
});
