// Just enough of the BTF type section (.BTF, emitted by clang -g) to read
// BTF-defined map definitions: type records by id, names, sizes, and the
// members of structs. See the kernel's Documentation/bpf/btf.rst.
//
//   header  { u16 magic 0xeB9F; u8 version; u8 flags; u32 hdr_len;
//             u32 type_off, type_len, str_off, str_len }   (offsets after the header)
//   type    { u32 name_off; u32 info (vlen 0-15, kind 24-28, kind_flag 31); u32 size_or_type }
//           followed by kind-specific data (see EXTRA_BYTES)

import type { ElfObject, ElfSection } from './reader.ts';

export const BTF_KIND = {
  INT: 1, PTR: 2, ARRAY: 3, STRUCT: 4, UNION: 5, ENUM: 6, FWD: 7, TYPEDEF: 8, VOLATILE: 9, CONST: 10,
  RESTRICT: 11, FUNC: 12, FUNC_PROTO: 13, VAR: 14, DATASEC: 15, FLOAT: 16, DECL_TAG: 17, TYPE_TAG: 18, ENUM64: 19,
} as const;

const KIND_NAMES = Object.fromEntries(Object.entries(BTF_KIND).map(([k, v]) => [v, k.toLowerCase()]));

export interface BtfMember {
  readonly name: string;
  readonly type: number;
  /** Bit offset (bitfield info in the upper byte when the struct's kind_flag is set). */
  readonly offset: number;
}

export interface BtfType {
  readonly id: number;
  readonly kind: number;
  readonly name: string;
  readonly vlen: number;
  /** size (INT, STRUCT, UNION, ENUM, FLOAT, DATASEC) or referenced type id (PTR, TYPEDEF, ...). */
  readonly sizeOrType: number;
  /** STRUCT/UNION members. */
  readonly members: readonly BtfMember[];
  /** ARRAY: element type and count. */
  readonly array?: { readonly type: number; readonly nelems: number };
  /** DATASEC: its variables. */
  readonly vars: ReadonlyArray<{ readonly type: number; readonly offset: number; readonly size: number }>;
  /** File offset of the record, for messages. */
  readonly fileOffset: number;
}

export interface BtfTypes {
  get(id: number): BtfType | undefined;
  readonly types: readonly BtfType[];
  /** Follow typedef/const/volatile/restrict/type_tag to the underlying type. */
  resolve(id: number): BtfType | undefined;
  /** Byte size of a type, or undefined when it has none (void, functions, forward declarations). */
  sizeOf(id: number): number | undefined;
  kindName(kind: number): string;
}

const BTF_MAGIC = 0xeb9f;
const MODIFIERS: ReadonlySet<number> = new Set([BTF_KIND.TYPEDEF, BTF_KIND.VOLATILE, BTF_KIND.CONST, BTF_KIND.RESTRICT, BTF_KIND.TYPE_TAG]);

/** Parse the object's .BTF type section; undefined when the object has none. Throws ElfError when it is malformed. */
export function readBtfTypes(elf: ElfObject): BtfTypes | undefined {
  const section = elf.sections.find((s) => s.name === '.BTF');
  if (!section) return undefined;
  return parseBtf(elf, section);
}

