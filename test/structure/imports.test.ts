// The import graph's rules (issue 11): no circles (type imports count: a
// circle of types still means two modules that cannot be read alone), the
// hardware generator builds only on the DSL, the ISA, the CPU/host contract
// (src/abi) and board descriptions, and no library imports the CLI.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/paths.ts';

const ROOTS = ['src', 'hdl', 'sim', 'bench', 'boards', 'scripts', 'web/src'];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  let entries;
  try {
    entries = readdirSync(join(REPO_ROOT, dir), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(path));
    else if (/\.ts$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Relative imports and re-exports of a module, as repo paths. */
export function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  const re = /^\s*(?:import|export)\b[^'";]*?(?:from\s*)?'(\.{1,2}\/[^']+)'/gm;
  for (const m of text.matchAll(re)) out.push(normalize(join(dirname(file), m[1]!)));
  return out;
}

function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const f of ROOTS.flatMap(sourceFiles)) g.set(f, importsOf(f, readFileSync(join(REPO_ROOT, f), 'utf8')));
  return g;
}

/** Strongly connected components with more than one module (Tarjan). */
export function circles(g: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v) ?? []) {
      if (!g.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) found.push(scc.sort());
    }
  };
  for (const v of g.keys()) if (!index.has(v)) visit(v);
  return found;
}

const HDL_MAY_IMPORT = ['hdl/', 'src/dsl/', 'src/isa/', 'src/abi/', 'src/board/types.ts', 'src/board/devices.ts'];

describe('import graph', () => {
  const g = graph();

  it('sees the project (the scan itself works)', () => {
    expect(g.size).toBeGreaterThan(200);
    expect(g.get('src/abi/cpu-port.ts')).toContain('src/abi/faults.ts');
  });

  it('finds a circle when there is one (the checker can fail)', () => {
    const toy = new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]);
    expect(circles(toy)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('has no circle', () => {
    expect(circles(g)).toEqual([]);
  });

  it('hdl/ builds only on the DSL, the ISA, the CPU/host contract and board descriptions', () => {
    const bad = [...g].flatMap(([f, deps]) => (f.startsWith('hdl/') ? deps.filter((d) => !HDL_MAY_IMPORT.some((p) => d.startsWith(p))).map((d) => `${f} -> ${d}`) : []));
    expect(bad).toEqual([]);
  });

  it('src/abi imports nothing but itself', () => {
    const bad = [...g].flatMap(([f, deps]) => (f.startsWith('src/abi/') ? deps.filter((d) => !d.startsWith('src/abi/')).map((d) => `${f} -> ${d}`) : []));
    expect(bad).toEqual([]);
  });

  it('no library imports the CLI', () => {
    // Tools that drive the CLI (bench, scripts, the input fuzzer whose targets include CLI arguments) may.
    const tool = (f: string): boolean => ['src/cli/', 'bench/', 'scripts/', 'src/fuzz-inputs/'].some((p) => f.startsWith(p));
    const bad = [...g].flatMap(([f, deps]) => (tool(f) ? [] : deps.filter((d) => d.startsWith('src/cli/')).map((d) => `${f} -> ${d}`)));
    expect(bad).toEqual([]);
  });

  it('relative paths stay inside the repository', () => {
    const outside = [...g].flatMap(([f, deps]) => deps.filter((d) => relative('.', d).startsWith('..')).map((d) => `${f} -> ${d}`));
    expect(outside).toEqual([]);
  });
});
