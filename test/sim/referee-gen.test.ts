// The random design generator: deterministic per seed, and across a modest
// number of designs it exercises every IR cell kind (and every primitive the
// CPU needs), with widths up to 128 bits.

import { describe, expect, it } from 'vitest';
import type { CellKind } from '../../src/dsl/ir.ts';
import { elaborate } from '../../src/dsl/passes/elaborate.ts';
import { compileDesign } from '../../src/dsl/passes/index.ts';
import { setLocCapture } from '../../src/dsl/loc.ts';
import { randomDut } from '../../sim/referee/referee.ts';
import { shrinkRecipe } from '../../sim/referee/shrink.ts';
import { buildRecipe } from '../../sim/referee/build.ts';

const ALL: CellKind[] = [
  'const', 'buf', 'add', 'sub', 'mul', 'and', 'or', 'xor', 'not', 'neg', 'shl', 'shr', 'sar', 'eq', 'ne', 'lt', 'le',
  'redand', 'redor', 'redxor', 'mux', 'cat', 'slice', 'zext', 'sext', 'dff', 'memrd', 'memwr', 'inst',
];

describe('random design generator', () => {
  it('is deterministic per seed', () => {
    expect(JSON.stringify(randomDut(3, 17).recipe)).toBe(JSON.stringify(randomDut(3, 17).recipe));
    expect(JSON.stringify(randomDut(3, 17).recipe)).not.toBe(JSON.stringify(randomDut(4, 17).recipe));
  });

  it('uses every cell kind, signed compares, resets, byte enables and wide values within 300 designs', () => {
    setLocCapture(false);
    const seen = new Set<string>();
    let maxW = 0;
    for (let i = 0; i < 300; i++) {
      const d = randomDut(20240, i, { nodes: 12 });
      for (const m of elaborate(d.build()).modules) {
        for (const c of m.cells) {
          seen.add(c.kind);
          if ((c.kind === 'lt' || c.kind === 'le') && c.signed) seen.add('signed-compare');
          if (c.kind === 'dff' && c.ins.length === 3) seen.add('dff-reset');
          if (c.kind === 'dff' && c.ins.length === 2) seen.add('dff-resetless');
          if (c.kind === 'inst') seen.add(c.inst!.kind === 'prim' ? c.inst!.prim.type : 'submodule');
          for (const o of c.outs) maxW = Math.max(maxW, m.nets[o]!.width);
        }
        for (const mem of m.mems) if (mem.granularity < mem.width) seen.add('byte-enables');
      }
    }
    setLocCapture(true);
    const missing = [...ALL, 'signed-compare', 'dff-reset', 'dff-resetless', 'SB_MAC16', 'submodule', 'byte-enables'].filter((k) => !seen.has(k));
    expect(missing).toEqual([]);
    expect(maxW).toBeGreaterThanOrEqual(128);
  });

  it('the shrinker reduces a design while the failure persists', async () => {
    // A stand-in failure: "the design still contains a multiplier".
    const hasMul = (r: object): boolean => JSON.stringify(r).includes('"op":"mul"');
    let i = 0;
    while (!hasMul(randomDut(20240, i, { nodes: 24 }).recipe)) i++;
    const d = randomDut(20240, i, { nodes: 24 });
    const live = (r: typeof d.recipe): number => r.values.filter((v) => !(v.k === 'const' && v.v === '0')).length;
    const small = await shrinkRecipe(d.recipe, async (r) => hasMul(r), 3000);
    expect(hasMul(small)).toBe(true);
    expect(live(small)).toBeLessThan(live(d.recipe) / 2);
    expect(small.outputs.length).toBe(1);
    // The shrunk recipe still builds and elaborates.
    expect(() => compileDesign(buildRecipe(small, 'shrunk'))).not.toThrow();
  });
});