function parseBtf(elf: ElfObject, section: ElfSection): BtfTypes {
  const bytes = elf.contents(section);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (what: string, at: number): Error => elf.error(`malformed .BTF: ${what}`, section.offset + at);
  if (bytes.length < 24 || view.getUint16(0, true) !== BTF_MAGIC) throw bad('bad header', 0);
  const hdrLen = view.getUint32(4, true);
  const typeStart = hdrLen + view.getUint32(8, true);
  const typeEnd = typeStart + view.getUint32(12, true);
  const strStart = hdrLen + view.getUint32(16, true);
  const strEnd = strStart + view.getUint32(20, true);
  if (typeEnd > bytes.length || strEnd > bytes.length) throw bad('type or string table is outside the section', 8);

  const decoder = new TextDecoder();
  const str = (offset: number, at: number): string => {
    const from = strStart + offset;
    const nul = bytes.indexOf(0, from);
    if (from >= strEnd || nul < 0 || nul >= strEnd) throw bad(`string offset ${offset} is outside the string table`, at);
    return decoder.decode(bytes.subarray(from, nul));
  };
  const u32 = (at: number): number => {
    if (at + 4 > typeEnd) throw bad('a type record is cut off by the end of the type table', at);
    return view.getUint32(at, true);
  };

  const types: BtfType[] = [];
  for (let at = typeStart; at < typeEnd; ) {
    const record = at;
    const name = str(u32(at), at);
    const info = u32(at + 4);
    const sizeOrType = u32(at + 8);
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    at += 12;
    const members: BtfMember[] = [];
    const vars: { type: number; offset: number; size: number }[] = [];
    let array: { type: number; nelems: number } | undefined;
    switch (kind) {
      case BTF_KIND.INT: case BTF_KIND.VAR: case BTF_KIND.DECL_TAG:
        at += 4;
        break;
      case BTF_KIND.ARRAY:
        array = { type: u32(at), nelems: u32(at + 8) };
        at += 12;
        break;
      case BTF_KIND.STRUCT: case BTF_KIND.UNION:
        for (let i = 0; i < vlen; i++, at += 12) members.push({ name: str(u32(at), at), type: u32(at + 4), offset: u32(at + 8) });
        break;
      case BTF_KIND.ENUM: case BTF_KIND.FUNC_PROTO:
        at += 8 * vlen;
        break;
      case BTF_KIND.ENUM64:
        at += 12 * vlen;
        break;
      case BTF_KIND.DATASEC:
        for (let i = 0; i < vlen; i++, at += 12) vars.push({ type: u32(at), offset: u32(at + 4), size: u32(at + 8) });
        break;
      case BTF_KIND.PTR: case BTF_KIND.FWD: case BTF_KIND.TYPEDEF: case BTF_KIND.VOLATILE: case BTF_KIND.CONST:
      case BTF_KIND.RESTRICT: case BTF_KIND.FUNC: case BTF_KIND.FLOAT: case BTF_KIND.TYPE_TAG:
        break;
      default:
        throw bad(`type ${types.length + 1} has unknown kind ${kind}`, record);
    }
    if (at > typeEnd) throw bad(`type ${types.length + 1} is cut off by the end of the type table`, record);
    types.push({ id: types.length + 1, kind, name, vlen, sizeOrType, members, vars, ...(array ? { array } : {}), fileOffset: section.offset + record });
  }

  const get = (id: number): BtfType | undefined => (id >= 1 ? types[id - 1] : undefined);
  const resolve = (id: number): BtfType | undefined => {
    let t = get(id);
    for (let hops = 0; t && MODIFIERS.has(t.kind); hops++) {
      if (hops > types.length) throw elf.error(`malformed .BTF: type ${id} is a cycle of modifiers`, t.fileOffset);
      t = get(t.sizeOrType);
    }
    return t;
  };
  const sizeOf = (id: number, depth = 0): number | undefined => {
    if (depth > 64) throw elf.error(`malformed .BTF: type ${id} nests too deeply`, section.offset);
    const t = resolve(id);
    if (!t) return undefined;
    switch (t.kind) {
      case BTF_KIND.INT: case BTF_KIND.STRUCT: case BTF_KIND.UNION: case BTF_KIND.ENUM: case BTF_KIND.ENUM64:
      case BTF_KIND.FLOAT: case BTF_KIND.DATASEC:
        return t.sizeOrType;
      case BTF_KIND.PTR:
        return 8;
      case BTF_KIND.ARRAY: {
        const elem = sizeOf(t.array!.type, depth + 1);
        return elem === undefined ? undefined : elem * t.array!.nelems;
      }
      default:
        return undefined;
    }
  };
  return { get, types, resolve, sizeOf: (id) => sizeOf(id), kindName: (kind) => KIND_NAMES[kind] ?? `kind ${kind}` };
}
