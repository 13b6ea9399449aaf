// Turn a file named on the command line into a Program (and, for `.data`
// files, the input bytes and expected result they carry). The file kind is
// chosen by content first (ELF magic), then by extension.

import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { assemble, assertValidProgram, parseDataFile, ProgramValidationError, programFromDataFile } from '../asm/index.ts';
import { decodeProgram } from '../isa/index.ts';
import { loadElf } from '../elf/index.ts';
import { MAX_PROGRAM_SLOTS, programTooLarge, type Program } from '../program.ts';
import { UserError } from './errors.ts';

export interface LoadedFile {
  program: Program;
  /** Input bytes carried by the file (`-- mem` of a .data file). */
  input?: Uint8Array;
  /** Expected r0 (`-- result` of a .data file). */
  expected?: bigint;
}

export interface LoadFileOptions {
  section?: string;
  symbol?: string;
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

export async function readInputFile(path: string, what = 'file'): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `${what} not found: ${path}` : `cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

export async function loadProgramFile(path: string, opts: LoadFileOptions = {}): Promise<LoadedFile> {
  const bytes = await readInputFile(path, 'program');
  const isElf = ELF_MAGIC.every((b, i) => bytes[i] === b);
  const ext = extname(path).toLowerCase();
  let loaded: LoadedFile;
  if (isElf || ext === '.o') {
    loaded = { program: loadElf(bytes, { file: path, section: opts.section, symbol: opts.symbol }) };
  } else if (ext === '.data') {
    const data = parseDataFile(new TextDecoder().decode(bytes), path);
    loaded = {
      program: programFromDataFile(data, path),
      ...(data.mem ? { input: data.mem } : {}),
      ...(data.result !== undefined ? { expected: data.result } : {}),
    };
  } else if (ext === '.bin') {
    if (bytes.length % 8 !== 0) {
      throw new UserError(`${path}: ${bytes.length} bytes is not a whole number of 8-byte instruction slots`);
    }
    // Before decoding: a huge file is refused in O(1), not after a slot-by-slot pass.
    if (bytes.length / 8 > MAX_PROGRAM_SLOTS) throw new UserError(`${path}: ${programTooLarge()} (${bytes.length / 8} in the file)`);
    loaded = { program: { insns: decodeProgram(bytes), entry: 0 } };
  } else {
    loaded = { program: assemble(new TextDecoder().decode(bytes), { file: path }) };
  }
  if (loaded.program.insns.length > MAX_PROGRAM_SLOTS) {
    throw new UserError(`${path}: ${programTooLarge()} (${loaded.program.insns.length} in the file)`);
  }
  try {
    assertValidProgram(loaded.program);
  } catch (e) {
    // Assembled programs already name file:line; others (ELF, raw) need the file.
    if (e instanceof ProgramValidationError && !loaded.program.sources) throw new UserError(`${path}: ${e.message}`);
    throw e;
  }
  return loaded;
}
