// Entry points: turn a `clang -target bpf -c` object into a Program.

import { INSN_BYTES } from '../isa/encoding.ts';
import { DEFAULT_MEMORY_MAP, type MemoryMap } from '../isa/memory-map.ts';
import type { Program } from '../program.ts';
import { readLineInfo, sourcesFor } from './btf-lines.ts';
import { layoutData } from './data-layout.ts';
import { linkCode } from './link.ts';
import { readElf } from './reader.ts';
import { chooseEntry, describePrograms, type ElfProgramInfo } from './select.ts';

export interface LoadElfOptions {
  /** Executable section to load (e.g. "xdp", ".text"). */
  section?: string;
  /** Function symbol to start at; its section is loaded. */
  symbol?: string;
  /** File name used in error messages and nothing else. */
  file?: string;
  /** Where globals live; defaults to the bpfgate memory map. */
  memoryMap?: MemoryMap;
}

/**
 * Load one program from a relocatable BPF ELF object. Without `section` or
 * `symbol` the default program is taken (see ./select.ts). Throws ElfError.
 */
export function loadElf(bytes: Uint8Array, opts: LoadElfOptions = {}): Program {
  const elf = readElf(bytes, opts.file);
  const entry = chooseEntry(elf, opts);
  const layout = layoutData(elf, opts.memoryMap ?? DEFAULT_MEMORY_MAP);
  const code = linkCode(elf, entry, layout);
  const sources = sourcesFor(readLineInfo(elf), code.placement, code.insns.length, INSN_BYTES);
  return {
    insns: code.insns,
    entry: code.entry,
    globals: layout.globals,
    symbols: code.symbols,
    ...(sources ? { sources } : {}),
  };
}

/** The programs (executable sections) in an object, with their functions. Throws ElfError. */
export function listPrograms(bytes: Uint8Array, opts: { file?: string } = {}): ElfProgramInfo[] {
  return describePrograms(readElf(bytes, opts.file));
}
