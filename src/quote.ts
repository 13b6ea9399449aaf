// Echoing the user's text back in an error message, bounded: a 100 MB line
// or option value must give a one-line error, not a 100 MB one.

const MAX_SHOWN = 40;

/** `'text'`, or its first characters and its length when it is long. */
export function quote(text: string, max = MAX_SHOWN): string {
  if (text.length <= max) return `'${text}'`;
  return `'${text.slice(0, max)}...' (${text.length} characters)`;
}
