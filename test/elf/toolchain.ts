// Test support: compile C with clang -target bpf (the object under test) and
// with the host C compiler (the referee), caching results in a temp directory
// keyed by tool version, flags and source, so re-runs cost nothing.
//
// A missing compiler is a test FAILURE naming the Debian package to install,
// never a skip.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CACHE = join(tmpdir(), 'bpfgate-test-cache', 'elf');

const PACKAGES: Record<string, string> = { clang: 'clang', cc: 'gcc' };

async function toolVersion(tool: string): Promise<string> {
  try {
    const { stdout } = await run(tool, ['--version']);
    return stdout.split('\n')[0]!;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`'${tool}' is not installed or not on PATH: install the Debian package '${PACKAGES[tool] ?? tool}' (apt-get install ${PACKAGES[tool] ?? tool})`);
    }
    throw e;
  }
}

const versions = new Map<string, Promise<string>>();
const versionOf = (tool: string): Promise<string> => {
  if (!versions.has(tool)) versions.set(tool, toolVersion(tool));
  return versions.get(tool)!;
};

/** Compile `source` (C text) with `tool args... -o out`; returns the cached output path. */
async function compileCached(tool: string, args: string[], source: string, suffix: string): Promise<string> {
  const version = await versionOf(tool);
  const key = createHash('sha256').update([tool, version, ...args, source].join('\0')).digest('hex').slice(0, 24);
  mkdirSync(CACHE, { recursive: true });
  const out = join(CACHE, key + suffix);
  if (existsSync(out)) return out;
  // Per-process names: test files run in parallel forks and may build the same key at once.
  const src = join(CACHE, `${key}.${process.pid}.c`);
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(src, source);
  try {
    await run(tool, [...args, src, '-o', tmp]);
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${tool} ${args.join(' ')} failed:\n${err.stderr ?? err.message}`);
  } finally {
    rmSync(src, { force: true });
  }
  renameSync(tmp, out); // atomic: a reader never sees half an object
  return out;
}

export interface BpfCompileOptions {
  target?: string; // default "bpf"
  cpu?: string; // default "v3"
  extra?: string[];
}

/** clang -target bpf -O2 -mcpu=v3 -c: the ELF object bytes. */
export async function compileBpf(source: string, opts: BpfCompileOptions = {}): Promise<Uint8Array> {
  const args = ['-target', opts.target ?? 'bpf', '-O2', `-mcpu=${opts.cpu ?? 'v3'}`, ...(opts.extra ?? []), '-c'];
  return readFileSync(await compileCached('clang', args, source, '.o'));
}

/** Any object compiled with the host clang (for "wrong machine" tests). */
export async function compileHostObject(source: string, extra: string[] = []): Promise<Uint8Array> {
  return readFileSync(await compileCached('clang', ['-O2', ...extra, '-c'], source, '.o'));
}

// The referee: the same C, compiled for the host, run once per input in a
// fresh child process (fork) so globals start from their initial values every
// time, exactly like a fresh bpfgate run.
const HARNESS = (entry: string, returnType: string): string => `
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
int main(void) {
	static unsigned char buf[65536];
	char line[140000];
	while (fgets(line, sizeof line, stdin)) {
		unsigned long n = 0;
		for (char *p = line; p[0] && p[1] && p[0] != '\\n'; p += 2) {
			unsigned int b;
			sscanf(p, "%2x", &b);
			buf[n++] = (unsigned char)b;
		}
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			${returnType} r = ${entry}(buf, n);
			printf("%lld\\n", (long long)r);
			fflush(stdout);
			_exit(0);
		}
		int status;
		waitpid(pid, &status, 0);
		if (!WIFEXITED(status)) { printf("crash\\n"); }
	}
	return 0;
}
`;

export interface NativeProgram {
  /** Run the native build on each input; returns the entry function's result (as signed 64-bit). */
  run(inputs: readonly Uint8Array[]): Promise<bigint[]>;
}

/** Build the referee for a C file whose entry is `<returnType> entry(const unsigned char *, unsigned long)`. */
export async function compileNative(source: string, entry: string, returnType: string): Promise<NativeProgram> {
  const full = `${source}\n${HARNESS(entry, returnType)}`;
  const exe = await compileCached('cc', ['-O1', '-w', '-fno-strict-aliasing'], full, '.exe');
  return {
    async run(inputs) {
      const stdin = inputs.map((b) => Buffer.from(b).toString('hex') + '\n').join('');
      const child = execFile(exe, { maxBuffer: 1 << 24 });
      const done = new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`native referee exited with ${code}`))));
      });
      child.stdin!.end(stdin);
      const lines = (await done).trim().split('\n');
      if (lines.length !== inputs.length || lines.includes('crash')) {
        throw new Error(`native referee gave ${lines.length} results for ${inputs.length} inputs: ${lines.join(' ')}`);
      }
      return lines.map((l) => BigInt(l));
    },
  };
}
