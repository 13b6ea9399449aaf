// One place that decides how an error reaches the user: the message, never a
// stack trace (unless BPFGATE_DEBUG=1), and a hint when the error is a bug
// rather than bad input.

/** An error caused by the user's input or environment, with a message meant for them. */
export class UserError extends Error {
  override name = 'UserError';
}

// RangeError is left out: the library uses it for input that does not fit (too large for memory, bad entry).
const BUG_ERRORS = new Set(['TypeError', 'ReferenceError', 'SyntaxError']);

export function formatCliError(err: unknown): string {
  const debug = process.env.BPFGATE_DEBUG === '1';
  if (err instanceof Error) {
    if (debug && err.stack) return err.stack;
    if (BUG_ERRORS.has(err.name) && !(err instanceof UserError)) {
      return `bpfgate: internal error: ${err.message} (rerun with BPFGATE_DEBUG=1 for a stack trace, and please report it)`;
    }
    return `bpfgate: ${err.message}`;
  }
  return `bpfgate: ${String(err)}`;
}
