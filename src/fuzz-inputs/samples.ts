// The real inputs the targets mutate: the conformance `.data` files (passing
// and negative), the C fixtures compiled by clang into BPF objects, the
// shipped pcap. Read once per process and cached.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONFORMANCE_NEGATIVE, CONFORMANCE_TESTS, privateCacheDir, REPO_ROOT, requireConformanceData } from '../paths.ts';

export interface TextSample {
  readonly name: string;
  readonly text: string;
}

function readDir(dir: string, ext: string): TextSample[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith(ext)).sort()
    .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
}

let dataFiles: TextSample[] | undefined;

/** Every conformance `.data` file, the negative suite included. */
export function conformanceFiles(): readonly TextSample[] {
  if (!dataFiles) {
    requireConformanceData();
    dataFiles = [...readDir(CONFORMANCE_TESTS, '.data'), ...readDir(CONFORMANCE_NEGATIVE, '.data')];
  }
  return dataFiles;
}

/** The `-- asm` sections of the conformance files: real assembly. */
export function asmSamples(): readonly string[] {
  return conformanceFiles().map((f) => /^-- asm[^\n]*\n([\s\S]*?)(?=^--|(?![\s\S]))/m.exec(f.text)?.[1]).filter((t): t is string => !!t);
}

/** C sources that compile to BPF objects: the tests' fixtures, the examples, the XDP programs. */
const C_DIRS = ['test/fixtures/c', 'examples/c', 'test/fixtures/xdp', 'examples/xdp'];

let objects: Uint8Array[] | undefined;

/**
 * The C fixtures as `clang -target bpf -O2 -g -c` objects (BTF and line info
 * included, so those readers are fuzzed too), built once into a private
 * cache keyed by clang's version and the source.
 */
export function elfSamples(): readonly Uint8Array[] {
  if (objects) return objects;
  const version = execFileSync('clang', ['--version'], { encoding: 'utf8' }).split('\n')[0]!;
  const cache = privateCacheDir('fuzz-inputs-elf');
  const out: Uint8Array[] = [];
  for (const dir of C_DIRS) {
    const abs = resolve(REPO_ROOT, dir);
    if (!existsSync(abs)) continue;
    for (const f of readdirSync(abs).filter((n) => n.endsWith('.c')).sort()) {
      const src = join(abs, f);
      const flags = ['-target', 'bpf', '-O2', '-g', '-mcpu=v3', '-c', `-I${abs}`];
      const key = createHash('sha256').update([version, ...flags.slice(0, -1), readFileSync(src, 'utf8')].join('\0')).digest('hex').slice(0, 24);
      const obj = join(cache, `${key}.o`);
      if (!existsSync(obj)) {
        const tmp = `${obj}.${process.pid}.tmp`;
        try {
          execFileSync('clang', [...flags, src, '-o', tmp], { stdio: ['ignore', 'ignore', 'pipe'] });
        } catch {
          continue; // a fixture that does not compile alone (a header-only helper) is no sample
        }
        renameSync(tmp, obj);
      }
      out.push(new Uint8Array(readFileSync(obj)));
    }
  }
  if (out.length === 0) throw new Error('no BPF objects: clang -target bpf compiled none of the C fixtures (is clang installed?)');
  objects = out;
  return out;
}

/** The shipped pcap (examples/xdp/sample.pcap). */
export function pcapSample(): Uint8Array {
  return new Uint8Array(readFileSync(resolve(REPO_ROOT, 'examples/xdp/sample.pcap')));
}
