// Loading files named on the command line: size limit and bounded errors
// (issue 15: run/disasm on a 100 MB random .bin ran out of heap).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCliError, UserError } from '../../src/cli/errors.ts';
import { loadProgramFile } from '../../src/cli/load-program.ts';
import { MAX_PROGRAM_SLOTS } from '../../src/program.ts';

const dir = mkdtempSync(join(tmpdir(), 'bpfgate-load-'));

describe('loadProgramFile', () => {
  it('refuses a .bin past the program-size limit without decoding it', async () => {
    const path = join(dir, 'huge.bin');
    writeFileSync(path, new Uint8Array((MAX_PROGRAM_SLOTS + 1) * 8).fill(0xff));
    const t0 = Date.now();
    const e = await loadProgramFile(path).catch((err: unknown) => err as Error);
    expect(e).toBeInstanceOf(UserError);
    expect((e as Error).message).toBe(`${path}: program too large: more than 1000000 instruction slots (1000001 in the file)`);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('reports the first bad slots of a random .bin and counts the rest', async () => {
    const path = join(dir, 'random.bin');
    writeFileSync(path, new Uint8Array(8 * 5000).fill(0xff));
    const e = await loadProgramFile(path).catch((err: unknown) => err as Error);
    const lines = formatCliError(e).split('\n');
    expect(lines.length).toBe(11);
    expect(lines[0]).toMatch(/^bpfgate: .*random\.bin: pc 0 .*Invalid instruction/);
    expect(lines.at(-1)).toBe('... and 4990 more problems');
  });
});

describe('formatCliError', () => {
  it('bounds any message to a few lines of bounded length', () => {
    const text = formatCliError(new Error(new Array(1000).fill('a'.repeat(10_000)).join('\n')));
    const lines = text.split('\n');
    expect(lines).toHaveLength(21);
    expect(lines.at(-1)).toBe('... and 980 more lines');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(500);
  });
});
