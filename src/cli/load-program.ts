// Turn a file named on the command line into a Program (and, for `.data`
// files, the input bytes and expected result they carry). The file kind is
// chosen by content first (ELF magic), then by extension; `-` is standard
// input, and input without a known extension is sniffed (see programKind),
// so `bpfgate asm prog.s -f words | bpfgate disasm -` works.

import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { assemble, assertValidProgram, parseDataFile, parseRaw, ProgramValidationError, programFromDataFile } from '../asm/index.ts';
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
  /** Run the loader check (default true); `disasm` shows bad slots instead. */
  validate?: boolean;
}

/** The path that means standard input. */
export const STDIN = '-';

/** How a path is named in messages. */
export function displayName(path: string): string {
  return path === STDIN ? '<stdin>' : path;
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

export async function readInputFile(path: string, what = 'file'): Promise<Uint8Array> {
  if (path === STDIN) return readStdin();
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `${what} not found: ${path}` : `cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

type Kind = 'elf' | 'data' | 'bin' | 'words' | 'hex' | 'asm';

const KIND_OF_EXTENSION: Record<string, Kind> = { '.o': 'elf', '.data': 'data', '.bin': 'bin', '.s': 'asm', '.asm': 'asm' };

/**
 * What a program file holds: ELF by its magic, else by extension, else by
 * content: `asm -f words` output (one 0x word per line), `asm -f hex` output
 * (one line of hex digits), bytes that are not text (raw slots), or assembly.
 */
export function programKind(bytes: Uint8Array, path: string): Kind {
  if (ELF_MAGIC.every((b, i) => bytes[i] === b)) return 'elf';
  const byExtension = KIND_OF_EXTENSION[extname(path).toLowerCase()];
  if (byExtension) return byExtension;
  const head = bytes.subarray(0, 4096);
  if (head.includes(0) || !isUtf8(head)) return 'bin';
  const text = new TextDecoder().decode(head);
  const firstLine = text.split('\n').map((l) => l.replace(/#.*/, '').trim()).find((l) => l !== '') ?? '';
  if (/^0x[0-9a-f]{1,16}$/i.test(firstLine)) return 'words';
  if (/^([0-9a-f]{2})+$/i.test(firstLine) && firstLine.length % 16 === 0) return 'hex';
  return 'asm';
}

/** True if `head` is UTF-8 (a multi-byte character cut at its end is allowed). */
function isUtf8(head: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

export async function loadProgramFile(file: string, opts: LoadFileOptions = {}): Promise<LoadedFile> {
  return loadProgramBytes(await readInputFile(file, 'program'), file, opts);
}

/**
 * The bytes of a program file (read by loadProgramFile) as a program: what
 * every verb gets, and what the input fuzzer feeds (src/fuzz-inputs/).
 */
export function loadProgramBytes(bytes: Uint8Array, file: string, opts: LoadFileOptions = {}): LoadedFile {
  // Standard input has no extension: its kind is sniffed from the content.
  const kind = programKind(bytes, file === STDIN ? '' : file);
  const path = displayName(file);
  let loaded: LoadedFile;
  if (kind === 'elf') {
    loaded = { program: loadElf(bytes, { file: path, section: opts.section, symbol: opts.symbol }) };
  } else if (kind === 'words') {
    // parseRaw reads both spellings of -- raw: 0x words and 8-byte lines.
    const raw = parseRaw(new TextDecoder().decode(bytes), { file: path });
    if (raw.insns.length === 0) throw new UserError(`${path}: no instruction words`);
    loaded = { program: { insns: raw.insns, entry: 0, sources: raw.sources } };
  } else if (kind === 'hex') {
    const digits = new TextDecoder().decode(bytes).replace(/\s+/g, '');
    if (digits.length / 16 > MAX_PROGRAM_SLOTS) throw new UserError(`${path}: ${programTooLarge()}`);
    if (!/^([0-9a-f]{16})+$/i.test(digits)) throw new UserError(`${path}: hex input is not a whole number of 8-byte instruction slots`);
    loaded = { program: { insns: decodeProgram(Uint8Array.from(Buffer.from(digits, 'hex'))), entry: 0 } };
  } else if (kind === 'data') {
    const data = parseDataFile(new TextDecoder().decode(bytes), path);
    loaded = {
      program: programFromDataFile(data, path),
      ...(data.mem ? { input: data.mem } : {}),
      ...(data.result !== undefined ? { expected: data.result } : {}),
    };
  } else if (kind === 'bin') {
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
  if (opts.validate === false) return loaded;
  try {
    assertValidProgram(loaded.program);
  } catch (e) {
    // Assembled programs already name file:line; others (ELF, raw) need the file.
    if (e instanceof ProgramValidationError && !loaded.program.sources) throw new UserError(`${path}: ${e.message}`);
    throw e;
  }
  return loaded;
}
