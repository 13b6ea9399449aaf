// The compiled-simulator disk cache (sim/sim-cache.ts): a hit behaves exactly
// like a fresh compile (same generated code, same result and cycle count on
// every conformance program), a different key or option misses, a corrupt or
// foreign entry is ignored and replaced, BPFGATE_SIM_CACHE=0 bypasses it, and
// the IR codec round-trips the CPU system apart from source locations.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Module } from '../../src/dsl/index.ts';
import { compileDesign } from '../../src/dsl/passes/index.ts';
import type { Engine, EngineResult } from '../../src/conformance/engine.ts';
import { runConformance } from '../../src/conformance/index.ts';
import { CONFORMANCE_TESTS } from '../../src/paths.ts';
import { makeConfig } from '../../hdl/cpu/config.ts';
import { makeSystem } from '../../hdl/cpu/system.ts';
import { createSimEngine } from '../../src/engines/sim.ts';
import { createSocSimEngine } from '../../src/host/engines.ts';
import { cachedSimulator, simCacheFile, simCacheStats } from '../../sim/sim-cache.ts';
import { decodeModuleIR, encodeModuleIR } from '../../sim/ir-codec.ts';
import type { ModuleIR } from '../../src/dsl/ir.ts';

let home: string;
const saved = { xdg: process.env.XDG_CACHE_HOME, off: process.env.BPFGATE_SIM_CACHE };

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'bpfgate-sim-cache-'));
  process.env.XDG_CACHE_HOME = home;
  delete process.env.BPFGATE_SIM_CACHE;
});

