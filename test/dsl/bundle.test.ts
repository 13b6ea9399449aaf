// Bundles: declaration, field signals, whole-bundle assignment and registers,
// field-wise mux, pack/unpack, bundle ports through an instance.

import { describe, expect, it } from 'vitest';
import { bits, bundle, C, compileDesign, Module, mux, signed } from '../../src/dsl/index.ts';
import { Simulator } from '../../sim/simulator.ts';

const Inner = bundle({ lo: 4, hi: 4 });
const Payload = bundle({ pc: 32, imm: signed(12), inner: Inner, valid: 1 });

describe('bundles', () => {
  it('packs fields from the LSB and unpacks them back', () => {
    expect(Payload.width).toBe(32 + 12 + 8 + 1);
    const m = new Module('b0');
    const w = m.wire('w', Payload);
    expect(w.pc.name).toBe('w_pc');
    expect(w.inner.hi.name).toBe('w_inner_hi');
    expect(bits(w).width).toBe(53);
    const back = Payload.unpack(bits(w));
    expect(back.imm.signed).toBe(true);
    expect(back.inner.lo.width).toBe(4);
  });

  it('registers, muxes and connects a payload as one value', async () => {
    const stage = new Module('stage');
    const i = stage.input('i', Payload);
    const o = stage.output('o', Payload);
    const holdIn = stage.input('hold', 1);
    const r = stage.reg('r', Payload, { reset: { valid: 0, inner: { hi: 5 } } });
    stage.If(holdIn.not(), () => stage.sync(r, i));
    stage.comb(o, r);

    const top = new Module('bundles_top');
    const inp = top.input('inp', Payload);
    const hold = top.input('hold', 1);
    const sel = top.input('sel', 1);
    const out = top.output('out', Payload);
    const flat = top.output('flat', Payload.width);
    const u = top.instance('u', stage, { i: inp, hold });
    top.comb(out, mux(sel, u.o.o, inp));
    top.comb(flat, bits(u.o.o));

    const sim = await Simulator.create(top);
    sim.reset();
    expect(sim.peek('u.r_inner_hi')).toBe(5n);
    sim.poke('inp_pc', 0x1234);
    sim.poke('inp_imm', -3);
    sim.poke('inp_inner_lo', 9);
    sim.poke('inp_valid', 1);
    sim.poke('sel', 1);
    expect(sim.peek('out_pc')).toBe(0n);
    sim.step();
    expect(sim.peek('out_pc')).toBe(0x1234n);
    expect(sim.peek('out_imm')).toBe(-3n);
    const packed = sim.peek('flat');
    expect(packed & 0xffffffffn).toBe(0x1234n);
    expect((packed >> 44n) & 0xfn).toBe(9n);
    expect(packed >> 52n).toBe(1n);
    sim.poke('hold', 1);
    sim.poke('inp_pc', 7);
    sim.step();
    expect(sim.peek('out_pc')).toBe(0x1234n);
    expect(() => compileDesign(top)).not.toThrow();
  });

  it('rejects bundles of the wrong width', () => {
    const m = new Module('b1');
    const w = m.wire('w', Payload);
    expect(() => m.comb(w, C(8, 0))).toThrow(/cannot unpack a 8-bit value into a 53-bit bundle/);
  });
});
