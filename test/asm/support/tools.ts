// External tools for cross-checks. Missing tools fail the test with the
// Debian package to install; commands are spawned with argument arrays.

import { spawnSync } from 'node:child_process';

export function findTool(candidates: readonly string[], debianPackage: string): string {
  for (const name of candidates) {
    const r = spawnSync(name, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return name;
  }
  throw new Error(`${candidates.join(' / ')} not found on PATH: install the Debian package '${debianPackage}' (apt-get install ${debianPackage})`);
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: readonly string[], input?: string): RunResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
