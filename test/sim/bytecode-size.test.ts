// V8 optimizes a function only up to --max-optimized-bytecode-size (61,440
// bytes of bytecode in Node 20); beyond that the compiled simulator's step
// functions would run in the interpreter, several times slower, and nothing
// else would notice. The chunking (sim/compile.ts MAX_FUNCTION_CHARS) keeps
// them below it; this checks the CPU's and the SoC's with V8's own count.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/step-functions.mts', import.meta.url));
const V8_LIMIT = 61_440;

function run(design: string, filter: string): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `--print-bytecode-filter=${filter}`, ...(filter ? ['--print-bytecode'] : []), FIXTURE, design], {
    encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`step-functions fixture failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  return r.stdout;
}

describe('compiled step functions stay optimizable', () => {
  for (const design of ['cpu', 'soc']) {
    it(`${design}: every function step() calls is below V8's optimizing limit with a 10% margin`, () => {
      const { functions } = JSON.parse(run(design, '').split('\n')[0]!) as { functions: string[] };
      expect(functions.length).toBeGreaterThan(0);
      for (const fn of functions) {
        const out = run(design, fn);
        const lengths = [...out.matchAll(/Bytecode length: (\d+)/g)].map((m) => Number(m[1]));
        expect(lengths.length, `${design} ${fn}: no bytecode printed`).toBeGreaterThan(0);
        expect(Math.max(...lengths), `${design} ${fn}`).toBeLessThan(V8_LIMIT * 0.9);
      }
    }, 120_000);
  }
});
