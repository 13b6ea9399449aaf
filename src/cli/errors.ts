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
      return `bpfgate: internal error: ${bounded(err.message)} (rerun with BPFGATE_DEBUG=1 for a stack trace, and please report it)`;
    }
    return `bpfgate: ${bounded(err.message)}`;
  }
  return `bpfgate: ${bounded(String(err))}`;
}

/** Lines of an error shown before "... and N more lines", and characters per line. */
export const MAX_ERROR_LINES = 20;
const MAX_LINE = 400;

/**
 * The last guard against an error that echoes too much of the input (the
 * libraries bound their own messages; this catches any that do not).
 */
function bounded(message: string): string {
  const lines = message.split('\n');
  const shown = lines.slice(0, MAX_ERROR_LINES).map((l) => (l.length <= MAX_LINE ? l : `${l.slice(0, MAX_LINE)}... (cut)`));
  if (lines.length > MAX_ERROR_LINES) shown.push(`... and ${lines.length - MAX_ERROR_LINES} more lines`);
  return shown.join('\n');
}
