// The caller's "file:line" (relative to the working directory), to check that
// DSL errors point at the user's line without hard-coding line numbers.

export function here(): string {
  const line = new Error().stack!.split('\n')[2]!;
  const m = /(?:\(|at )(?:file:\/\/)?(.*):(\d+):\d+\)?\s*$/.exec(line)!;
  let file = m[1]!;
  const cwd = process.cwd() + '/';
  if (file.startsWith(cwd)) file = file.slice(cwd.length);
  return `${file}:${m[2]}`;
}
