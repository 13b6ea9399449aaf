// What counts as whitespace in assembly and `.data` text: every Unicode
// White_Space character (text pasted from a web page brings U+00A0, U+2028,
// U+3000, ...) plus U+FEFF (a byte-order mark that ends up mid-file when
// files are concatenated). JavaScript's \s is exactly that set minus U+0085
// (NEL), so the classes below are \s plus NEL.

/** Regex character-class body for one whitespace character. */
const SPACE = '\\s\\u0085';

/** Runs of non-whitespace (tokens), for matchAll. */
export const TOKENS = new RegExp(`[^${SPACE}]+`, 'g');
const SPACE_RUN = new RegExp(`[${SPACE}]+`);
const LEADING = new RegExp(`^[${SPACE}]+`);
const TRAILING = new RegExp(`[${SPACE}]+$`);
const ONE = new RegExp(`^[${SPACE}]$`);

export function isSpace(ch: string): boolean {
  return ONE.test(ch);
}

export function trimStart(s: string): string {
  return s.replace(LEADING, '');
}

export function trim(s: string): string {
  return s.replace(LEADING, '').replace(TRAILING, '');
}

/** Split on whitespace runs. */
export function splitSpace(s: string): string[] {
  return s.split(SPACE_RUN);
}
