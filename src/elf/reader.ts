// A small ELF64 little-endian reader: header, section headers, symbol table
// and relocation tables, with every offset and size checked against the file
// so a damaged object gives an ElfError naming the place, never a RangeError.
// It knows nothing about eBPF beyond e_machine; the BPF meaning of sections
// and relocations is in ./link.ts and ./data-layout.ts.

import {
  EM_BPF, ELF64_EHDR_SIZE, ELF64_REL_SIZE, ELF64_RELA_SIZE, ELF64_SHDR_SIZE, ELF64_SYM_SIZE, ELF_MAGIC,
  ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ELFDATA2MSB, ET_REL, MACHINE_NAMES, SHN_ABS, SHN_COMMON, SHN_LORESERVE, SHN_XINDEX,
  SHT_NOBITS, SHT_REL, SHT_RELA, SHT_STRTAB, SHT_SYMTAB,
} from './constants.ts';
import { ElfError } from './errors.ts';

export interface ElfSection {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  /** File offset of the contents (meaningless for SHT_NOBITS). */
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly addralign: number;
  readonly entsize: number;
  /** File offset of this section's header, for error messages. */
  readonly headerOffset: number;
}

export interface ElfSymbol {
  readonly index: number;
  readonly name: string;
  readonly value: number;
  readonly size: number;
  readonly type: number;
  readonly bind: number;
  readonly shndx: number;
  /** File offset of the symbol table entry. */
  readonly fileOffset: number;
}

export interface ElfReloc {
  /** Offset of the relocated field's instruction/word inside the target section. */
  readonly offset: number;
  readonly type: number;
  readonly symbol: ElfSymbol;
  /** Explicit addend of SHT_RELA entries; undefined for SHT_REL (addend is in the field). */
  readonly addend: number | undefined;
  /** File offset of the relocation entry. */
  readonly fileOffset: number;
  /** The relocation section this entry came from. */
  readonly table: ElfSection;
}

export interface ElfObject {
  readonly file: string;
  readonly bytes: Uint8Array;
  readonly sections: readonly ElfSection[];
  /** Symbol table entries (index 0, the null symbol, included). Empty without .symtab. */
  readonly symbols: readonly ElfSymbol[];
  /** Contents of a section (zeros for SHT_NOBITS). */
  contents(section: ElfSection): Uint8Array;
  /** All relocations (from every SHT_REL/SHT_RELA section) that apply to `section`. */
  relocationsFor(section: ElfSection): ElfReloc[];
  error(detail: string, offset?: number): ElfError;
}

const ELF_TYPES: Readonly<Record<number, string>> = { 0: 'NONE', 1: 'REL', 2: 'EXEC', 3: 'DYN', 4: 'CORE' };

