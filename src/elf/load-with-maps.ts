// loadElf for programs that use maps: the same linking, except that an lddw
// relocated against a map symbol (R_BPF_64_64 into `maps` or `.maps`) is
// left for the runtime to bind — each runtime has its own idea of a map
// handle (bpfgate: an address in data memory; the kernel: a map fd with
// src=1). The result lists those lddw slots, and the lddw slots that take
// the address of a global (the kernel needs those as map-value references).

import { INSN_BYTES } from '../isa/encoding.ts';
import { DEFAULT_MEMORY_MAP } from '../isa/memory-map.ts';
import type { Program } from '../program.ts';
import { readLineInfo, sourcesFor } from './btf-lines.ts';
import { R_BPF, SHT_REL } from './constants.ts';
import { layoutData } from './data-layout.ts';
import { linkCode } from './link.ts';
import type { LoadElfOptions } from './load.ts';
import { mapForSymbol, readMapDefinitions, type MapDefinition } from './maps.ts';
import { readElf, type ElfObject, type ElfReloc, type ElfSection } from './reader.ts';
import { isCodeSection, isMapSection, symbolLabel, symbolSection } from './sections.ts';
import { chooseEntry, functionsIn } from './select.ts';

/** An lddw (its first slot) that must be bound to map `map` (an index into `maps`). */
export interface MapReference {
  readonly slot: number;
  readonly map: number;
}

/** An lddw (its first slot) holding the data-memory address of a global; `offset` is into Program.globals. */
export interface GlobalReference {
  readonly slot: number;
  readonly offset: number;
}

export interface ElfWithMaps {
  /** The section the program starts in (`xdp`), for messages and tail-call tables. */
  readonly section: string;
  /**
   * When the entry section holds several functions (libbpf: one program per
   * function, e.g. several SEC("xdp")): the entry function's slots
   * [start, end) and where the entry section ends in `program.insns`. The
   * kernel loads only that function and what follows the section.
   */
  readonly entryFunction?: { readonly start: number; readonly end: number; readonly sectionEnd: number };
  /** The program; the lddw slots in `mapRefs` still hold the compiler's placeholder (0). */
  readonly program: Program;
  /** Every map the object defines (whether this program uses it or not), in section order. */
  readonly maps: readonly MapDefinition[];
  readonly mapRefs: readonly MapReference[];
  readonly globalRefs: readonly GlobalReference[];
}

interface Site {
  readonly section: number;
  readonly offset: number;
}

/** Like loadElf, but accepts map references (see above). Throws ElfError. */
export function loadElfWithMaps(bytes: Uint8Array, opts: LoadElfOptions = {}): ElfWithMaps {
  const elf = readElf(bytes, opts.file);
  const maps = readMapDefinitions(elf);
  const mapSites = new Map<string, Site & { map: number }>();
  const dataSites = new Map<string, Site>();

  // The linker sees the object without the map relocations (which it would refuse).
  const linkView: ElfObject = {
    ...elf,
    relocationsFor(section: ElfSection): ElfReloc[] {
      const all = elf.relocationsFor(section);
      if (!isCodeSection(section)) return all;
      return all.filter((r) => {
        if (r.type !== R_BPF.R64_64 || r.offset % INSN_BYTES !== 0 || r.offset + 2 * INSN_BYTES > section.size) return true;
        const key = `${section.index}:${r.offset}`;
        const target = symbolSection(elf, r.symbol);
        if (!target || !isMapSection(target)) {
          dataSites.set(key, { section: section.index, offset: r.offset });
          return true;
        }
        const map = mapForSymbol(maps, r.symbol, lddwAddend(elf, section, r));
        if (!map) {
          throw elf.error(
            `lddw at slot ${r.offset / INSN_BYTES} of section '${section.name}' refers to ${symbolLabel(elf, r.symbol)}, which is not a map definition`,
            r.fileOffset,
          );
        }
        mapSites.set(key, { section: section.index, offset: r.offset, map: maps.indexOf(map) });
        return false;
      });
    },
  };

  const entry = chooseEntry(linkView, opts);
  const layout = layoutData(linkView, opts.memoryMap ?? DEFAULT_MEMORY_MAP);
  const code = linkCode(linkView, entry, layout);
  const sources = sourcesFor(readLineInfo(elf), code.placement, code.insns.length, INSN_BYTES);
  const bases = new Map(code.placement.map((p) => [p.section.index, p.base]));
  const slotOf = (site: Site): number | undefined => {
    const base = bases.get(site.section);
    return base === undefined ? undefined : base + site.offset / INSN_BYTES;
  };

  const mapRefs: MapReference[] = [];
  for (const site of mapSites.values()) {
    const slot = slotOf(site);
    if (slot !== undefined) mapRefs.push({ slot, map: site.map });
  }
  const globalRefs: GlobalReference[] = [];
  for (const site of dataSites.values()) {
    const slot = slotOf(site);
    if (slot === undefined) continue;
    const lo = BigInt(code.insns[slot]!.imm >>> 0);
    const hi = BigInt(code.insns[slot + 1]!.imm >>> 0);
    globalRefs.push({ slot, offset: Number(((hi << 32n) | lo) - BigInt(layout.memoryMap.dataBase)) });
  }
  const entryBase = bases.get(entry.section.index)!;
  const sectionFunctions = functionsIn(elf, entry.section);
  const fn = sectionFunctions.find((f) => f.slot === entry.slot && f.slots > 0);
  const sectionSlots = entry.section.size / INSN_BYTES;
  const entryFunction = fn && sectionFunctions.length > 1
    ? { start: entryBase + fn.slot, end: entryBase + fn.slot + fn.slots, sectionEnd: entryBase + sectionSlots }
    : undefined;
  return {
    section: entry.section.name,
    ...(entryFunction ? { entryFunction } : {}),
    program: {
      insns: code.insns,
      entry: code.entry,
      globals: layout.globals,
      symbols: code.symbols,
      ...(sources ? { sources } : {}),
    },
    maps,
    mapRefs: mapRefs.sort((a, b) => a.slot - b.slot),
    globalRefs: globalRefs.sort((a, b) => a.slot - b.slot),
  };
}

/** REL keeps the addend in the lddw's imm; RELA carries it in the entry. */
function lddwAddend(elf: ElfObject, section: ElfSection, r: ElfReloc): bigint {
  if (r.table.type !== SHT_REL) return BigInt(r.addend ?? 0);
  const bytes = elf.contents(section);
  return BigInt(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt32(r.offset + 4, true));
}
