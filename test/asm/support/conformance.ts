// Locating the third-party conformance data. A missing directory is a test
// failure with a clear message, never a silent skip.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CONFORMANCE_DIR } from '../../../src/paths.ts';

export { CONFORMANCE_DIR };

export function dataFiles(kind: 'tests' | 'negative'): string[] {
  const dir = join(CONFORMANCE_DIR, kind);
  if (!existsSync(dir)) {
    throw new Error(`conformance data not found at ${dir} (bpfgate expects shared/conformance beside the checkout, or BPFGATE_SHARED)`);
  }
  return readdirSync(dir).filter((f) => f.endsWith('.data')).sort().map((f) => join(dir, f));
}
