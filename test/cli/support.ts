// Running the CLI in-process (src/cli/program.ts) with stdout and stderr
// captured: the same code path as the bpfgate process, without starting a
// process per case.

import { vi } from 'vitest';
import { runCli } from '../../src/cli/program.ts';

export interface CliOutcome { code: number; stdout: string; stderr: string }

export async function cli(args: string[]): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  });
  process.exitCode = undefined;
  try {
    const code = await runCli(['node', 'bpfgate', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}
