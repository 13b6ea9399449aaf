// Splits one line of assembly into labels, a mnemonic and operand texts,
// remembering the column of each piece. Knows nothing about instructions
// beyond which words can start a multi-word mnemonic (`lock fetch add`,
// `call local`), which it is given. Whitespace is any Unicode whitespace
// (./whitespace.ts).

import { isSpace, splitSpace, trim, trimStart } from './whitespace.ts';

export interface Token {
  readonly text: string;
  /** 1-based column of the first character. */
  readonly column: number;
}

export interface Statement {
  readonly labels: readonly Token[];
  /** Mnemonic words joined by one space and lower-cased (`lock fetch add`), if the line has an instruction. */
  readonly mnemonic?: Token;
  /**
   * Set when the words read form only the start of a multi-word mnemonic
   * (`lock` alone): the caller reports the operand-count error the reference
   * assembler gives.
   */
  readonly incompleteMnemonic?: boolean;
  readonly operands: readonly Token[];
  /** Column just past the mnemonic, for "missing operand" errors. */
  readonly endColumn: number;
}

/** What the statement parser needs to know about mnemonics. */
export interface MnemonicSet {
  /** Complete mnemonics (lower case), aliases and directives included. */
  readonly complete: ReadonlySet<string>;
  /** Proper prefixes of multi-word mnemonics: `lock`, `lock fetch`, `call`. */
  readonly prefixes: ReadonlySet<string>;
}

export function buildMnemonicSet(mnemonics: Iterable<string>): MnemonicSet {
  const complete = new Set<string>();
  const prefixes = new Set<string>();
  for (const m of mnemonics) {
    const words = splitSpace(m.toLowerCase());
    complete.add(words.join(' '));
    for (let i = 1; i < words.length; i++) prefixes.add(words.slice(0, i).join(' '));
  }
  return { complete, prefixes };
}

const LABEL = /^([A-Za-z_.$][\w.$]*)[\s\u0085]*:/;
const WORD = /^[A-Za-z_.][\w.]*/;

/** Strip a `#` comment (the syntax has no other use for `#`). */
export function stripComment(line: string): string {
  const hash = line.indexOf('#');
  return hash < 0 ? line : line.slice(0, hash);
}

export function parseStatement(rawLine: string, mnemonics: MnemonicSet): Statement {
  const line = stripComment(rawLine);
  let pos = skipSpace(line, 0);
  const labels: Token[] = [];
  for (;;) {
    const m = LABEL.exec(line.slice(pos));
    if (!m) break;
    labels.push({ text: m[1]!, column: pos + 1 });
    pos = skipSpace(line, pos + m[0].length);
  }
  if (pos >= line.length) return { labels, operands: [], endColumn: pos + 1 };

  // Mnemonic: the first word, extended word by word while the words so far
  // are the start of a longer mnemonic (greedy; no mnemonic is both a
  // complete multi-word mnemonic and the prefix of a longer one that would
  // need backtracking).
  const start = pos;
  const first = WORD.exec(line.slice(pos));
  if (!first) {
    // Not a word: let the caller report "unknown mnemonic" with this text.
    let end = pos;
    while (end < line.length && !isSpace(line[end]!)) end++;
    const bad = line.slice(pos, end);
    return { labels, mnemonic: { text: bad, column: start + 1 }, operands: [], endColumn: pos + bad.length + 1 };
  }
  let words = first[0].toLowerCase();
  pos += first[0].length;
  while (mnemonics.prefixes.has(words)) {
    const next = skipSpace(line, pos);
    const w = WORD.exec(line.slice(next));
    if (!w || next === pos) break;
    const longer = `${words} ${w[0].toLowerCase()}`;
    if (!mnemonics.complete.has(longer) && !mnemonics.prefixes.has(longer)) break;
    words = longer;
    pos = next + w[0].length;
  }
  const incompleteMnemonic = !mnemonics.complete.has(words) && mnemonics.prefixes.has(words);
  const endColumn = pos + 1;
  return {
    labels,
    mnemonic: { text: words, column: start + 1 },
    incompleteMnemonic,
    operands: splitOperands(line, pos),
    endColumn,
  };
}

/** Comma-separated operands after `from`; each trimmed, with its column. Empty list if nothing follows. */
function splitOperands(line: string, from: number): Token[] {
  if (trim(line.slice(from)) === '') return [];
  const out: Token[] = [];
  let segStart = from;
  for (let i = from; i <= line.length; i++) {
    if (i === line.length || line[i] === ',') {
      const seg = line.slice(segStart, i);
      const lead = seg.length - trimStart(seg).length;
      out.push({ text: trim(seg), column: segStart + lead + 1 });
      segStart = i + 1;
    }
  }
  return out;
}

function skipSpace(s: string, pos: number): number {
  while (pos < s.length && isSpace(s[pos]!)) pos++;
  return pos;
}
