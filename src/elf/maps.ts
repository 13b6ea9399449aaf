// Map definitions of a BPF object, in both styles libbpf knows:
//   - legacy: `struct bpf_map_def SEC("maps") m = { type, key_size, value_size,
//     max_entries, map_flags }` in the `maps` (or `maps/<name>`) section;
//   - BTF-defined: `struct { __uint(type, ...); __type(key, ...); ... } m SEC(".maps")`,
//     whose fields exist only in the BTF (.BTF, emitted with clang -g): each
//     `__uint(f, N)` is a member `int (*f)[N]` and each `__type(f, T)` a member `T *f`.
// Only the definition is read here; what a map does is up to the runtime (src/xdp).

import { STT_SECTION } from './constants.ts';
import { BTF_KIND, readBtfTypes, type BtfTypes } from './btf-types.ts';
import type { ElfObject, ElfSection, ElfSymbol } from './reader.ts';
import { isMapSection } from './sections.ts';

export interface MapDefinition {
  readonly name: string;
  /** BPF_MAP_TYPE_* number (linux/bpf.h). */
  readonly type: number;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly flags: number;
  readonly style: 'btf' | 'legacy';
  /** The ELF section holding the definition and its offset there (relocations point at it). */
  readonly sectionIndex: number;
  readonly sectionName: string;
  readonly offset: number;
  /** File offset of the definition (or its symbol), for messages. */
  readonly fileOffset: number;
  /**
   * Map-in-map (`__array(values, struct { ... })`): the inner map's definition,
   * which every inner map must match (libbpf's inner_map_fd template).
   */
  readonly inner?: InnerMapDefinition;
  /**
   * `__array(values, ...)` initialisers (`.values = { [2] = &other }`): the
   * symbol each slot points at (a program function for PROG_ARRAY, a map for
   * map-in-map), from the `.maps` relocations.
   */
  readonly initial?: readonly MapInitialiser[];
}

export type InnerMapDefinition = Pick<MapDefinition, 'name' | 'type' | 'keySize' | 'valueSize' | 'maxEntries' | 'flags'>;

export interface MapInitialiser {
  readonly index: number;
  readonly symbol: string;
}

/** Size of the legacy struct bpf_map_def (five u32). */
const LEGACY_DEF_BYTES = 20;

/** All map definitions in the object, in section then offset order. Throws ElfError. */
export function readMapDefinitions(elf: ElfObject): MapDefinition[] {
  const out: MapDefinition[] = [];
  for (const section of elf.sections) {
    if (!isMapSection(section)) continue;
    if (section.name === '.maps') out.push(...btfMaps(elf, section));
    else out.push(...legacyMaps(elf, section));
  }
  return out;
}

/** The map a relocation against `sym` (+ addend) refers to, if `sym` is in a map section. */
export function mapForSymbol(maps: readonly MapDefinition[], sym: ElfSymbol, addend: bigint): MapDefinition | undefined {
  const offset = BigInt(sym.value) + addend;
  return maps.find((m) => m.sectionIndex === sym.shndx && BigInt(m.offset) === offset);
}

function mapSymbols(elf: ElfObject, section: ElfSection): ElfSymbol[] {
  return elf.symbols
    .filter((s) => s.shndx === section.index && s.type !== STT_SECTION && s.name !== '')
    .sort((a, b) => a.value - b.value);
}

function legacyMaps(elf: ElfObject, section: ElfSection): MapDefinition[] {
  const symbols = mapSymbols(elf, section);
  if (symbols.length === 0) return [];
  // libbpf's rule: the definitions are equal slices of the section, one per symbol.
  const defBytes = section.size / symbols.length;
  if (!Number.isInteger(defBytes) || defBytes < 16) {
    throw elf.error(
      `map section '${section.name}' is ${section.size} bytes for ${symbols.length} map symbols: ` +
        `expected ${symbols.length} struct bpf_map_def of at least 16 bytes each`,
      section.headerOffset,
    );
  }
  const bytes = elf.contents(section);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return symbols.map((sym) => {
    if (sym.value + defBytes > section.size || sym.value % 4 !== 0) {
      throw elf.error(`map '${sym.name}' at offset ${sym.value} does not fit section '${section.name}' (${section.size} bytes)`, sym.fileOffset);
    }
    const u32 = (field: number): number => view.getUint32(sym.value + 4 * field, true);
    return {
      name: sym.name,
      type: u32(0),
      keySize: u32(1),
      valueSize: u32(2),
      maxEntries: u32(3),
      flags: defBytes >= LEGACY_DEF_BYTES ? u32(4) : 0,
      style: 'legacy' as const,
      sectionIndex: section.index,
      sectionName: section.name,
      offset: sym.value,
      fileOffset: section.offset + sym.value,
    };
  });
}

/** Members of a BTF map definition struct that only tune the kernel object; bpfgate ignores them. */
const IGNORED_FIELDS: ReadonlySet<string> = new Set(['pinning', 'numa_node', 'map_extra']);

