// bin/bpfgate.mjs runs the CLI from an esbuild bundle it keeps fresh
// (bin/cli-bundle.mjs). The bundle must be indistinguishable from running the
// sources through tsx: the same Verilog, source-location comments included
// (the DSL reads them from stack frames), and the same errors; it must be
// rebuilt when a source changes, and a bundle folder that cannot be written
// falls back to tsx instead of failing.

import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/paths.ts';

const run = promisify(execFile);

interface Outcome { code: number; stdout: string; stderr: string }

async function bpfgate(root: string, args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(root, 'bin', 'bpfgate.mjs'), ...args], {
      cwd: root, timeout: 120_000, env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    if (typeof err.code !== 'number') throw e;
    return { code: err.code, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'bpfgate-bundle-'));
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the bundled CLI', () => {
  it('writes the same Verilog as the CLI under tsx, source locations included', async () => {
    const tsx = await bpfgate(REPO_ROOT, ['verilog', '-o', join(scratch, 'tsx')], { BPFGATE_BUNDLE: '0' });
    const bundled = await bpfgate(REPO_ROOT, ['verilog', '-o', join(scratch, 'bundle')]);
    expect(tsx.code).toBe(0);
    expect(bundled.code).toBe(0);
    const files = readdirSync(join(scratch, 'tsx')).sort();
    expect(files.length).toBeGreaterThan(0);
    expect(readdirSync(join(scratch, 'bundle')).sort()).toEqual(files);
    for (const f of files) {
      const text = readFileSync(join(scratch, 'bundle', f), 'utf8');
      expect(text).toMatch(/\/\/ .*\((hdl|src)\/[\w/.-]+\.ts:\d+:\d+\)/); // locations in the design's own sources
      expect(text).toBe(readFileSync(join(scratch, 'tsx', f), 'utf8'));
    }
  }, 240_000);

  it('reports bad input exactly as under tsx', async () => {
    const bad = join(scratch, 'bad.s');
    writeFileSync(bad, 'mov r0, 1\nfrobnicate r1\nexit\n');
    for (const args of [['asm', bad], ['run', join(scratch, 'missing.o')], ['build', '--board', 'no-such-board']]) {
      const tsx = await bpfgate(REPO_ROOT, args, { BPFGATE_BUNDLE: '0' });
      const bundled = await bpfgate(REPO_ROOT, args);
      expect(tsx.code).not.toBe(0);
      expect(bundled).toEqual(tsx);
    }
  }, 120_000);

  it('is rebuilt when a source file changes, and falls back to tsx when it cannot be written', async () => {
    // A copy of the sources beside the real ones, with its own bundle folder.
    const root = join(scratch, 'copy');
    for (const part of ['bin', 'src', 'hdl', 'sim', 'boards', 'package.json', 'tsconfig.json']) cpSync(join(REPO_ROOT, part), join(root, part), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
    const env = { BPFGATE_BUNDLE_DIR: join(root, '.bundle') };
    const before = await bpfgate(root, ['--help'], env);
    expect(before.stdout).toContain('Examples:');
    const manifest = JSON.parse(readFileSync(join(env.BPFGATE_BUNDLE_DIR, 'manifest.json'), 'utf8')) as { inputs: Record<string, unknown> };
    expect(Object.keys(manifest.inputs)).toContain('src/cli/help-text.ts');

    const helpText = join(root, 'src', 'cli', 'help-text.ts');
    writeFileSync(helpText, readFileSync(helpText, 'utf8').replace('Examples:', 'Examples (edited):'));
    expect((await bpfgate(root, ['--help'], env)).stdout).toContain('Examples (edited):');

    // The bundle folder is a file: no bundle can be written, tsx runs the sources.
    const blocked = join(scratch, 'not-a-folder');
    writeFileSync(blocked, '');
    const fallback = await bpfgate(root, ['--help'], { BPFGATE_BUNDLE_DIR: join(blocked, 'bundle') });
    expect(fallback.code).toBe(0);
    expect(fallback.stdout).toContain('Examples (edited):');
  }, 240_000);
});
