// What a `.data` file amounts to before anything runs: rejected (and at
// which stage), or a valid program. The rule for the negative suite is
// list-free: a negative file must be rejected, except that a valid program
// with a `-- result` section is "needs-run" -- only running it can show the
// result is (deliberately) wrong, which is the conformance runner's job.

import type { Program } from '../program.ts';
import { parseDataFile, programFromDataFile, type DataFile } from './data-file.ts';
import { AsmError } from './errors.ts';
import { formatIssue, validateProgram, type ValidationIssue } from './validate.ts';

export type DataFileVerdict =
  | {
      readonly kind: 'rejected';
      /** parse: the .data format; assemble: the asm/raw text; validate: the loader check. */
      readonly stage: 'parse' | 'assemble' | 'validate';
      readonly message: string;
      readonly issues?: readonly ValidationIssue[];
      /** The file's `-- error` text, if it has one. */
      readonly expectedError?: string;
    }
  | { readonly kind: 'needs-run'; readonly program: Program; readonly data: DataFile; readonly expectedResult: bigint }
  | { readonly kind: 'accepted'; readonly program: Program; readonly data: DataFile };

export function checkDataFile(text: string, file: string): DataFileVerdict {
  let data: DataFile;
  try {
    data = parseDataFile(text, file);
  } catch (e) {
    if (e instanceof AsmError) return { kind: 'rejected', stage: 'parse', message: e.message, expectedError: undefined };
    throw e;
  }
  const expectedError = data.error;
  let program: Program;
  try {
    program = programFromDataFile(data, file);
  } catch (e) {
    if (e instanceof AsmError) return { kind: 'rejected', stage: 'assemble', message: e.message, expectedError };
    throw e;
  }
  const issues = validateProgram(program);
  if (issues.length > 0) {
    const message = issues.map((i) => formatIssue(i, program)).join('\n');
    return { kind: 'rejected', stage: 'validate', message, issues, expectedError };
  }
  if (data.result !== undefined) return { kind: 'needs-run', program, data, expectedResult: data.result };
  return { kind: 'accepted', program, data };
}
