// Writing a file named on the command line: an error names the file and the
// reason in words, like the readers in ./load-program.ts.

import { writeFile } from 'node:fs/promises';
import { UserError } from './errors.ts';

const REASONS: Record<string, string> = {
  ENOENT: 'its folder does not exist',
  EACCES: 'permission denied',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of its path is not a folder',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
};

export async function writeOutputFile(path: string, data: string | Uint8Array, what = 'output file'): Promise<void> {
  try {
    await writeFile(path, data);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new UserError(`cannot write ${what} ${path}: ${REASONS[code] ?? (e as Error).message}`);
  }
}
