// Test support: damage or rewrite a real clang object in one precise place,
// to check the loader's error for that place. Offsets are found with the
// loader's own reader only to locate fields; the expectations are in the tests.

import { readElf, type ElfSection } from '../../src/elf/reader.ts';

export function sectionByName(bytes: Uint8Array, name: string): ElfSection {
  const s = readElf(bytes).sections.find((x) => x.name === name);
  if (!s) throw new Error(`test setup: no section '${name}'`);
  return s;
}

/** Copy of `bytes` with a 64-bit section header field (sh_offset 0x18, sh_size 0x20, ...) set. */
export function patchSectionHeader(bytes: Uint8Array, name: string, field: number, value: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const h = sectionByName(bytes, name).headerOffset;
  new DataView(out.buffer).setBigUint64(h + field, BigInt(value), true);
  return out;
}

export const SH_OFFSET = 0x18;
export const SH_SIZE = 0x20;

/** Copy of `bytes` with the type of relocation `index` in REL section `relName` changed. */
export function patchRelocType(bytes: Uint8Array, relName: string, index: number, type: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const s = sectionByName(bytes, relName);
  new DataView(out.buffer).setUint32(s.offset + index * 16 + 8, type, true);
  return out;
}

export interface NewSection {
  name: string;
  type: number;
  flags: number;
  data: Uint8Array;
  link: number;
  info: number;
  addralign: number;
  entsize: number;
}

/**
 * A minimal ELF64 little-endian EM_BPF relocatable writer: sections in the
 * given order after the null section, section names in a trailing .shstrtab.
 */
export function writeElf(sections: readonly NewSection[]): Uint8Array {
  const names: number[] = [0];
  const nameOff = (n: string): number => {
    const at = names.length;
    names.push(...new TextEncoder().encode(n), 0);
    return at;
  };
  const all = [...sections, { name: '.shstrtab', type: 3, flags: 0, data: new Uint8Array(0), link: 0, info: 0, addralign: 1, entsize: 0 }];
  const nameOffsets = all.map((s) => nameOff(s.name));
  all[all.length - 1] = { ...all[all.length - 1]!, data: Uint8Array.from(names) };

  const chunks: Uint8Array[] = [];
  let offset = 64;
  const offsets: number[] = [];
  for (const s of all) {
    const align = Math.max(1, s.addralign);
    const pad = (align - (offset % align)) % align;
    chunks.push(new Uint8Array(pad));
    offset += pad;
    offsets.push(offset);
    if (s.type !== 8) {
      chunks.push(s.data);
      offset += s.data.length;
    }
  }
  const shoffPad = (8 - (offset % 8)) % 8;
  chunks.push(new Uint8Array(shoffPad));
  offset += shoffPad;
  const shoff = offset;
  const shnum = all.length + 1;
  const headers = new Uint8Array(shnum * 64);
  const hv = new DataView(headers.buffer);
  all.forEach((s, i) => {
    const h = (i + 1) * 64;
    hv.setUint32(h, nameOffsets[i]!, true);
    hv.setUint32(h + 4, s.type, true);
    hv.setBigUint64(h + 8, BigInt(s.flags), true);
    hv.setBigUint64(h + 0x18, BigInt(offsets[i]!), true);
    hv.setBigUint64(h + 0x20, BigInt(s.data.length), true);
    hv.setUint32(h + 0x28, s.link, true);
    hv.setUint32(h + 0x2c, s.info, true);
    hv.setBigUint64(h + 0x30, BigInt(s.addralign), true);
    hv.setBigUint64(h + 0x38, BigInt(s.entsize), true);
  });
  chunks.push(headers);

  const ehdr = new Uint8Array(64);
  const ev = new DataView(ehdr.buffer);
  ehdr.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  ev.setUint16(16, 1, true); // ET_REL
  ev.setUint16(18, 247, true); // EM_BPF
  ev.setUint32(20, 1, true);
  ev.setBigUint64(0x28, BigInt(shoff), true);
  ev.setUint16(0x34, 64, true);
  ev.setUint16(0x3a, 64, true);
  ev.setUint16(0x3c, shnum, true);
  ev.setUint16(0x3e, shnum - 1, true);

  const total = 64 + chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  out.set(ehdr, 0);
  let at = 64;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Copy of `bytes` with `values` written at byte `at` of section `name`. */
export function patchSectionBytes(bytes: Uint8Array, name: string, at: number, values: readonly number[]): Uint8Array {
  const out = Uint8Array.from(bytes);
  out.set(values, sectionByName(bytes, name).offset + at);
  return out;
}

/** Copy of `bytes` with the r_offset of relocation `index` in REL section `relName` set. */
export function patchRelocOffset(bytes: Uint8Array, relName: string, index: number, offset: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const s = sectionByName(bytes, relName);
  new DataView(out.buffer).setBigUint64(s.offset + index * 16, BigInt(offset), true);
  return out;
}
