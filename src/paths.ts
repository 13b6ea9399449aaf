// Where bpfgate finds things outside its own source tree. The third-party
// conformance data and the spec live in `shared/` beside the checkout (CI
// clones the repo into a fresh folder with a copy of shared/ next to it), so
// nothing may hard-code an absolute path.

import { existsSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder holding package.json). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** `shared/` beside the checkout, or $BPFGATE_SHARED. */
export const SHARED_DIR = process.env.BPFGATE_SHARED ?? resolve(REPO_ROOT, '..', 'shared');

export const CONFORMANCE_DIR = resolve(SHARED_DIR, 'conformance');
export const CONFORMANCE_TESTS = resolve(CONFORMANCE_DIR, 'tests');
export const CONFORMANCE_NEGATIVE = resolve(CONFORMANCE_DIR, 'negative');

/** Throws a clear error when the conformance data is not where it should be. */
export function requireConformanceData(): string {
  if (!existsSync(CONFORMANCE_TESTS)) {
    throw new Error(
      `conformance data not found at ${CONFORMANCE_TESTS}: bpfgate expects the bpf_conformance .data files ` +
        `in shared/conformance/ beside the checkout (or set BPFGATE_SHARED)`,
    );
  }
  return CONFORMANCE_TESTS;
}

/**
 * A private cache folder for built artefacts that are later executed (the
 * Verilator model, the kernel-referee runner): $XDG_CACHE_HOME/bpfgate/<name>
 * or ~/.cache/bpfgate/<name>, mode 0700, so no other local user can plant a
 * binary there (a shared /tmp folder would allow that).
 */
export function privateCacheDir(name: string): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const root = join(base, 'bpfgate');
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const st = statSync(root);
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) {
    throw new Error(`cache folder ${root} belongs to another user; remove it or set XDG_CACHE_HOME`);
  }
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
