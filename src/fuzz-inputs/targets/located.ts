// Is a text error located where it should be? An AsmError must name the file
// it was given and a line and column inside the text (a column may point
// just past the line's end: "missing operand").

import { AsmError } from '../../asm/index.ts';
import { crash, EXPECTED, type Verdict } from '../engine.ts';

export function judgeAsmError(err: unknown, text: string, file: string, firstLine = 1): Verdict {
  if (!(err instanceof AsmError)) return crash('not an AsmError');
  if (err.file !== file) return crash(`AsmError names file '${err.file}', not '${file}'`);
  const lines = text.split('\n');
  const index = err.line - firstLine;
  if (!Number.isInteger(err.line) || index < 0 || index >= lines.length) {
    return crash(`AsmError at line ${err.line}, outside the text's lines ${firstLine}..${firstLine + lines.length - 1}`);
  }
  const width = lines[index]!.length;
  if (!Number.isInteger(err.column) || err.column < 1 || err.column > width + 1) {
    return crash(`AsmError at column ${err.column}, outside line ${err.line} (${width} characters)`);
  }
  return EXPECTED;
}
