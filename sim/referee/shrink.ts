// Shrinks a failing random design: repeatedly tries simpler recipes (fewer
// outputs, values replaced by constants or by one of their operands, emptier
// statement bodies, fewer memory ports, narrower widths, fewer cycles) and
// keeps each one that still fails against the reference simulator.

import { operatorRefs, type GStmt, type Recipe } from './recipe.ts';

export type FailTest = (r: Recipe) => Promise<boolean>;

const clone = (r: Recipe): Recipe => structuredClone(r);

/** Candidate simplifications of `r`, most aggressive first. */
function* candidates(r: Recipe): Generator<Recipe> {
  if (r.outputs.length > 1) {
    for (let i = 0; i < r.outputs.length; i++) {
      const c = clone(r);
      c.outputs.splice(i, 1);
      yield c;
    }
  }
  for (let i = r.values.length - 1; i >= 0; i--) {
    const v = r.values[i]!;
    if (v.k === 'in' || (v.k === 'const' && v.v === '0' && v.w === 1)) continue;
    const z = clone(r);
    z.values[i] = { k: 'const', w: 1, s: false, v: '0' };
    yield z;
    for (const a of operatorRefs(v)) {
      const c = clone(r);
      c.values[i] = { k: 'size', op: 'asUnsigned', a, w: 1 };
      if (a !== i) yield c;
    }
    if ((v.k === 'reg' || v.k === 'wire') && v.body.length) {
      const c = clone(r);
      (c.values[i] as { body: GStmt[] }).body = [];
      yield c;
      for (const s of simplerBodies(v.body)) {
        const d = clone(r);
        (d.values[i] as { body: GStmt[] }).body = s;
        yield d;
      }
    }
    if (v.k === 'reg' && v.en !== null) {
      const c = clone(r);
      (c.values[i] as { en: number | null }).en = null;
      yield c;
    }
    if ('w' in v && typeof v.w === 'number' && v.w > 1 && v.k !== 'size') {
      const c = clone(r);
      const nv = c.values[i] as { w: number; v?: string; init?: string; reset?: string | null; dflt?: string | null };
      nv.w = Math.ceil(v.w / 2);
      const m = (x: string): string => (BigInt(x) & ((1n << BigInt(nv.w)) - 1n)).toString();
      if (nv.v !== undefined) nv.v = m(nv.v);
      if (nv.init !== undefined) nv.init = m(nv.init);
      if (nv.reset) nv.reset = m(nv.reset);
      if (nv.dflt) nv.dflt = m(nv.dflt);
      yield c;
    }
  }
  for (let mi = 0; mi < r.mems.length; mi++) {
    for (let wi = 0; wi < r.mems[mi]!.writes.length; wi++) {
      const c = clone(r);
      c.mems[mi]!.writes.splice(wi, 1);
      yield c;
      const be = clone(r);
      if (be.mems[mi]!.writes[wi]!.be !== null) {
        be.mems[mi]!.writes[wi]!.be = null;
        yield be;
      }
    }
    if (r.mems[mi]!.init.length) {
      const c = clone(r);
      c.mems[mi]!.init = [];
      yield c;
    }
  }
  yield* childCandidates(r);
}

function* childCandidates(r: Recipe): Generator<Recipe> {
  for (let i = 0; i < r.insts.length; i++) {
    for (const c of candidates(r.insts[i]!.child)) {
      const x = clone(r);
      x.insts[i]!.child = c;
      yield x;
    }
  }
}

function* simplerBodies(body: GStmt[]): Generator<GStmt[]> {
  for (let i = 0; i < body.length; i++) {
    const s = body[i]!;
    yield [...body.slice(0, i), ...body.slice(i + 1)];
    if (s.k === 'if') {
      for (const b of s.br) yield [...body.slice(0, i), ...b.body, ...body.slice(i + 1)];
      if (s.br.length > 1) {
        for (let j = 0; j < s.br.length; j++) {
          yield [...body.slice(0, i), { k: 'if', br: s.br.filter((_, x) => x !== j) }, ...body.slice(i + 1)];
        }
      }
    } else if (s.k === 'sw') {
      for (const c of s.cases) yield [...body.slice(0, i), ...c.body, ...body.slice(i + 1)];
      if (s.dflt) yield [...body.slice(0, i), { ...s, dflt: undefined }, ...body.slice(i + 1)];
      if (s.cases.length > 1) {
        for (let j = 0; j < s.cases.length; j++) {
          yield [...body.slice(0, i), { ...s, cases: s.cases.filter((_, x) => x !== j) }, ...body.slice(i + 1)];
        }
      }
    }
  }
}

/** Greedy shrinking; `maxTries` bounds the number of reference runs. After a
 *  successful step the scan resumes where it was (earlier candidates rarely
 *  start working), and a last full scan confirms a fixed point. */
export async function shrinkRecipe(r: Recipe, fails: FailTest, maxTries = 400, log?: (s: string) => void): Promise<Recipe> {
  let cur = clone(r);
  let tries = 0;
  let start = 0;
  for (;;) {
    let found = -1;
    let k = 0;
    for (const c of candidates(cur)) {
      if (k++ < start) continue;
      if (++tries > maxTries) return cur;
      let bad = false;
      try {
        bad = await fails(c);
      } catch {
        bad = false;
      }
      if (bad) {
        cur = c;
        found = k - 1;
        log?.(`shrink: ${size(cur)} after ${tries} tries`);
        break;
      }
    }
    if (found >= 0) start = Math.max(0, found - 1);
    else if (start > 0) start = 0;
    else return cur;
  }
}

export function size(r: Recipe): string {
  const live = r.values.filter((v) => !(v.k === 'const' && v.v === '0' && v.w === 1)).length;
  return `${live} values, ${r.outputs.length} outputs, ${r.mems.reduce((s, m) => s + m.writes.length, 0)} write ports`;
}
