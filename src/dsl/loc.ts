// Source locations for DSL nodes.
//
// Every user-facing node captures an Error at construction; the stack is
// only formatted when a diagnostic actually needs it (formatting is the
// expensive part, capturing is ~1us). Frames inside src/dsl are skipped so the
// location points at the user's own file:line:col.

const DSL_DIR_MARKERS = ['/src/dsl/', '\\src\\dsl\\'];

export class SourceLoc {
  private cached: string | undefined;
  constructor(private readonly err: Error | undefined, fixed?: string) {
    this.cached = fixed;
  }

  /** "path/to/file.ts:12:5" relative to the working directory, or "<unknown>". */
  toString(): string {
    if (this.cached === undefined) this.cached = userFrame(this.err?.stack ?? '') ?? '<unknown>';
    return this.cached;
  }
}

let captureEnabled = true;

/** Turn location capture off for bulk generators (e.g. the referee), where no
 *  human reads the locations and a stack per node would dominate run time. */
export function setLocCapture(on: boolean): void {
  captureEnabled = on;
}

const UNKNOWN = new SourceLoc(undefined, '<unknown>');

export function captureLoc(): SourceLoc {
  if (!captureEnabled) return UNKNOWN;
  const saved = Error.stackTraceLimit;
  // DSL internals can be a dozen frames deep (If -> callback -> comb -> ...).
  Error.stackTraceLimit = 40;
  const err = new Error();
  Error.stackTraceLimit = saved;
  return new SourceLoc(err);
}

function userFrame(stack: string): string | undefined {
  const lines = stack.split('\n').slice(1);
  for (const line of lines) {
    const loc = parseFrame(line);
    if (loc === undefined) continue;
    if (DSL_DIR_MARKERS.some((m) => loc.includes(m))) continue;
    if (loc.startsWith('node:') || loc.includes('/node_modules/')) continue;
    // A browser bundle (the playground): every frame is the one minified
    // script, so no frame names the user's source line.
    if (/^(https?|blob):/.test(loc)) return undefined;
    return relativize(loc);
  }
  return undefined;
}

function parseFrame(line: string): string | undefined {
  const m = /\((.*:\d+:\d+)\)\s*$/.exec(line) ?? /at (.*:\d+:\d+)\s*$/.exec(line);
  if (!m) return undefined;
  let loc = m[1]!;
  if (loc.startsWith('file://')) loc = decodeURIComponent(loc.slice('file://'.length));
  return loc;
}

function relativize(loc: string): string {
  // No working directory in a browser (the playground): locations stay as they are.
  if (typeof process === 'undefined' || typeof process.cwd !== 'function') return loc;
  const cwd = process.cwd();
  if (loc.startsWith(cwd + '/')) return loc.slice(cwd.length + 1);
  return loc;
}

/** Error raised while building or elaborating a design. The message starts
 *  with the user's source location so editors can jump to it. */
export class ElabError extends Error {
  constructor(
    message: string,
    readonly loc?: SourceLoc,
    readonly related: SourceLoc[] = [],
  ) {
    super(ElabError.format(message, loc, related));
    this.name = 'ElabError';
  }

  private static format(message: string, loc?: SourceLoc, related: SourceLoc[] = []): string {
    let text = loc ? `${loc.toString()}: ${message}` : message;
    for (const r of related) text += `\n  see ${r.toString()}`;
    return text;
  }
}
