// Reader for the bpf_conformance `.data` format: sections introduced by
// `-- name` lines (see /work/shared/conformance/README.md). This module only
// splits and decodes the sections; turning them into a Program is
// programFromDataFile, and the negative-suite rules live in ./data-file-check.ts.

import { insnToWord, type Insn } from '../isa/index.ts';
import type { Program, SourceRef } from '../program.ts';
import { assemble } from './assembler.ts';
import { AsmError, asmError, type SourcePos } from './errors.ts';
import { parseLiteral } from './numbers.ts';
import { parseRaw } from './raw.ts';
import { stripComment } from './statement.ts';
import { TOKENS, trim } from './whitespace.ts';

/** Section names the format defines. `c` and `no register offset` are informational. */
export const KNOWN_SECTIONS: readonly string[] = ['asm', 'raw', 'mem', 'result', 'error', 'c', 'no register offset'];

export interface DataFile {
  /** The `-- asm` text, verbatim. */
  readonly asm?: string;
  /** The `-- raw` slots. */
  readonly raw?: Insn[];
  readonly rawSources?: SourceRef[];
  /** `-- mem`: initial input bytes. */
  readonly mem?: Uint8Array;
  /** `-- result`: expected r0, as an unsigned 64-bit value. */
  readonly result?: bigint;
  /** `-- error`: expected error text (may be empty: "some error"). */
  readonly error?: string;
  /** Every section's raw text by name. */
  readonly sections: Record<string, string>;
  /** 1-based line of each section's first content line (the line after its header). */
  readonly sectionLines: Record<string, number>;
  /** Lines in the file: a section whose header is the last line has no content line to point at. */
  readonly lineCount: number;
}

/**
 * Where to report a problem with a whole section: its first content line,
 * or its header when the header is the file's last line (nothing follows).
 */
function sectionAt(data: Pick<DataFile, 'sectionLines' | 'lineCount'>, name: string, file: string): { file: string; line: number; column: number } {
  const first = data.sectionLines[name] ?? 2;
  return { file, line: first > data.lineCount ? first - 1 : first, column: 1 };
}

export function parseDataFile(text: string, file: string): DataFile {
  const sections: Record<string, string> = {};
  const sectionLines: Record<string, number> = {};
  const lines = text.split('\n');
  let current: { name: string; start: number; body: string[] } | undefined;
  const close = (): void => {
    if (current) sections[current.name] = current.body.join('\n');
  };

  lines.forEach((lineText, i) => {
    const header = /^--(?:[\s\u0085]+(.*?))?[\s\u0085]*$/.exec(lineText);
    if (header) {
      const name = header[1] ?? '';
      if (!KNOWN_SECTIONS.includes(name)) {
        throw asmError({ file, line: i + 1, column: 1 },
          `unknown section '-- ${name}' (known: ${KNOWN_SECTIONS.map((s) => `-- ${s}`).join(', ')})`);
      }
      if (name in sections || current?.name === name) {
        throw asmError({ file, line: i + 1, column: 1 }, `duplicate section '-- ${name}' (first at line ${sectionLines[name]! - 1})`);
      }
      close();
      current = { name, start: i + 2, body: [] };
      sectionLines[name] = i + 2;
      return;
    }
    if (current) {
      current.body.push(lineText);
    } else if (trim(stripComment(lineText)) !== '') {
      throw asmError({ file, line: i + 1, column: 1 }, 'text before the first section header (expected `-- asm`, `-- raw`, ... or `#` comments)');
    }
  });
  close();

  const data: {
    -readonly [K in keyof DataFile]: DataFile[K];
  } = { sections, sectionLines, lineCount: lines.length };
  if ('asm' in sections) data.asm = sections.asm;
  if ('raw' in sections) {
    const raw = parseRaw(sections.raw!, { file, firstLine: sectionLines.raw! });
    data.raw = raw.insns;
    data.rawSources = raw.sources;
  }
  if ('mem' in sections) data.mem = parseMem(sections.mem!, file, sectionLines.mem!);
  if ('result' in sections) data.result = parseResult(sections.result!, file, sectionLines.result!, sectionAt(data, 'result', file));
  if ('error' in sections) data.error = trim(sections.error!);
  return data;
}

function parseMem(text: string, file: string, firstLine: number): Uint8Array {
  const bytes: number[] = [];
  text.split('\n').forEach((lineText, i) => {
    for (const m of stripComment(lineText).matchAll(TOKENS)) {
      if (!/^[0-9a-f]{2}$/i.test(m[0])) {
        throw asmError({ file, line: firstLine + i, column: m.index + 1 }, `memory byte '${m[0]}' is not two hex digits`);
      }
      bytes.push(parseInt(m[0], 16));
    }
  });
  return Uint8Array.from(bytes);
}

function parseResult(text: string, file: string, firstLine: number, section: SourcePos): bigint {
  const lines = text.split('\n');
  const index = lines.findIndex((l) => trim(stripComment(l)) !== '');
  if (index < 0) throw asmError(section, 'empty -- result section');
  const body = stripComment(lines[index]!);
  const word = trim(body);
  const at = { file, line: firstLine + index, column: body.indexOf(word) + 1 };
  const lit = parseLiteral(word);
  if (!lit) throw asmError(at, `result '${word}' is not a number`);
  if (lit.value < -(1n << 63n) || lit.value >= 1n << 64n) throw asmError(at, `result '${word}' does not fit 64 bits`);
  const extra = lines.slice(index + 1).findIndex((l) => trim(stripComment(l)) !== '');
  if (extra >= 0) throw asmError({ file, line: firstLine + index + 1 + extra, column: 1 }, 'more than one value in -- result');
  return BigInt.asUintN(64, lit.value);
}

/**
 * The program a data file describes: its `-- asm` assembled, or its `-- raw`
 * slots. When both are present they must agree slot for slot (lddw.data
 * carries both), which catches assembler and data mistakes alike.
 */
export function programFromDataFile(data: DataFile, file: string): Program {
  if (data.asm !== undefined) {
    // A header on the file's last line: the assembler would name the line after it, which does not exist.
    if (data.sectionLines.asm! > data.lineCount) throw asmError(sectionAt(data, 'asm', file), 'empty program: -- asm section has no lines');
    const program = assemble(data.asm, { file, firstLine: data.sectionLines.asm });
    if (data.raw) checkRawAgrees(program, data, file);
    return program;
  }
  if (data.raw) {
    if (data.raw.length === 0) {
      throw asmError({ file, line: (data.sectionLines.raw ?? 2) - 1, column: 1 }, 'empty program: -- raw section has no slots');
    }
    return { insns: data.raw, entry: 0, sources: data.rawSources };
  }
  throw new AsmError(file, 1, 1, "no program: the file has no '-- asm' or '-- raw' section");
}

function checkRawAgrees(program: Program, data: DataFile, file: string): void {
  const raw = data.raw!;
  const n = Math.max(raw.length, program.insns.length);
  for (let i = 0; i < n; i++) {
    const a = program.insns[i];
    const r = raw[i];
    const aw = a ? insnToWord(a) : undefined;
    const rw = r ? insnToWord(r) : undefined;
    if (aw !== rw) {
      const at = data.rawSources?.[i] ?? { file, line: (data.sectionLines.raw ?? 2) - 1, column: 1 };
      const show = (w: bigint | undefined): string => (w === undefined ? 'nothing' : `0x${w.toString(16).padStart(16, '0')}`);
      throw asmError(at, `-- asm and -- raw disagree at slot ${i}: asm gives ${show(aw)}, raw gives ${show(rw)}`);
    }
  }
}
