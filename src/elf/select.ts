// Which programs an object holds and which one the user asked for. A program
// is an executable section; its functions are the FUNC symbols in it. Without
// a choice, the default follows libbpf's convention: `.text` holds shared
// subprograms when other executable sections exist (SEC("xdp") etc.), so the
// first of those is the default; a plain C file has only `.text`, which is
// then the program.

import { STB_LOCAL, STT_FUNC } from './constants.ts';
import type { ElfObject, ElfSection } from './reader.ts';
import { isCodeSection } from './sections.ts';
import { INSN_BYTES } from '../isa/encoding.ts';

export interface ElfFunction {
  readonly name: string;
  /** Slot index of the function inside its section. */
  readonly slot: number;
  /** Size in slots (0 when the symbol has no size). */
  readonly slots: number;
  readonly global: boolean;
}

export interface ElfProgramInfo {
  readonly section: string;
  /** Size of the section in instruction slots. */
  readonly slots: number;
  /** Function symbols in the section, by address. */
  readonly functions: readonly ElfFunction[];
  /** True for the program loadElf picks when given no section or symbol. */
  readonly isDefault: boolean;
}

export interface EntryChoice {
  readonly section: ElfSection;
  /** Entry slot inside `section`. */
  readonly slot: number;
}

export function codeSections(elf: ElfObject): ElfSection[] {
  return elf.sections.filter(isCodeSection);
}

export function functionsIn(elf: ElfObject, section: ElfSection): ElfFunction[] {
  return elf.symbols
    .filter((s) => s.type === STT_FUNC && s.shndx === section.index && s.name !== '')
    .map((s) => ({
      name: s.name,
      slot: Math.floor(s.value / INSN_BYTES),
      slots: Math.floor(s.size / INSN_BYTES),
      global: s.bind !== STB_LOCAL,
    }))
    .sort((a, b) => a.slot - b.slot || a.name.localeCompare(b.name));
}

function defaultSection(elf: ElfObject): ElfSection | undefined {
  const code = codeSections(elf);
  return code.find((s) => s.name !== '.text') ?? code[0];
}

export function describePrograms(elf: ElfObject): ElfProgramInfo[] {
  const chosen = defaultSection(elf);
  return codeSections(elf).map((s) => ({
    section: s.name,
    slots: Math.floor(s.size / INSN_BYTES),
    functions: functionsIn(elf, s),
    isDefault: s === chosen,
  }));
}

/** Resolve the user's choice (section and/or function symbol) to an entry point. */
export function chooseEntry(elf: ElfObject, opts: { section?: string; symbol?: string }): EntryChoice {
  const code = codeSections(elf);
  const sectionList = (): string => (code.length ? code.map((s) => `'${s.name}'`).join(', ') : 'none');
  if (code.length === 0) throw elf.error('the object has no executable section with code');

  let section: ElfSection | undefined;
  if (opts.section !== undefined) {
    section = code.find((s) => s.name === opts.section);
    if (!section) {
      const exists = elf.sections.find((s) => s.name === opts.section);
      const why = exists ? `section '${opts.section}' is not executable code` : `no section '${opts.section}'`;
      throw elf.error(`${why}; program sections: ${sectionList()}`);
    }
  }

  if (opts.symbol !== undefined) {
    const candidates = code.flatMap((s) => functionsIn(elf, s).map((f) => ({ s, f })));
    const hit = candidates.find(({ s, f }) => f.name === opts.symbol && (!section || s === section));
    if (!hit) {
      const sym = elf.symbols.find((s) => s.name === opts.symbol);
      const fnList = candidates.map(({ s, f }) => `'${f.name}' (${s.name})`).join(', ') || 'none';
      let why = `no function symbol '${opts.symbol}'`;
      if (section && candidates.some(({ f }) => f.name === opts.symbol)) why += ` in section '${section.name}'`;
      else if (sym && sym.type !== STT_FUNC) why = `symbol '${opts.symbol}' is not a function`;
      throw elf.error(`${why}; functions: ${fnList}`);
    }
    const raw = elf.symbols.find((x) => x.type === STT_FUNC && x.name === opts.symbol && x.shndx === hit.s.index)!;
    if (raw.value % INSN_BYTES !== 0 || raw.value >= hit.s.size) {
      throw elf.error(`function '${raw.name}' is at byte ${raw.value} of section '${hit.s.name}' (${hit.s.size} bytes), not at an instruction`, raw.fileOffset);
    }
    return { section: hit.s, slot: hit.f.slot };
  }

  return { section: section ?? defaultSection(elf)!, slot: 0 };
}
