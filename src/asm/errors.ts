// The one error type for problems found in assembly or `.data` text. It
// carries the position so a CLI can print `file:line:col: message` and an
// editor can jump there; nothing here ever prints or exits.

import { quote } from '../quote.ts';

/** Longest detail kept whole; past it (a huge number echoed back) the rest is cut. */
const MAX_DETAIL = 240;

/**
 * The message with the user's text it echoes bounded: every quoted token is
 * shortened (src/quote.ts), and a detail that is still too long is cut, so a
 * 100 MB line gives a one-line error.
 */
function boundDetail(detail: string): string {
  const shortened = detail.replace(/'([^']{41,})'/g, (_, token: string) => quote(token));
  return shortened.length <= MAX_DETAIL ? shortened : `${shortened.slice(0, MAX_DETAIL)}... (cut)`;
}

export class AsmError extends Error {
  override readonly name = 'AsmError';

  constructor(
    readonly file: string,
    /** 1-based line. */
    readonly line: number,
    /** 1-based column. */
    readonly column: number,
    detail: string,
  ) {
    super(`${file}:${line}:${column}: ${boundDetail(detail)}`);
    this.detail = boundDetail(detail);
  }

  /** The message without the position prefix. */
  readonly detail: string;
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
