// The one error type for problems found in assembly or `.data` text. It
// carries the position so a CLI can print `file:line:col: message` and an
// editor can jump there; nothing here ever prints or exits.

export class AsmError extends Error {
  override readonly name = 'AsmError';

  constructor(
    readonly file: string,
    /** 1-based line. */
    readonly line: number,
    /** 1-based column. */
    readonly column: number,
    /** The message without the position prefix. */
    readonly detail: string,
  ) {
    super(`${file}:${line}:${column}: ${detail}`);
  }
}

/** A position in a source text, for building AsmErrors. */
export interface SourcePos {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export function asmError(at: SourcePos, detail: string): AsmError {
  return new AsmError(at.file, at.line, at.column, detail);
}
