// Locating the third-party conformance data. A missing directory is a test
// failure with a clear message, never a silent skip.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const CONFORMANCE_DIR = process.env.BPFGATE_CONFORMANCE_DIR ?? '/work/shared/conformance';

export function dataFiles(kind: 'tests' | 'negative'): string[] {
  const dir = join(CONFORMANCE_DIR, kind);
  if (!existsSync(dir)) {
    throw new Error(`conformance data not found at ${dir} (set BPFGATE_CONFORMANCE_DIR to the bpf_conformance checkout)`);
  }
  return readdirSync(dir).filter((f) => f.endsWith('.data')).sort().map((f) => join(dir, f));
}
