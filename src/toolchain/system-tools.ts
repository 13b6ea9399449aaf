// Running the few native programs the flow needs (icebox_vlog, iverilog, vvp,
// flashing tools): finding them (src/tools.ts), and running them with an argv array
// (never a shell string) while streaming their output line by line.

import { spawn } from 'node:child_process';
import { findOnPath, TOOL_PACKAGES } from '../tools.ts';
import { MissingToolError } from './errors.ts';

/** Like findTool (src/tools.ts), but a missing tool is a MissingToolError naming its package. */
export function requireTool(tool: string, purpose?: string, path?: string): string {
  const found = findOnPath(tool, path);
  if (found === undefined) {
    throw new MissingToolError(tool, TOOL_PACKAGES[tool] ?? `'${tool}'`, purpose);
  }
  return found;
}

export interface ProcessResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunProcessOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Called with each complete output line as it arrives (progress). */
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  readonly timeoutMs?: number;
}

/** Runs `argv[0]` with `argv.slice(1)`, no shell; resolves with its output whatever the exit code. */
export function runProcess(argv: readonly string[], options: RunProcessOptions = {}): Promise<ProcessResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('runProcess: empty argv');
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs,
    });
    const out = { stdout: '', stderr: '' };
    for (const stream of ['stdout', 'stderr'] as const) {
      let pending = '';
      child[stream].setEncoding('utf8');
      child[stream].on('data', (chunk: string) => {
        out[stream] += chunk;
        if (!options.onLine) return;
        pending += chunk;
        // Progress bars end lines with \r; treat it as a line end too.
        const lines = pending.split(/\r?\n|\r/);
        pending = lines.pop() ?? '';
        for (const line of lines) options.onLine(line, stream);
      });
      child[stream].on('end', () => {
        if (pending && options.onLine) options.onLine(pending, stream);
      });
    }
    child.on('error', reject);
    child.on('close', (exitCode, signal) => resolve({ exitCode, signal, ...out }));
  });
}