function btfMaps(elf: ElfObject, section: ElfSection): MapDefinition[] {
  const btf = readBtfTypes(elf);
  if (!btf) {
    throw elf.error(`section '.maps' holds BTF-defined maps but the object has no .BTF section: compile with clang -g`, section.headerOffset);
  }
  const datasec = btf.types.find((t) => t.kind === BTF_KIND.DATASEC && t.name === '.maps');
  if (!datasec) throw elf.error(`the .BTF section has no DATASEC '.maps' describing the maps in section '.maps'`, section.headerOffset);
  const symbols = new Map(mapSymbols(elf, section).map((s) => [s.name, s]));
  return datasec.vars.map((v) => {
    const variable = btf.get(v.type);
    if (!variable || variable.kind !== BTF_KIND.VAR) {
      throw elf.error(`malformed .BTF: DATASEC '.maps' entry refers to type ${v.type}, which is not a variable`, datasec.fileOffset);
    }
    const name = variable.name;
    const sym = symbols.get(name);
    // clang may leave DATASEC offsets at 0 in objects (libbpf fixes them up from the symbols): the symbol wins.
    const offset = sym?.value ?? v.offset;
    const { valuesOffset, ...fields } = btfMapFields(elf, btf, name, variable.sizeOrType, variable.fileOffset);
    const initial = valuesOffset === undefined ? [] : initialisers(elf, section, offset + valuesOffset, v.size - valuesOffset);
    return { name, ...fields, style: 'btf' as const, sectionIndex: section.index, sectionName: section.name, offset,
      fileOffset: sym?.fileOffset ?? variable.fileOffset, ...(initial.length > 0 ? { initial } : {}) };
  });
}

/** The `.values = { [i] = &sym }` slots of one definition: 64-bit relocations into its values array. */
function initialisers(elf: ElfObject, section: ElfSection, from: number, bytes: number): MapInitialiser[] {
  return elf.relocationsFor(section)
    .filter((r) => r.offset >= from && r.offset < from + Math.max(bytes, 0))
    .map((r) => ({ index: (r.offset - from) / 8, symbol: r.symbol.name }))
    .sort((a, b) => a.index - b.index);
}

function btfMapFields(
  elf: ElfObject, btf: BtfTypes, name: string, typeId: number, at: number,
): Pick<MapDefinition, 'type' | 'keySize' | 'valueSize' | 'maxEntries' | 'flags' | 'inner'> & { valuesOffset?: number } {
  const def = btf.resolve(typeId);
  if (!def || def.kind !== BTF_KIND.STRUCT) {
    throw elf.error(`map '${name}': its BTF type is a ${def ? btf.kindName(def.kind) : 'missing type'}, expected a struct of __uint/__type fields`, at);
  }
  const fields: Record<string, number> = {};
  let keyFromType: number | undefined;
  let valueFromType: number | undefined;
  let inner: InnerMapDefinition | undefined;
  let valuesOffset: number | undefined;
  for (const m of def.members) {
    const target = btf.resolve(m.type);
    const pointee = target?.kind === BTF_KIND.PTR ? btf.resolve(target.sizeOrType) : undefined;
    if (m.name === 'values') {
      // __array(values, T) is `T *values[]`: a struct T makes this a map of maps, a function type a program array.
      const element = target?.kind === BTF_KIND.ARRAY ? btf.resolve(target.array!.type) : undefined;
      const what = element?.kind === BTF_KIND.PTR ? btf.resolve(element.sizeOrType) : undefined;
      if (what?.kind === BTF_KIND.STRUCT) {
        const { valuesOffset: nested, ...fields } = btfMapFields(elf, btf, `${name}.values`, element!.sizeOrType, def.fileOffset);
        if (nested !== undefined) throw elf.error(`map-in-map '${name}': its inner map is itself a map of maps, which bpfgate does not support`, def.fileOffset);
        if (fields.inner) throw elf.error(`map-in-map '${name}': nested map-in-map is not supported`, def.fileOffset);
        inner = { name: `${name}.values`, ...fields };
      } else if (what?.kind !== BTF_KIND.FUNC_PROTO) {
        throw elf.error(
          `map '${name}': field 'values' is not __array(values, struct { ... }) (map-in-map) or __array(values, int (void *)) (program array)`,
          def.fileOffset,
        );
      }
      valuesOffset = m.offset / 8;
      continue;
    }
    if (!target || target.kind !== BTF_KIND.PTR) {
      throw elf.error(`map '${name}': field '${m.name}' is not declared with __uint() or __type() (its BTF type is not a pointer)`, def.fileOffset);
    }
    if (m.name === 'key' || m.name === 'value') {
      const size = btf.sizeOf(target.sizeOrType);
      if (size === undefined) throw elf.error(`map '${name}': the ${m.name} type has no size`, def.fileOffset);
      if (m.name === 'key') keyFromType = size;
      else valueFromType = size;
      continue;
    }
    if (!pointee || pointee.kind !== BTF_KIND.ARRAY) {
      throw elf.error(`map '${name}': field '${m.name}' is not an __uint() (expected a pointer to an array whose length is the value)`, def.fileOffset);
    }
    if (IGNORED_FIELDS.has(m.name)) continue;
    if (!['type', 'max_entries', 'map_flags', 'key_size', 'value_size'].includes(m.name)) {
      throw elf.error(`map '${name}': unknown map definition field '${m.name}'`, def.fileOffset);
    }
    fields[m.name] = pointee.array!.nelems;
  }
  const size = (what: 'key' | 'value', fromType: number | undefined): number => {
    const given = fields[`${what}_size`];
    if (given !== undefined && fromType !== undefined && given !== fromType) {
      throw elf.error(`map '${name}': ${what}_size ${given} disagrees with the ${what} type's size ${fromType}`, def.fileOffset);
    }
    return given ?? fromType ?? 0;
  };
  if (fields.type === undefined) throw elf.error(`map '${name}': no map type (__uint(type, BPF_MAP_TYPE_...))`, def.fileOffset);
  return {
    type: fields.type,
    keySize: size('key', keyFromType),
    valueSize: size('value', valueFromType),
    maxEntries: fields.max_entries ?? 0,
    flags: fields.map_flags ?? 0,
    // libbpf: with __array(values, ...) the value is a 4-byte map or program fd.
    ...(valuesOffset !== undefined ? { valueSize: size('value', 4), valuesOffset } : {}),
    ...(inner ? { inner } : {}),
  };
}
