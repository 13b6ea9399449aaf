// Pass: flatten the hierarchy into one module. Child nets and memories get
// hierarchical names ("u_alu.sum"); port connections become buf cells, which
// passes/buffers.ts later collapses. Primitive instances stay as inst cells.

import type { Cell, DesignIR, ModuleIR, NetId } from '../ir.ts';

export function flattenDesign(d: DesignIR): DesignIR {
  const top = d.top;
  const flat: ModuleIR = {
    name: top.name,
    nets: [],
    cells: [],
    mems: [],
    inputs: [],
    outputs: [],
    loc: top.loc,
  };
  const map = inline(top, '', flat);
  if (top.clock !== undefined) flat.clock = map[top.clock];
  flat.inputs = top.inputs.map((p) => ({ name: p.name, net: map[p.net]! }));
  flat.outputs = top.outputs.map((p) => ({ name: p.name, net: map[p.net]! }));
  return { top: flat, modules: [flat] };
}

/** Copies `src` into `dst` with names prefixed; returns src net -> dst net. */
function inline(src: ModuleIR, prefix: string, dst: ModuleIR): NetId[] {
  const map = src.nets.map((n) => {
    dst.nets.push({
      ...n,
      name: n.name === undefined ? undefined : prefix + n.name,
      aliases: n.aliases?.map((a) => prefix + a),
      // Inner ports are plain wires once flattened.
      kind: prefix && (n.kind === 'input' || n.kind === 'output' || n.kind === 'rst') ? 'wire' : n.kind,
    });
    return dst.nets.length - 1;
  });
  const memBase = dst.mems.length;
  for (const mem of src.mems) dst.mems.push({ ...mem, name: prefix + mem.name });
  for (const c of src.cells) {
    if (c.kind === 'inst' && c.inst!.kind === 'module') {
      const child = c.inst!.module;
      const cmap = inline(child, `${prefix}${c.name}.`, dst);
      child.inputs.forEach((p, i) => {
        const k = c.inPorts!.indexOf(p.name);
        dst.cells.push({ kind: 'buf', ins: [map[c.ins[k]!]!], outs: [cmap[p.net]!], loc: c.loc });
        void i;
      });
      child.outputs.forEach((p) => {
        const k = c.outPorts!.indexOf(p.name);
        dst.cells.push({ kind: 'buf', ins: [cmap[p.net]!], outs: [map[c.outs[k]!]!], loc: c.loc });
      });
      continue;
    }
    const copy: Cell = {
      ...c,
      ins: c.ins.map((n) => map[n]!),
      outs: c.outs.map((n) => map[n]!),
      name: c.name === undefined ? undefined : prefix + c.name,
    };
    if (c.mem !== undefined) copy.mem = c.mem + memBase;
    dst.cells.push(copy);
  }
  return map;
}
