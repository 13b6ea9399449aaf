// A flattened ModuleIR as JSON-safe data and back, for the simulator's disk cache
// (sim-cache.ts). What JSON cannot hold is spelled out: bigints (constants,
// reset and init values, memory contents) become decimal strings, and a
// primitive instance names its vendor primitive, which decoding looks up in
// the built-in table. Source locations are dropped: they point into the
// elaboration that made the IR, and nothing downstream of the simulator reads
// them.

import type { Cell, MemoryIR, ModuleIR, Net } from '../src/dsl/ir.ts';
import type { ParamValue, PrimitiveDef } from '../src/dsl/primitives/types.ts';
import { SB_MAC16, SB_PLL40_CORE, SB_PLL40_PAD, SB_SPRAM256KA } from '../src/dsl/primitives/index.ts';

const PRIMITIVES = new Map<string, PrimitiveDef>(
  [SB_MAC16, SB_SPRAM256KA, SB_PLL40_PAD, SB_PLL40_CORE].map((p) => [p.type, p]),
);

const BIGINT_FIELDS = ['value', 'reset', 'init'] as const;

type EncodedParam = number | string | { bigint: string };

function encodeParams(params: Record<string, ParamValue>): Record<string, EncodedParam> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'bigint' ? { bigint: v.toString() } : v]));
}

function decodeParams(params: Record<string, EncodedParam>): Record<string, ParamValue> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'object' ? BigInt(v.bigint) : v]));
}

/** `m` as JSON-safe data, or undefined when it holds something the codec cannot name (a primitive outside the table, a submodule). */
export function encodeModuleIR(m: ModuleIR): object | undefined {
  const cells: unknown[] = [];
  for (const c of m.cells) {
    const { loc: _loc, inst, ...rest } = c;
    const out: Record<string, unknown> = { ...rest };
    for (const f of BIGINT_FIELDS) if (typeof c[f] === 'bigint') out[f] = c[f]!.toString();
    if (inst) {
      if (inst.kind !== 'prim' || PRIMITIVES.get(inst.prim.type) !== inst.prim) return undefined;
      out.inst = { kind: 'prim', prim: inst.prim.type, params: encodeParams(inst.params) };
    }
    cells.push(out);
  }
  const nets = m.nets.map(({ loc: _loc, ...rest }) => rest);
  const mems = m.mems.map(({ loc: _loc, init, ...rest }) => ({ ...rest, init: init.map(String) }));
  const { loc: _loc, ...top } = m;
  return { ...top, nets, cells, mems };
}

/** The ModuleIR encodeModuleIR made (after a JSON round trip); throws on data it did not make. */
export function decodeModuleIR(data: unknown): ModuleIR {
  const raw = data as ModuleIR & { cells: Record<string, unknown>[]; mems: (Omit<MemoryIR, 'init'> & { init: string[] })[] };
  if (!Array.isArray(raw.nets) || !Array.isArray(raw.cells) || !Array.isArray(raw.mems)) throw new Error('not an encoded module');
  const cells = raw.cells.map((c) => {
    const out = { ...c } as unknown as Cell;
    for (const f of BIGINT_FIELDS) {
      const v = c[f];
      if (typeof v === 'string') out[f] = BigInt(v);
    }
    const inst = c.inst as { kind: 'prim'; prim: string; params: Record<string, EncodedParam> } | undefined;
    if (inst) {
      const prim = PRIMITIVES.get(inst.prim);
      if (!prim) throw new Error(`unknown primitive ${inst.prim}`);
      out.inst = { kind: 'prim', prim, params: decodeParams(inst.params) };
    }
    return out;
  });
  const mems = raw.mems.map((mem) => ({ ...mem, init: mem.init.map((v) => BigInt(v)) }));
  return { ...raw, nets: raw.nets as Net[], cells, mems };
}
