// Builds the browser playground (web/) into a static folder, build/web/ by
// default: the page, one esbuild bundle of the library code it runs, and the
// examples it offers (the bpf_conformance programs, copied from shared/ at
// build time; the XDP sample capture and, when clang is here, the example
// XDP object). Any static file server serves the result.
//
//   npm run web                       build/web/
//   npx tsx scripts/web-build.ts DIR  another folder
//
// The bundle is built for the browser platform, so an import of a Node
// builtin anywhere in the code the page reaches fails the build; the
// metafile is checked as well (no builtin among the inputs, no use of Node's
// globals such as Buffer in their sources) and its list of inputs returned.

import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { CONFORMANCE_TESTS, REPO_ROOT } from '../src/paths.ts';

export const WEB_SRC = join(REPO_ROOT, 'web');
export const WEB_OUT = join(REPO_ROOT, 'build', 'web');

export interface WebBuild {
  readonly outDir: string;
  /** Source files bundled into app.js and worker.js (repo-relative). */
  readonly inputs: readonly string[];
  readonly bundleBytes: number;
  readonly examples: number;
  readonly ms: number;
  /** What was left out and why (e.g. no clang for the XDP object). */
  readonly notes: readonly string[];
}

const BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Inputs of the bundle that are Node builtins (must be none). */
export function nodeBuiltinsIn(meta: Metafile): string[] {
  const found = new Set<string>();
  for (const [path, input] of Object.entries(meta.inputs)) {
    if (BUILTINS.has(path) || path.startsWith('node:')) found.add(path);
    for (const imp of input.imports) if (BUILTINS.has(imp.path) || imp.path.startsWith('node:')) found.add(imp.path);
  }
  return [...found].sort();
}

/**
 * Uses of Node-only globals in the bundled sources: a page has no Buffer,
 * require or __dirname, and `process` only behind a `typeof process` guard.
 * The bundler does not catch these (they are globals, not imports); the page
 * would fail on them only when that code runs. Returns "file:line: name".
 */
export function nodeGlobalsIn(inputs: readonly string[], root: string = REPO_ROOT): string[] {
  const found: string[] = [];
  for (const input of inputs) {
    if (input.includes('node_modules/') || !/\.[cm]?[jt]s$/.test(input)) continue;
    // Comments blanked (newlines kept, so line numbers stay right).
    const text = readFileSync(join(root, input), 'utf8').replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ''));
    const guarded = text.includes('typeof process');
    text.split('\n').forEach((raw, i) => {
      const line = raw.replace(/\/\/.*$/, '');
      const m = /(?<![\w.$'"`])(Buffer|__dirname|__filename|require)\s*[.(]/.exec(line) ??
        (guarded ? null : /(?<![\w.$'"`])(process)\./.exec(line));
      if (m) found.push(`${input}:${i + 1}: ${m[1]}`);
    });
  }
  return found;
}

export async function buildWeb(outDir: string = WEB_OUT): Promise<WebBuild> {
  const started = performance.now();
  const out = resolve(outDir);
  mkdirSync(out, { recursive: true });
  const notes: string[] = [];

  const result = await build({
    // The page, and the Web Worker that compiles the CPU and runs programs.
    entryPoints: { app: join(WEB_SRC, 'src', 'main.ts'), worker: join(WEB_SRC, 'src', 'worker.ts') },
    outdir: out,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const builtins = nodeBuiltinsIn(result.metafile);
  if (builtins.length > 0) throw new Error(`web build: the bundle imports Node builtins: ${builtins.join(', ')}`);
  const inputs = Object.keys(result.metafile.inputs).sort();
  const globals = nodeGlobalsIn(inputs);
  if (globals.length > 0) throw new Error(`web build: bundled code uses Node-only globals: ${globals.join('; ')}`);
  const bundleBytes = Object.entries(result.metafile.outputs).filter(([k]) => k.endsWith('.js')).reduce((a, [, o]) => a + o.bytes, 0);
  writeFileSync(join(out, 'meta.json'), JSON.stringify(result.metafile));

  for (const f of ['index.html', 'style.css']) copyFileSync(join(WEB_SRC, f), join(out, f));

  // Examples: every conformance program (never edited: copied as they are).
  const exDir = join(out, 'examples');
  rmSync(exDir, { recursive: true, force: true });
  mkdirSync(join(exDir, 'conformance'), { recursive: true });
  if (!existsSync(CONFORMANCE_TESTS)) throw new Error(`web build: no conformance programs at ${CONFORMANCE_TESTS} (shared/ beside the checkout)`);
  const names = readdirSync(CONFORMANCE_TESTS).filter((f) => f.endsWith('.data')).sort().map((f) => f.slice(0, -5));
  for (const n of names) copyFileSync(join(CONFORMANCE_TESTS, `${n}.data`), join(exDir, 'conformance', `${n}.data`));

  // XDP: the sample capture, an assembly program, and the C example when clang can build it.
  const xdp: { name: string; file: string; kind: 'object' | 'asm' }[] = [];
  copyFileSync(join(REPO_ROOT, 'examples', 'xdp', 'sample.pcap'), join(exDir, 'sample.pcap'));
  copyFileSync(join(WEB_SRC, 'examples', 'drop_short.s'), join(exDir, 'drop_short.s'));
  xdp.push({ name: 'drop_short.s (assembly: drop frames under 64 bytes)', file: 'drop_short.s', kind: 'asm' });
  const object = compileXdpExample(notes);
  if (object) {
    copyFileSync(object, join(exDir, 'port_filter.o'));
    xdp.push({ name: 'port_filter.o (clang, examples/xdp/port_filter.c)', file: 'port_filter.o', kind: 'object' });
  }
  writeFileSync(join(exDir, 'index.json'), JSON.stringify({ conformance: names, xdp, pcap: ['sample.pcap'] }, null, 1));

  return { outDir: out, inputs, bundleBytes, examples: names.length, ms: performance.now() - started, notes };
}

function compileXdpExample(notes: string[]): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'bpfgate-web-'));
  const obj = join(dir, 'port_filter.o');
  try {
    execFileSync('clang', ['-O2', '-g', '-target', 'bpf', '-I', join(REPO_ROOT, 'test', 'fixtures', 'xdp'), '-c',
      join(REPO_ROOT, 'examples', 'xdp', 'port_filter.c'), '-o', obj], { stdio: 'pipe' });
    return obj;
  } catch (e) {
    notes.push(`examples/xdp/port_filter.c not built (${(e as Error).message.split('\n')[0]}); the page offers the assembly XDP example only`);
    return undefined;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  let b: WebBuild;
  try {
    b = await buildWeb(process.argv[2] ?? WEB_OUT);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
  for (const n of b.notes) process.stderr.write(`web: ${n}\n`);
  process.stdout.write(`web: built ${b.outDir} in ${(b.ms / 1000).toFixed(1)} s: app.js + worker.js ${(b.bundleBytes / 1024).toFixed(0)} KiB from ${b.inputs.length} modules, no Node builtins; ${b.examples} conformance examples\n`);
  process.stdout.write(`web: serve it with 'npm run web:serve' (or any static server, e.g. 'python3 -m http.server -d build/web')\n`);
}