afterAll(() => {
  if (saved.xdg === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = saved.xdg;
  if (saved.off !== undefined) process.env.BPFGATE_SIM_CACHE = saved.off;
  rmSync(home, { recursive: true, force: true });
});

function counter(width: number): Module {
  const m = new Module('counter');
  const en = m.input('en', 1);
  const q = m.output('q', width);
  const r = m.reg('r', width, { reset: 3 });
  m.If(en, () => m.sync(r, r.add(1)));
  m.comb(q, r);
  return m;
}

/** cachedSimulator plus whether it had to build the design. */
function cached(key: unknown, width: number): { built: boolean; sim: ReturnType<typeof cachedSimulator> } {
  let built = false;
  const sim = cachedSimulator(key, () => {
    built = true;
    return counter(width);
  });
  return { built, sim };
}

function entries(): string[] {
  const dir = join(home, 'bpfgate', 'sim');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
}

/** The IR without its source locations (the codec drops them). */
function withoutLocs(m: ModuleIR): unknown {
  return JSON.parse(JSON.stringify(m, (k, v: unknown) => (k === 'loc' ? undefined : typeof v === 'bigint' ? `${v}n` : k === 'prim' ? (v as { type: string }).type : v)));
}

describe('simulator disk cache', () => {
  it('compiles on a miss, then serves the same simulator without building the design', () => {
    const first = cached({ design: 'counter', width: 12 }, 12);
    expect(first.built).toBe(true);
    expect(entries()).toHaveLength(1);
    const second = cached({ design: 'counter', width: 12 }, 12);
    expect(second.built).toBe(false);
    expect(second.sim.source).toBe(first.sim.source);
    for (const sim of [first.sim, second.sim]) {
      expect(sim.peek('q')).toBe(3n); // power-up value = reset value
      sim.poke('en', 1);
      sim.step(4097);
      expect(sim.peek('q')).toBe((3n + 4097n) % 4096n);
    }
  });

  it('misses on another key or other compile options', () => {
    expect(cached({ design: 'counter', width: 13 }, 13).built).toBe(true);
    let built = false;
    cachedSimulator({ design: 'counter', width: 12 }, () => ((built = true), counter(12)), { memoize: false });
    expect(built).toBe(true);
    expect(entries()).toHaveLength(3);
  });

  it('ignores a corrupt or foreign entry and writes a good one in its place', () => {
    const key = { design: 'counter', width: 14 };
    expect(cached(key, 14).built).toBe(true);
    const { file } = simCacheFile(key);
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.slice(0, good.length / 2)); // torn
    expect(cached(key, 14).built).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(good);
    writeFileSync(file, good.replace('"key":"', '"key":"x')); // another key's entry under this name
    expect(cached(key, 14).built).toBe(true);
    writeFileSync(file, good.replace('"plan":{"source":"', '"plan":{"source":"}}}')); // plan that does not compile
    const again = cached(key, 14);
    expect(again.built).toBe(true);
    expect(again.sim.peek('q')).toBe(3n);
    expect(cached(key, 14).built).toBe(false);
  });

  it('is bypassed with BPFGATE_SIM_CACHE=0', () => {
    process.env.BPFGATE_SIM_CACHE = '0';
    try {
      const before = entries().length;
      expect(cached({ design: 'counter', width: 15 }, 15).built).toBe(true);
      expect(cached({ design: 'counter', width: 15 }, 15).built).toBe(true);
      expect(entries()).toHaveLength(before);
    } finally {
      delete process.env.BPFGATE_SIM_CACHE;
    }
  });

  it('round-trips the CPU system IR (apart from source locations)', () => {
    const ir = compileDesign(makeSystem(makeConfig()), { flatten: true, collapse: 'all' }).top;
    const encoded = encodeModuleIR(ir);
    expect(encoded).toBeDefined();
    const back = decodeModuleIR(JSON.parse(JSON.stringify(encoded)));
    expect(withoutLocs(back)).toEqual(withoutLocs(ir));
    const prims = (m: ModuleIR) => m.cells.flatMap((c) => (c.inst?.kind === 'prim' ? [c.inst.prim] : []));
    expect(prims(back)).toEqual(prims(ir)); // the very same primitive definitions
  });

  it('a cached CPU engine gives the fresh one\'s result and cycle count on every conformance program', async () => {
    const record = (engine: Engine, into: EngineResult[]): Engine => ({
      ...engine,
      run: async (program, input) => {
        const r = await engine.run(program, input);
        into.push(r);
        return r;
      },
    });
    process.env.BPFGATE_SIM_CACHE = '0';
    const fresh = createSimEngine();
    delete process.env.BPFGATE_SIM_CACHE;
    const misses = simCacheStats.misses;
    createSimEngine(); // a miss: fills the entry
    const hits = simCacheStats.hits;
    const hit = createSimEngine();
    expect(simCacheStats.misses).toBe(misses + 1);
    expect(simCacheStats.hits).toBe(hits + 1);
    expect(hit.cpu.sim.source).toBe(fresh.cpu.sim.source);
    const a: EngineResult[] = [];
    const b: EngineResult[] = [];
    const sa = await runConformance([CONFORMANCE_TESTS], { engine: record(fresh, a) });
    const sb = await runConformance([CONFORMANCE_TESTS], { engine: record(hit, b) });
    expect(a.length).toBeGreaterThan(300);
    expect(b).toEqual(a);
    expect(sb.passed).toBe(sa.passed);
    expect(sb.failed).toBe(0);
  }, 120_000);

  it('serves the soc-sim engine\'s SoC from the cache with the same results', async () => {
    const files = ['add.data', 'mul64-imm.data', 'lock_add.data', 'jeq-imm.data', 'stxdw.data'].map((f) => join(CONFORMANCE_TESTS, f));
    const results = async (): Promise<{ hit: boolean; seen: EngineResult[] }> => {
      const hits = simCacheStats.hits;
      const engine = await createSocSimEngine();
      const seen: EngineResult[] = [];
      try {
        const summary = await runConformance(files, {
          engine: { ...engine, name: engine.name, run: async (p, i) => { const r = await engine.run(p, i); seen.push(r); return r; } },
        });
        expect(summary.failed).toBe(0);
      } finally {
        await engine.close?.();
      }
      return { hit: simCacheStats.hits > hits, seen };
    };
    const first = await results();
    const second = await results();
    expect(second.hit).toBe(true);
    expect(second.seen).toHaveLength(files.length);
    expect(second.seen).toEqual(first.seen);
  }, 120_000);
});
