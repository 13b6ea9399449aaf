// Starts the TypeScript CLI fast without a build step to forget.
//
// Loading ~250 .ts modules through tsx's ESM hooks costs ~0.3 s per run (a
// loader thread, one transform round trip per module), which was a third of
// `bpfgate conformance --engine sim`. So the CLI runs from one esbuild bundle
// of src/cli/main.ts, kept in node_modules/.cache/bpfgate-cli/ and rebuilt
// whenever one of its source files changed (mtime or size, the test make
// uses). Anything that goes wrong with the bundle (no esbuild, a read-only
// folder, a build error) falls back to tsx, which is how the CLI ran before;
// BPFGATE_BUNDLE=0 forces that path. Source maps are on, so stack frames
// (and the DSL's source locations, read from them) name the .ts files.
//
// The bundle must behave exactly like the modules it is made of: packages
// stay external (resolved from node_modules as before), and each file's
// `import.meta.url` is replaced by that file's own URL, because the code
// finds files beside itself (REPO_ROOT, the kernel runner's C source).

import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = join(REPO_ROOT, 'src', 'cli', 'main.ts');
/** $BPFGATE_BUNDLE_DIR moves it (tests build copies of the sources side by side); it
 *  must lie inside the checkout, where the bundle's package imports resolve. */
const CACHE_DIR = process.env.BPFGATE_BUNDLE_DIR || join(REPO_ROOT, 'node_modules', '.cache', 'bpfgate-cli');
const BUNDLE = join(CACHE_DIR, 'cli.mjs');
const MANIFEST = join(CACHE_DIR, 'manifest.json');
/** Bumped when the way the bundle is built changes, so old bundles are rebuilt. */
const FORMAT = 2;

/** [mtimeMs, size] of a file, or null when it is gone. */
function stamp(path) {
  try {
    const st = statSync(path);
    return [st.mtimeMs, st.size];
  } catch {
    return null;
  }
}

/** True when the cached bundle was built from exactly the files on disk now. */
function bundleIsFresh() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  } catch {
    return false;
  }
  if (manifest.format !== FORMAT || manifest.node !== process.version || !stamp(BUNDLE)) return false;
  for (const [rel, [mtime, size]] of Object.entries(manifest.inputs)) {
    const now = stamp(join(REPO_ROOT, rel));
    if (!now || now[0] !== mtime || now[1] !== size) return false;
  }
  return true;
}

/**
 * esbuild plugin that loads every source itself: it stamps the file before
 * reading it (so an edit during the build makes the next run rebuild) and
 * replaces `import.meta.url` with that file's own URL.
 */
function loadSources(stamps) {
  return {
    name: 'load-sources',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
        stamps.set(args.path, stamp(args.path));
        const text = readFileSync(args.path, 'utf8');
        return {
          contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
          loader: args.path.endsWith('.ts') ? 'ts' : 'js',
        };
      });
    },
  };
}

/** Build the bundle and its manifest; both land by rename, so a concurrent run never reads half a file. */
async function buildBundle() {
  const esbuild = await import('esbuild');
  const stamps = new Map();
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    absWorkingDir: REPO_ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    metafile: true,
    write: false,
    sourcemap: 'linked',
    outfile: BUNDLE,
    logLevel: 'silent',
    plugins: [loadSources(stamps)],
  });
  const inputs = {};
  for (const rel of Object.keys(result.metafile.inputs)) {
    const st = stamps.get(resolve(REPO_ROOT, rel)) ?? stamp(resolve(REPO_ROOT, rel));
    if (st) inputs[rel] = st;
  }
  mkdirSync(CACHE_DIR, { recursive: true });
  const tag = `${process.pid}.${Date.now()}`;
  for (const file of result.outputFiles) {
    writeFileSync(`${file.path}.${tag}`, file.contents);
    renameSync(`${file.path}.${tag}`, file.path);
  }
  writeFileSync(`${MANIFEST}.${tag}`, JSON.stringify({ format: FORMAT, node: process.version, inputs }));
  renameSync(`${MANIFEST}.${tag}`, MANIFEST);
}

/** Run the CLI: from the bundle when it is fresh or can be made so, else through tsx. */
export async function startCli() {
  if (process.env.BPFGATE_BUNDLE !== '0') {
    let ready = bundleIsFresh();
    if (!ready) {
      try {
        await buildBundle();
        ready = true;
      } catch {
        ready = false; // tsx below reports any real error in the sources
      }
    }
    if (ready) {
      // Stack frames must name the .ts sources, as under tsx: the DSL reads
      // them for source locations (Verilog comments, elaboration errors).
      process.setSourceMapsEnabled(true);
      try {
        await import(pathToFileURL(BUNDLE).href);
        return;
      } catch (err) {
        // A package the bundle cannot resolve from where it lies fails at
        // link time, before any of the CLI ran: tsx can still run it.
        if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
      }
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(ENTRY).href);
}
