// The examples as a new user meets them (issue 15): the XDP example builds
// with the command its README gives (no -I into test/fixtures), and the C
// examples' README tells the same story about maps as the main README.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/paths.ts';

const read = (path: string): string => readFileSync(resolve(REPO_ROOT, path), 'utf8');

describe('examples', () => {
  it('examples/xdp/port_filter.c compiles with exactly the command in its README', async () => {
    const readme = read('examples/xdp/README.md');
    const command = /^(clang .*port_filter\.c .*)$/m.exec(readme)?.[1];
    expect(command).toBeDefined();
    expect(command).not.toMatch(/-I/);
    const args = command!.split(/\s+/).slice(1).map((a) => (a === 'port_filter.o' ? join(mkdtempSync(join(tmpdir(), 'bpfgate-ex-')), a) : a));
    await expect(promisify(execFile)('clang', args, { cwd: REPO_ROOT, timeout: 60_000 })).resolves.toBeDefined();
  });

  it('examples/c/README does not call maps unsupported while README lists them', () => {
    expect(read('README.md')).toMatch(/ELF loader.*\n?.*maps/);
    const examples = read('examples/c/README.md');
    expect(examples).not.toMatch(/Not supported yet: maps/);
    expect(examples).toMatch(/`bpfgate xdp` loads them/);
  });
});
