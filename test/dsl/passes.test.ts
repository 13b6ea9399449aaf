// The pass list and what each pass does to the IR.

import { describe, expect, it } from 'vitest';
import { C, compileDesign, Module, mux, toVerilog } from '../../src/dsl/index.ts';
import { elaborate } from '../../src/dsl/passes/elaborate.ts';
import type { ModuleIR } from '../../src/dsl/ir.ts';

const kinds = (m: ModuleIR): string[] => m.cells.map((c) => c.kind).sort();

describe('passes', () => {
  it('leave a netlist with every pass\'s property: folded, shared, collapsed, no dead logic, named', () => {
    // One design that gives each pass something to do. The expectations are
    // properties of the result, checked here from the IR, so a pass that is
    // dropped, disabled or run in an order that undoes another fails this.
    const m = new Module('all_passes');
    const a = m.input('a', 8);
    const b = m.input('b', 8);
    const y = m.output('y', 8);
    const z = m.output('z', 8);
    const r = m.reg('begin', 8); // a Verilog keyword: renamed
    const mid = m.wire('mid', 8);
    m.comb(mid, a); // a buffer chain a -> mid -> y
    m.sync(r, a.add(b).xor(C(8, 2).mul(C(8, 3)))); // 2 * 3 folds to 6
    m.comb(y, mux(C(1, 1), mid.add(b), a.mul(b))); // folding picks mid + b, the multiplier is dead
    m.comb(z, r.or(a.add(b))); // a + b again: shared with the register's
    const ir = compileDesign(m, { keepNamed: false, collapse: 'all' }).top;
    const drivenBy = new Map<number, (typeof ir.cells)[number]>();
    for (const c of ir.cells) for (const o of c.outs) drivenBy.set(o, c);
    // fold-constants: no arithmetic or logic cell has only constant inputs; no multiplier survives.
    const isConst = (n: number): boolean => drivenBy.get(n)?.kind === 'const';
    expect(ir.cells.filter((c) => c.kind !== 'const' && c.kind !== 'dff' && c.ins.length > 0 && c.ins.every(isConst))).toEqual([]);
    expect(ir.cells.some((c) => c.kind === 'mul')).toBe(false);
    // common-subexpressions after collapse-buffers: one adder for all three a + b.
    const adds = ir.cells.filter((c) => c.kind === 'add');
    // (mid + b is a + b too once the buffer mid is collapsed.)
    expect(adds.length).toBe(1);
    // collapse-buffers: no buffer feeds another buffer.
    expect(ir.cells.filter((c) => c.kind === 'buf' && drivenBy.get(c.ins[0]!)?.kind === 'buf')).toEqual([]);
    // remove-dead-logic: every cell's output reaches an output or a register.
    const live = new Set<number>(ir.outputs.map((p) => p.net));
    for (let changed = true; changed; ) {
      changed = false;
      for (const c of ir.cells) {
        if (c.kind !== 'dff' && !c.outs.some((o) => live.has(o))) continue;
        for (const i of c.ins) if (!live.has(i)) live.add(i), (changed = true);
      }
    }
    expect(ir.cells.filter((c) => c.kind !== 'dff' && !c.outs.some((o) => live.has(o)))).toEqual([]);
    // allocate-names: the keyword is renamed in the Verilog.
    expect(toVerilog(m)).toMatch(/reg \[7:0\] begin_1/);
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
