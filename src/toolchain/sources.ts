// The design's HDL sources as the flow takes them: one Verilog string, or a
// set of named files (Verilog plus anything they `include or $readmem).

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ToolchainError } from './errors.ts';

/** Verilog text, or file name -> contents. */
export type VerilogInput = string | Readonly<Record<string, string>>;

/** Files whose extension says they are HDL to read, as opposed to includes or data. */
const HDL_EXTENSIONS = /\.(v|sv)$/i;

export interface SourceFiles {
  /** Every file, by plain name (no directories). */
  readonly files: Readonly<Record<string, string>>;
  /** The ones to pass to read_verilog, in order. */
  readonly hdl: readonly string[];
}

export function normaliseSources(input: VerilogInput): SourceFiles {
  const files: Record<string, string> = typeof input === 'string' ? { 'design.v': input } : { ...input };
  const names = Object.keys(files);
  for (const name of names) {
    // Names go into a yosys script, so keep them to characters that need no quoting.
    if (!/^[A-Za-z0-9_.+][A-Za-z0-9_.+-]*$/.test(name)) {
      throw new ToolchainError(
        `source file name '${name}' must be a plain file name (letters, digits, '_', '.', '+', '-'; no directories or spaces)`,
      );
    }
  }
  const hdl = names.filter((n) => HDL_EXTENSIONS.test(n));
  if (hdl.length === 0) {
    throw new ToolchainError(
      `no Verilog source among ${names.length ? names.map((n) => `'${n}'`).join(', ') : 'the (empty) sources'}: name Verilog files *.v or *.sv`,
    );
  }
  return { files, hdl };
}

/** Reads source files from disk, keyed by base name (which must be unique). */
export async function readSourceFiles(paths: readonly string[]): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const from: Record<string, string> = {};
  for (const path of paths) {
    const name = basename(path);
    if (from[name] !== undefined) {
      throw new ToolchainError(`two source files are both called '${name}': ${from[name]} and ${path}`);
    }
    try {
      files[name] = await readFile(path, 'utf8');
    } catch (err) {
      throw new ToolchainError(`cannot read source file ${path}: ${(err as Error).message}`);
    }
    from[name] = path;
  }
  return files;
}