/** Parse and bounds-check an ELF64 little-endian BPF relocatable object. */
export function readElf(bytes: Uint8Array, file = '<memory>'): ElfObject {
  const fail = (detail: string, offset?: number): ElfError => new ElfError(file, detail, offset);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  checkIdent(bytes, fail);
  if (bytes.length < ELF64_EHDR_SIZE) {
    throw fail(`truncated ELF header: ${bytes.length} bytes, an ELF64 header needs ${ELF64_EHDR_SIZE}`);
  }
  const machine = view.getUint16(18, true);
  if (machine !== EM_BPF) {
    const name = MACHINE_NAMES[machine] ?? `machine ${machine}`;
    throw fail(`not a BPF object: e_machine is ${name}, expected BPF (EM_BPF = ${EM_BPF}); compile with clang -target bpf`, 18);
  }
  const type = view.getUint16(16, true);
  if (type !== ET_REL) {
    throw fail(`not a relocatable object: e_type is ${ELF_TYPES[type] ?? type}, expected REL; compile with clang -c`, 16);
  }

  const u64 = (at: number, what: string): number => {
    const v = view.getBigUint64(at, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw fail(`${what} is too large (0x${v.toString(16)})`, at);
    return Number(v);
  };

  const shoff = u64(0x28, 'e_shoff');
  const shentsize = view.getUint16(0x3a, true);
  const shnum = view.getUint16(0x3c, true);
  const shstrndx = view.getUint16(0x3e, true);
  if (shoff === 0 || shnum === 0) {
    // shnum 0 with a table means "extended numbering" (> 65279 sections): not a compiler output we meet.
    if (shoff !== 0) throw fail('extended section numbering (e_shnum = 0) is not supported', 0x3c);
    throw fail('the object has no section headers', 0x28);
  }
  if (shentsize !== ELF64_SHDR_SIZE) {
    throw fail(`e_shentsize is ${shentsize}, expected ${ELF64_SHDR_SIZE}`, 0x3a);
  }
  checkRange(fail, shoff, shnum * ELF64_SHDR_SIZE, bytes.length, `section header table (${shnum} entries)`, 0x28);
  if (shstrndx === SHN_XINDEX || shstrndx >= shnum) {
    throw fail(`e_shstrndx ${shstrndx} is not a section index (the file has ${shnum} sections)`, 0x3e);
  }

  // Raw headers first; names need the section name table.
  interface RawSection extends Omit<ElfSection, 'name'> { nameOffset: number }
  const raw: RawSection[] = [];
  for (let i = 0; i < shnum; i++) {
    const h = shoff + i * ELF64_SHDR_SIZE;
    const s: RawSection = {
      index: i,
      nameOffset: view.getUint32(h, true),
      type: view.getUint32(h + 4, true),
      flags: Number(view.getBigUint64(h + 8, true) & 0xffffffffn),
      offset: u64(h + 0x18, `sh_offset of section ${i}`),
      size: u64(h + 0x20, `sh_size of section ${i}`),
      link: view.getUint32(h + 0x28, true),
      info: view.getUint32(h + 0x2c, true),
      addralign: u64(h + 0x30, `sh_addralign of section ${i}`),
      entsize: u64(h + 0x38, `sh_entsize of section ${i}`),
      headerOffset: h,
    };
    raw.push(s);
  }
  const shstr = raw[shstrndx]!;
  if (shstr.type !== SHT_STRTAB) throw fail(`section ${shstrndx} named by e_shstrndx is not a string table`, shstr.headerOffset);
  checkRange(fail, shstr.offset, shstr.size, bytes.length, `section name table (section ${shstrndx})`, shstr.headerOffset);

  const sections: ElfSection[] = raw.map((s) => {
    const { nameOffset, ...rest } = s;
    const name = readString(bytes, shstr, nameOffset, fail, `name of section ${s.index}`, s.headerOffset);
    if (s.type !== SHT_NOBITS && s.index !== 0) {
      checkRange(fail, s.offset, s.size, bytes.length, `section '${name}' (index ${s.index})`, s.headerOffset);
    }
    return { ...rest, name };
  });

  const symbols = readSymbols(bytes, view, sections, fail);

  const contents = (section: ElfSection): Uint8Array =>
    section.type === SHT_NOBITS ? new Uint8Array(section.size) : bytes.subarray(section.offset, section.offset + section.size);

  const relocationsFor = (target: ElfSection): ElfReloc[] => {
    const out: ElfReloc[] = [];
    for (const table of sections) {
      if ((table.type !== SHT_REL && table.type !== SHT_RELA) || table.info !== target.index) continue;
      out.push(...readRelocs(view, table, symbols, fail));
    }
    return out.sort((a, b) => a.offset - b.offset);
  };

  return { file, bytes, sections, symbols, contents, relocationsFor, error: fail };
}

type Fail = (detail: string, offset?: number) => ElfError;

function checkIdent(bytes: Uint8Array, fail: Fail): void {
  if (bytes.length === 0) throw fail('empty file (0 bytes), expected an ELF object');
  if (bytes.length < 16 || !ELF_MAGIC.every((b, i) => bytes[i] === b)) {
    if (bytes.length < 4 && ELF_MAGIC.slice(0, bytes.length).every((b, i) => bytes[i] === b)) {
      throw fail(`truncated ELF file: ${bytes.length} bytes`);
    }
    if (bytes.length >= 4 && ELF_MAGIC.every((b, i) => bytes[i] === b)) {
      throw fail(`truncated ELF identification: ${bytes.length} bytes, need 16`);
    }
    throw fail('not an ELF file (the first bytes are not \\x7fELF)', 0);
  }
  const cls = bytes[4]!;
  if (cls === ELFCLASS32) {
    throw fail('32-bit ELF (ELFCLASS32): BPF objects are 64-bit ELF; compile with clang -target bpf', 4);
  }
  if (cls !== ELFCLASS64) throw fail(`invalid ELF class ${cls}`, 4);
  const data = bytes[5]!;
  if (data === ELFDATA2MSB) {
    throw fail('big-endian BPF objects (-target bpfeb) are not supported; use -target bpf/bpfel', 5);
  }
  if (data !== ELFDATA2LSB) throw fail(`invalid ELF data encoding ${data}`, 5);
}

function checkRange(fail: Fail, offset: number, size: number, fileSize: number, what: string, at: number): void {
  if (offset + size > fileSize) {
    throw fail(
      `truncated file: ${what} spans bytes 0x${offset.toString(16)}..0x${(offset + size).toString(16)} but the file is ${fileSize} bytes`,
      at,
    );
  }
}

function readString(bytes: Uint8Array, table: { offset: number; size: number }, offset: number, fail: Fail, what: string, at: number): string {
  if (offset >= table.size) {
    throw fail(`${what}: string offset ${offset} is outside its string table (${table.size} bytes)`, at);
  }
  const start = table.offset + offset;
  const end = bytes.indexOf(0, start);
  if (end < 0 || end >= table.offset + table.size) throw fail(`${what}: string is not NUL-terminated`, at);
  return new TextDecoder().decode(bytes.subarray(start, end));
}

function readSymbols(bytes: Uint8Array, view: DataView, sections: readonly ElfSection[], fail: Fail): ElfSymbol[] {
  const tables = sections.filter((s) => s.type === SHT_SYMTAB);
  if (tables.length === 0) return [];
  if (tables.length > 1) throw fail(`${tables.length} symbol tables; expected one`, tables[1]!.headerOffset);
  const symtab = tables[0]!;
  if (symtab.entsize !== ELF64_SYM_SIZE || symtab.size % ELF64_SYM_SIZE !== 0) {
    throw fail(`symbol table '${symtab.name}' has entry size ${symtab.entsize} and size ${symtab.size}; expected ${ELF64_SYM_SIZE}-byte entries`, symtab.headerOffset);
  }
  const strtab = sections[symtab.link];
  if (!strtab || strtab.type !== SHT_STRTAB) {
    throw fail(`symbol table's string table (section ${symtab.link}) is not a string table`, symtab.headerOffset);
  }
  const out: ElfSymbol[] = [];
  for (let i = 0; i < symtab.size / ELF64_SYM_SIZE; i++) {
    const at = symtab.offset + i * ELF64_SYM_SIZE;
    const info = view.getUint8(at + 4);
    const shndx = view.getUint16(at + 6, true);
    if (shndx === SHN_XINDEX) throw fail(`symbol ${i} uses extended section indexes (SHN_XINDEX), not supported`, at);
    if (shndx !== 0 && shndx < SHN_LORESERVE && shndx >= sections.length) {
      throw fail(`symbol ${i} refers to section ${shndx}, but the file has ${sections.length} sections`, at);
    }
    // Of the reserved indexes only ABS and COMMON mean something in a BPF object; the rest
    // (processor/OS-specific) would be looked up as a section that does not exist.
    if (shndx >= SHN_LORESERVE && shndx !== SHN_ABS && shndx !== SHN_COMMON) {
      throw fail(`symbol ${i} has the reserved section index 0x${shndx.toString(16)} (only SHN_ABS and SHN_COMMON are understood)`, at);
    }
    const value = view.getBigUint64(at + 8, true);
    const size = view.getBigUint64(at + 16, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || size > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw fail(`symbol ${i} has an out-of-range value or size`, at);
    }
    out.push({
      index: i,
      name: readString(bytes, strtab, view.getUint32(at, true), fail, `name of symbol ${i}`, at),
      value: Number(value),
      size: Number(size),
      type: info & 0xf,
      bind: info >> 4,
      shndx,
      fileOffset: at,
    });
  }
  return out;
}

function readRelocs(view: DataView, table: ElfSection, symbols: readonly ElfSymbol[], fail: Fail): ElfReloc[] {
  const rela = table.type === SHT_RELA;
  const entry = rela ? ELF64_RELA_SIZE : ELF64_REL_SIZE;
  if (table.size % entry !== 0) {
    throw fail(`relocation section '${table.name}' is ${table.size} bytes, not a multiple of its ${entry}-byte entries`, table.headerOffset);
  }
  const out: ElfReloc[] = [];
  for (let i = 0; i < table.size / entry; i++) {
    const at = table.offset + i * entry;
    const offset = view.getBigUint64(at, true);
    const info = view.getBigUint64(at + 8, true);
    const symIndex = Number(info >> 32n);
    const symbol = symbols[symIndex];
    if (!symbol) {
      throw fail(`relocation ${i} in '${table.name}' refers to symbol ${symIndex}, but the symbol table has ${symbols.length} entries`, at);
    }
    if (offset > BigInt(Number.MAX_SAFE_INTEGER)) throw fail(`relocation ${i} in '${table.name}' has an out-of-range offset`, at);
    out.push({
      offset: Number(offset),
      type: Number(info & 0xffffffffn),
      symbol,
      addend: rela ? Number(view.getBigInt64(at + 16, true)) : undefined,
      fileOffset: at,
      table,
    });
  }
  return out;
}
