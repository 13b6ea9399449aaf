// Test support: compile an XDP fixture (test/fixtures/xdp/*.c) with
// clang -O2 -g -target bpf, the way a user would, caching the object in the
// temp directory by clang version, source and the shared header. A missing
// clang is a test failure naming the package, never a skip.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../src/paths.ts';

const run = promisify(execFile);
export const FIXTURES = resolve(REPO_ROOT, 'test/fixtures/xdp');
const HEADER = join(FIXTURES, 'bpfgate_xdp.h');
const CACHE = join(tmpdir(), 'bpfgate-test-cache', 'xdp');
export const CLANG_FLAGS = ['-O2', '-g', '-target', 'bpf', '-c'];
/**
 * <linux/bpf.h> (used with libbpf's <bpf/bpf_helpers.h> by the fixtures written
 * as real projects write them) needs <asm/types.h> from the host's multiarch
 * include directory, which -target bpf does not search: libbpf's own builds
 * add it with -idirafter the same way.
 */
const MULTIARCH = `/usr/include/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`;

let clangVersion: Promise<string> | undefined;

function versionOfClang(): Promise<string> {
  clangVersion ??= run('clang', ['--version']).then(
    ({ stdout }) => stdout.split('\n')[0]!,
    (e: NodeJS.ErrnoException) => {
      throw new Error(e.code === 'ENOENT' ? "clang is not installed: install the Debian package 'clang' (apt-get install clang)" : e.message);
    },
  );
  return clangVersion;
}

/** The object file for test/fixtures/xdp/<name>.c (name may hold a folder: `bad/past_end`). */
export function compileFixture(name: string, flags: readonly string[] = CLANG_FLAGS): Promise<{ path: string; bytes: Uint8Array }> {
  return compileC(join(FIXTURES, `${name}.c`), flags);
}

/** Compile any C file that includes bpfgate_xdp.h (found in test/fixtures/xdp). */
export async function compileC(source: string, flags: readonly string[] = CLANG_FLAGS): Promise<{ path: string; bytes: Uint8Array }> {
  const args = [...flags, '-I', FIXTURES, '-idirafter', MULTIARCH];
  const key = createHash('sha256')
    .update([await versionOfClang(), ...args, source, readFileSync(source, 'utf8'), readFileSync(HEADER, 'utf8')].join('\0'))
    .digest('hex')
    .slice(0, 20);
  mkdirSync(CACHE, { recursive: true });
  const out = join(CACHE, `${basename(source, '.c')}-${key}.o`);
  if (!existsSync(out)) {
    const tmp = `${out}.${process.pid}.tmp`;
    try {
      await run('clang', [...args, source, '-o', tmp]);
    } catch (e) {
      throw new Error(`clang ${args.join(' ')} ${source} failed:\n${(e as { stderr?: string }).stderr ?? (e as Error).message}`);
    }
    renameSync(tmp, out); // atomic: parallel test files never see half an object
  }
  return { path: out, bytes: new Uint8Array(readFileSync(out)) };
}
