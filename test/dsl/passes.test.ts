// The pass list and what each pass does to the IR.

import { describe, expect, it } from 'vitest';
import { C, compileDesign, Module, PASSES, toVerilog } from '../../src/dsl/index.ts';
import { elaborate } from '../../src/dsl/passes/elaborate.ts';
import type { ModuleIR } from '../../src/dsl/ir.ts';

const kinds = (m: ModuleIR): string[] => m.cells.map((c) => c.kind).sort();

describe('passes', () => {
  it('run in the documented order', () => {
    expect(PASSES.map((p) => p.name)).toEqual([
      'check-widths', 'check-drivers', 'flatten', 'check-loops', 'collapse-buffers', 'fold-constants',
      'common-subexpressions', 'collapse-buffers-again', 'remove-dead-logic', 'recheck-widths', 'allocate-names',
    ]);
  });

  it('constant folding evaluates constant cones and simple identities', () => {
    const m = new Module('fold');
    const a = m.input('a', 8);
    const y = m.output('y', 8);
    const z = m.output('z', 8);
    m.comb(y, C(8, 3).mul(C(8, 5)).add(a.and(0)));
    m.comb(z, a.or(0).xor(a.sub(a)));
    const on = compileDesign(m).top;
    expect(kinds(on)).toEqual(['buf', 'const']); // y = 15, z = a
    expect(on.cells.find((c) => c.kind === 'const')!.value).toBe(15n);
    const off = compileDesign(m, { fold: false }).top;
    expect(kinds(off)).toContain('mul');
  });

  it('dead logic removal keeps named signals unless asked not to', () => {
    const m = new Module('dce');
    const a = m.input('a', 8);
    const y = m.output('y', 8);
    const dbg = m.wire('dbg', 8);
    m.comb(dbg, a.mul(a));
    void a.add(1); // never used: removed
    m.comb(y, a);
    expect(kinds(compileDesign(m).top)).toContain('mul');
    expect(kinds(compileDesign(m, { keepNamed: false }).top)).not.toContain('mul');
  });

  it('flattening prefixes hierarchical names; Verilog can be flat or hierarchical', () => {
    const leaf = new Module('leaf');
    const i = leaf.input('i', 4);
    const o = leaf.output('o', 4);
    const t = leaf.wire('t', 4);
    leaf.comb(t, i.add(1));
    leaf.comb(o, t);
    const top = new Module('flat_top');
    const x = top.input('x', 4);
    const y = top.output('y', 4);
    top.comb(y, top.instance('u1', leaf, { i: x }).o.o);
    const flat = compileDesign(top, { flatten: true, collapse: 'all' });
    expect(flat.modules.length).toBe(1);
    const names = flat.top.nets.flatMap((n) => [n.name, ...(n.aliases ?? [])]).filter(Boolean);
    expect(names).toContain('u1.t');
    expect(toVerilog(top, { flatten: true })).toContain('u1__t');
    expect(toVerilog(top)).toMatch(/leaf u1 \(/);
  });

  it('name allocation avoids Verilog and C++ keywords', () => {
    const m = new Module('kw');
    const a = m.input('a', 1);
    const y = m.output('y', 1);
    const w = m.wire('begin', 1);
    const w2 = m.wire('class', 1);
    m.comb(w, a);
    m.comb(w2, w.not());
    m.comb(y, w2);
    const v = toVerilog(m);
    expect(v).toMatch(/wire begin_1;/);
    expect(v).toMatch(/wire class_1;/);
  });

  it('elaboration lowers If/Else into muxes and register enables', () => {
    const m = new Module('lower');
    const c = m.input('c', 1);
    const d = m.input('d', 4);
    const y = m.output('y', 4);
    const r = m.reg('r', 4);
    m.If(c, () => m.sync(r, d));
    m.comb(y, r);
    const ir = elaborate(m).top;
    const dff = ir.cells.find((x) => x.kind === 'dff')!;
    expect(ir.nets[dff.ins[1]!]!.name).toBe('c'); // the If condition became the enable
    expect(ir.nets[dff.ins[0]!]!.name).toBe('d');
  });
});
