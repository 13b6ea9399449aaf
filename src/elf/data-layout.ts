// Lays the object's .rodata*/.data*/.bss* sections out in data memory (they
// become Program.globals, which the engines place at memoryMap.dataBase) and
// applies the data relocations inside them (pointers in initialised data,
// e.g. `const char *names[] = {"a", "b"}`). Also answers "what address does
// this symbol have" for the code linker.

import type { MemoryMap } from '../isa/memory-map.ts';
import { R_BPF, SHN_ABS, SHN_COMMON, SHN_UNDEF, SHT_REL, STT_FUNC, relocName } from './constants.ts';
import type { ElfObject, ElfReloc, ElfSection, ElfSymbol } from './reader.ts';
import { isCodeSection, isDataSection, isMapSection, symbolLabel, symbolSection } from './sections.ts';

export interface DataLayout {
  readonly globals: Uint8Array;
  /** Section index -> offset of the section in globals. */
  readonly placed: ReadonlyMap<number, number>;
  readonly memoryMap: MemoryMap;
}

export function layoutData(elf: ElfObject, memoryMap: MemoryMap): DataLayout {
  const placed = new Map<number, number>();
  let size = 0;
  for (const s of elf.sections) {
    if (!isDataSection(s)) continue;
    const align = Math.max(1, s.addralign);
    size = Math.ceil(size / align) * align;
    placed.set(s.index, size);
    size += s.size;
  }
  if (size > memoryMap.dataSize) {
    throw elf.error(`globals (.rodata/.data/.bss) need ${size} bytes; data memory holds ${memoryMap.dataSize}`);
  }
  const globals = new Uint8Array(size);
  for (const [index, at] of placed) globals.set(elf.contents(elf.sections[index]!), at);

  const layout: DataLayout = { globals, placed, memoryMap };
  for (const [index, at] of placed) applyDataRelocations(elf, elf.sections[index]!, at, layout);
  return layout;
}

/**
 * The data-memory address of `sym` (without addend). `use` describes the
 * referencing site for error messages, e.g. "lddw at slot 4 of section 'xdp'".
 */
export function dataAddress(elf: ElfObject, sym: ElfSymbol, layout: DataLayout, use: string, at: number): bigint {
  const what = symbolLabel(elf, sym);
  if (sym.shndx === SHN_UNDEF) {
    throw elf.error(`${use} refers to undefined symbol ${what}: extern variables and kernel symbols are not supported`, at);
  }
  if (sym.shndx === SHN_COMMON) {
    throw elf.error(`${use} refers to common symbol ${what}; compile with -fno-common`, at);
  }
  if (sym.shndx === SHN_ABS) return BigInt(sym.value);
  const section = symbolSection(elf, sym)!;
  if (isMapSection(section)) {
    throw elf.error(`${use} refers to map ${what}: maps need the XDP runtime (bpfgate xdp); plain runs have none`, at);
  }
  if (sym.type === STT_FUNC || isCodeSection(section)) {
    throw elf.error(`${use} takes the address of code (${what}): function pointers are not supported`, at);
  }
  const base = layout.placed.get(section.index);
  if (base === undefined) {
    throw elf.error(
      `${use} refers to ${what}, which is not in a data section (.rodata*, .data*, .bss*) and is not loaded`,
      at,
    );
  }
  if (sym.value > section.size) {
    throw elf.error(`${use} refers to ${what} at offset ${sym.value}, past the end of its section (${section.size} bytes)`, sym.fileOffset);
  }
  return BigInt(layout.memoryMap.dataBase + base) + BigInt(sym.value);
}

function applyDataRelocations(elf: ElfObject, section: ElfSection, base: number, layout: DataLayout): void {
  const view = new DataView(layout.globals.buffer, layout.globals.byteOffset, layout.globals.byteLength);
  for (const r of elf.relocationsFor(section)) {
    if (r.type === R_BPF.NONE) continue;
    const width = r.type === R_BPF.ABS64 ? 8 : r.type === R_BPF.ABS32 ? 4 : 0;
    if (width === 0) {
      throw elf.error(`${relocName(r.type)} in data section '${section.name}' at offset ${r.offset} is not supported`, r.fileOffset);
    }
    if (r.offset + width > section.size) {
      throw elf.error(`${relocName(r.type)} at offset ${r.offset} is outside section '${section.name}' (${section.size} bytes)`, r.fileOffset);
    }
    const use = `pointer at offset ${r.offset} of section '${section.name}'`;
    const at = base + r.offset;
    const addend = implicitOrExplicitAddend(r, () =>
      width === 8 ? view.getBigInt64(at, true) : BigInt(view.getInt32(at, true)),
    );
    const value = dataAddress(elf, r.symbol, layout, use, r.fileOffset) + addend;
    if (width === 8) {
      view.setBigUint64(at, BigInt.asUintN(64, value), true);
    } else {
      if (value < 0n || value > 0xffffffffn) {
        throw elf.error(`${use}: address 0x${value.toString(16)} does not fit in 32 bits`, r.fileOffset);
      }
      view.setUint32(at, Number(value), true);
    }
  }
}

/** SHT_REL keeps the addend in the relocated field; SHT_RELA carries it in the entry. */
export function implicitOrExplicitAddend(r: ElfReloc, readField: () => bigint): bigint {
  return r.table.type === SHT_REL ? readField() : BigInt(r.addend ?? 0);
}
