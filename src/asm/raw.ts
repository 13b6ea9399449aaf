// `-- raw` sections: a program given as instruction words instead of
// assembly. Two spellings occur in the suite, one slot per line:
//   0x5566778800000018          one 64-bit word (the slot read little-endian)
//   07 00 01 00 01 00 00 00     the slot's 8 bytes in memory order
// Blank lines and `#` comments are ignored.

import { decodeInsn, wordToInsn, type Insn } from '../isa/index.ts';
import { MAX_PROGRAM_SLOTS, programTooLarge, type SourceRef } from '../program.ts';
import { asmError } from './errors.ts';
import { stripComment } from './statement.ts';
import { TOKENS } from './whitespace.ts';

export interface RawOptions {
  file?: string;
  /** Line number of the first line of `text` in `file` (default 1). */
  firstLine?: number;
  /** Most slots accepted (default MAX_PROGRAM_SLOTS). */
  maxSlots?: number;
}

export interface RawSlots {
  readonly insns: Insn[];
  /** Where each slot was written. */
  readonly sources: SourceRef[];
}

const WORD = /^0x([0-9a-f]{1,16})$/i;
const BYTE = /^[0-9a-f]{2}$/i;

export function parseRaw(text: string, opts: RawOptions = {}): RawSlots {
  const file = opts.file ?? '<raw>';
  const firstLine = opts.firstLine ?? 1;
  const maxSlots = opts.maxSlots ?? MAX_PROGRAM_SLOTS;
  const insns: Insn[] = [];
  const sources: SourceRef[] = [];
  text.split('\n').forEach((rawLine, i) => {
    const line = firstLine + i;
    const body = stripComment(rawLine);
    const tokens = [...body.matchAll(TOKENS)].map((m) => ({ text: m[0], column: m.index + 1 }));
    if (tokens.length === 0) return;
    const at = { file, line, column: tokens[0]!.column };
    if (tokens.length === 1) {
      const m = WORD.exec(tokens[0]!.text);
      if (!m) throw asmError(at, `raw slot '${tokens[0]!.text}' is not a 64-bit hex word (0x followed by 1..16 hex digits)`);
      insns.push(wordToInsn(BigInt(`0x${m[1]}`)));
    } else if (tokens.length === 8) {
      const bytes = new Uint8Array(8);
      tokens.forEach((t, k) => {
        if (!BYTE.test(t.text)) throw asmError({ file, line, column: t.column }, `raw byte '${t.text}' is not two hex digits`);
        bytes[k] = parseInt(t.text, 16);
      });
      insns.push(decodeInsn(bytes));
    } else {
      throw asmError(at, `raw slot line has ${tokens.length} fields: expected one 64-bit word (0x...) or 8 hex bytes`);
    }
    sources.push({ file, line, column: at.column });
    if (insns.length > maxSlots) throw asmError({ file, line, column: 1 }, programTooLarge(maxSlots));
  });
  return { insns, sources };
}
