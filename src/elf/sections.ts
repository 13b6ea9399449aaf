// What the BPF loader makes of each section and symbol: code, data laid out
// in data memory, maps (not supported yet), or something a program may not
// reference. One place for these rules so the linker and the data layout agree.

import { SHF_ALLOC, SHF_EXECINSTR, SHN_ABS, SHN_COMMON, SHN_UNDEF, SHT_NOBITS, SHT_PROGBITS, STT_SECTION } from './constants.ts';
import type { ElfObject, ElfSection, ElfSymbol } from './reader.ts';

/** An executable section holding instructions (empty ones are not programs). */
export function isCodeSection(s: ElfSection): boolean {
  return s.type === SHT_PROGBITS && (s.flags & SHF_EXECINSTR) !== 0 && s.size > 0;
}

/**
 * Sections laid out in data memory: .rodata*, .data*, .bss* (clang also emits
 * .rodata.str1.1, .rodata.cst16, .data.rel.ro, ... for constants and strings).
 */
export function isDataSection(s: ElfSection): boolean {
  return (
    (s.type === SHT_PROGBITS || s.type === SHT_NOBITS) &&
    (s.flags & SHF_ALLOC) !== 0 &&
    (s.flags & SHF_EXECINSTR) === 0 &&
    /^\.(rodata|data|bss)(\.|$)/.test(s.name)
  );
}

/** Legacy `maps` / `maps/<name>` sections and BTF-defined `.maps`. */
export function isMapSection(s: ElfSection): boolean {
  return s.name === '.maps' || s.name === 'maps' || s.name.startsWith('maps/');
}

/** The section a symbol is defined in, or undefined for UNDEF/ABS/COMMON. */
export function symbolSection(elf: ElfObject, sym: ElfSymbol): ElfSection | undefined {
  if (sym.shndx === SHN_UNDEF || sym.shndx === SHN_ABS || sym.shndx === SHN_COMMON) return undefined;
  return elf.sections[sym.shndx];
}

/**
 * A readable name for a relocation's symbol and where it lives:
 * "'counter' (section '.bss')", or "section '.rodata'" for section symbols
 * (clang uses those for static data and static functions).
 */
export function symbolLabel(elf: ElfObject, sym: ElfSymbol): string {
  const section = symbolSection(elf, sym);
  if (sym.type === STT_SECTION || sym.name === '') return `section '${section?.name ?? sym.shndx}'`;
  return section ? `'${sym.name}' (section '${section.name}')` : `'${sym.name}'`;
}
