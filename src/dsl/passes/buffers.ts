// Pass: collapse buf cells by merging their two nets. In 'temps' mode only
// unnamed temporaries disappear (keeps `assign y = x;` between named signals
// for readable Verilog); in 'all' mode named nets merge too and the dropped
// name is kept as an alias, which the simulator can still peek.

import type { Cell, DesignIR, ModuleIR, NetId } from '../ir.ts';

export type CollapseMode = 'temps' | 'all';

export function collapseBuffers(d: DesignIR, mode: CollapseMode): DesignIR {
  for (const m of d.modules) collapseModule(m, mode);
  return d;
}

const RANK: Record<string, number> = { input: 5, output: 5, rst: 5, reg: 4, memdata: 4, wire: 2, temp: 0 };

export function collapseModule(m: ModuleIR, mode: CollapseMode): void {
  const ports = new Set<NetId>([...m.inputs.map((p) => p.net), ...m.outputs.map((p) => p.net)]);
  const parent = m.nets.map((_, i) => i);
  const find = (x: NetId): NetId => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const keep: Cell[] = [];
  for (const c of m.cells) {
    if (c.kind !== 'buf') {
      keep.push(c);
      continue;
    }
    const a = find(c.ins[0]!);
    const b = find(c.outs[0]!);
    const na = m.nets[a]!;
    const nb = m.nets[b]!;
    const aPort = ports.has(a);
    const bPort = ports.has(b);
    const mergeable = a !== b && !(aPort && bPort) && (mode === 'all' || na.name === undefined || nb.name === undefined);
    if (!mergeable) {
      keep.push(c);
      continue;
    }
    // Choose the surviving net: ports first, then state, then the assignment target.
    const ra = aPort ? 9 : RANK[na.kind]! + (na.name ? 1 : 0);
    const rb = bPort ? 9 : RANK[nb.kind]! + (nb.name ? 1 : 0) + 0.5;
    const [win, lose] = rb >= ra ? [b, a] : [a, b];
    const nw = m.nets[win]!;
    const nl = m.nets[lose]!;
    if (nl.name !== undefined) nw.aliases = [...(nw.aliases ?? []), nl.name, ...(nl.aliases ?? [])];
    else if (nl.aliases) nw.aliases = [...(nw.aliases ?? []), ...nl.aliases];
    if (nw.name === undefined && nl.name === undefined) nw.loc ??= nl.loc;
    parent[lose] = win;
  }
  for (const c of keep) {
    c.ins = c.ins.map(find);
    c.outs = c.outs.map(find);
  }
  if (m.clock !== undefined) m.clock = find(m.clock);
  m.cells = keep;
}
