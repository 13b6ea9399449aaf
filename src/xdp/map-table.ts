// bpfgate's maps: where they live in data memory and what lookup, update and
// delete do, with the kernel's return values. The bytes live in data memory
// (so a program's pointer into a map value is an ordinary data address and
// any engine can run it); the host keeps only an index of hash keys, rebuilt
// from memory whenever it may be stale.
//
// Maps area, one entry per map, each 8-byte aligned:
//   descriptor (16 bytes): u32 type, u32 key_size, u32 value_size, u32 max_entries
//     -- its address is the map's handle: what `lddw rX, map` loads
//   then max_entries slots:
//     array (and percpu array): value (value_size rounded up to 8)
//     hash (and percpu hash):   u32 in_use, u32 0, key (rounded up to 8), value (rounded up to 8)
// Per-CPU maps behave as the single CPU's copy.

import type { MapDefinition } from '../elf/maps.ts';
import {
  BPF_EXIST, BPF_F_LOCK, BPF_MAP_TYPE_ARRAY, BPF_MAP_TYPE_HASH, BPF_MAP_TYPE_PERCPU_ARRAY, BPF_MAP_TYPE_PERCPU_HASH,
  BPF_NOEXIST, ERRNO, mapTypeName,
} from './constants.ts';
import { XdpError } from './errors.ts';

export type MapKind = 'hash' | 'array';

export interface PlacedMap {
  readonly index: number;
  readonly def: MapDefinition;
  readonly kind: MapKind;
  /** Address of the descriptor: the handle the program's lddw loads. */
  readonly handle: number;
  /** Address of slot 0. */
  readonly slots: number;
  readonly slotBytes: number;
  /** Offset of the value (and, for hash maps, key at 8) inside a slot. */
  readonly valueOffset: number;
  /** Bytes the map takes in data memory, descriptor included. */
  readonly bytes: number;
}

/** Byte access to data memory by absolute address; out of range throws. */
export interface MapMemory {
  read(address: number, length: number): Uint8Array;
  write(address: number, data: Uint8Array): void;
}

export interface MapEntry {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

export const MAP_DESCRIPTOR_BYTES = 16;
const HASH_SLOT_HEADER = 8;
const KINDS: Readonly<Record<number, MapKind>> = {
  [BPF_MAP_TYPE_HASH]: 'hash',
  [BPF_MAP_TYPE_PERCPU_HASH]: 'hash',
  [BPF_MAP_TYPE_ARRAY]: 'array',
  [BPF_MAP_TYPE_PERCPU_ARRAY]: 'array',
};

const round8 = (n: number): number => (n + 7) & ~7;

/** The supported map types, for messages. */
export function supportedMapTypes(): string {
  return Object.keys(KINDS).map((t) => mapTypeName(Number(t)).replace(/ \(\d+\)$/, '')).join(', ');
}

/**
 * Lay the maps out from `base` (8-aligned). A map of a type bpfgate does not
 * hold is refused only when the program uses it (the kernel loads objects
 * with maps their program never touches); otherwise it is left out. Throws XdpError.
 */
export function placeMaps(
  defs: readonly MapDefinition[], base: number, subject: { file: string; section: string; usedMaps: ReadonlySet<number> },
): { maps: PlacedMap[]; bytes: number } {
  const where = subject.file;
  const maps: PlacedMap[] = [];
  let at = base;
  defs.forEach((def, index) => {
    const kind = KINDS[def.type];
    const what = `${where}: map '${def.name}'`;
    if (kind === undefined) {
      if (!subject.usedMaps.has(index)) return;
      const kindOf = def.inner ? 'map-in-map ' : '';
      throw new XdpError(
        `${where}: program '${subject.section}' uses ${kindOf}map '${def.name}', a ${mapTypeName(def.type)}, which bpfgate does not support ` +
          `(supported: ${supportedMapTypes()})`,
      );
    }
    if (def.maxEntries === 0) throw new XdpError(`${what} has max_entries 0`);
    if (def.valueSize === 0) throw new XdpError(`${what} has value_size 0`);
    if (kind === 'array' && def.keySize !== 4) throw new XdpError(`${what} is an array map with key_size ${def.keySize}; array keys are 4-byte indexes`);
    if (kind === 'hash' && def.keySize === 0) throw new XdpError(`${what} is a hash map with key_size 0`);
    const slotBytes = kind === 'array' ? round8(def.valueSize) : HASH_SLOT_HEADER + round8(def.keySize) + round8(def.valueSize);
    const valueOffset = kind === 'array' ? 0 : HASH_SLOT_HEADER + round8(def.keySize);
    const bytes = MAP_DESCRIPTOR_BYTES + slotBytes * def.maxEntries;
    maps.push({ index, def, kind, handle: at, slots: at + MAP_DESCRIPTOR_BYTES, slotBytes, valueOffset, bytes });
    at += bytes;
  });
  return { maps, bytes: at - base };
}

/** The initial maps area: descriptors filled in, every slot empty/zero. */
export function initialMapsArea(maps: readonly PlacedMap[], base: number, bytes: number): Uint8Array {
  const area = new Uint8Array(bytes);
  const view = new DataView(area.buffer);
  for (const m of maps) {
    const at = m.handle - base;
    view.setUint32(at, m.def.type, true);
    view.setUint32(at + 4, m.def.keySize, true);
    view.setUint32(at + 8, m.def.valueSize, true);
    view.setUint32(at + 12, m.def.maxEntries, true);
  }
  return area;
}

const hexKey = (key: Uint8Array): string => Buffer.from(key).toString('hex');

/**
 * The operations on maps, over any MapMemory. Holds the hash-key index
 * (key -> slot, free slots); call `invalidate()` when memory may have been
 * replaced behind its back, and the index is rebuilt from memory on next use.
 */
export class MapTable {
  private readonly byHandle: ReadonlyMap<number, PlacedMap>;
  private readonly indexes = new Map<number, Map<string, number>>();

  constructor(readonly maps: readonly PlacedMap[]) {
    this.byHandle = new Map(maps.map((m) => [m.handle, m]));
  }

  /** The map whose handle is `handle`, if any. */
  map(handle: number): PlacedMap | undefined {
    return this.byHandle.get(handle);
  }

  invalidate(): void {
    this.indexes.clear();
  }

  /** Address of the value for `key`, or 0 (NULL) when there is none. */
  lookup(mem: MapMemory, m: PlacedMap, key: Uint8Array): number {
    if (m.kind === 'array') {
      const i = arrayIndex(key);
      return i < m.def.maxEntries ? m.slots + i * m.slotBytes : 0;
    }
    const slot = this.index(mem, m).get(hexKey(key));
    return slot === undefined ? 0 : m.slots + slot * m.slotBytes + m.valueOffset;
  }

  /** 0, or a negative errno as the kernel's map_update_elem returns it. */
  update(mem: MapMemory, m: PlacedMap, key: Uint8Array, value: Uint8Array, flags: bigint): number {
    if ((flags & ~BigInt(BPF_F_LOCK)) > BigInt(BPF_EXIST) || (flags & BigInt(BPF_F_LOCK)) !== 0n) {
      // BPF_F_LOCK needs a bpf_spin_lock in the value, which bpfgate maps never have.
      return -ERRNO.EINVAL;
    }
    if (m.kind === 'array') {
      const i = arrayIndex(key);
      if (i >= m.def.maxEntries) return -ERRNO.E2BIG;
      if (flags === BigInt(BPF_NOEXIST)) return -ERRNO.EEXIST;
      mem.write(m.slots + i * m.slotBytes, value);
      return 0;
    }
    const index = this.index(mem, m);
    const k = hexKey(key);
    let slot = index.get(k);
    if (slot !== undefined && flags === BigInt(BPF_NOEXIST)) return -ERRNO.EEXIST;
    if (slot === undefined) {
      if (flags === BigInt(BPF_EXIST)) return -ERRNO.ENOENT;
      slot = this.freeSlot(m, index);
      if (slot === undefined) return -ERRNO.E2BIG;
      const header = new Uint8Array(HASH_SLOT_HEADER + m.def.keySize);
      header[0] = 1;
      header.set(key, HASH_SLOT_HEADER);
      mem.write(m.slots + slot * m.slotBytes, header);
      index.set(k, slot);
    }
    mem.write(m.slots + slot * m.slotBytes + m.valueOffset, value);
    return 0;
  }

  /** 0, or a negative errno as the kernel's map_delete_elem returns it. */
  delete(mem: MapMemory, m: PlacedMap, key: Uint8Array): number {
    if (m.kind === 'array') return -ERRNO.EINVAL;
    const index = this.index(mem, m);
    const k = hexKey(key);
    const slot = index.get(k);
    if (slot === undefined) return -ERRNO.ENOENT;
    // Clear the whole slot so a later insert starts from a zero value, like a fresh kernel element.
    mem.write(m.slots + slot * m.slotBytes, new Uint8Array(m.slotBytes));
    index.delete(k);
    return 0;
  }

  /** Every entry, in key order (arrays: every index). Reads memory only. */
  entries(mem: MapMemory, m: PlacedMap): MapEntry[] {
    const out: MapEntry[] = [];
    const { keySize, valueSize, maxEntries } = m.def;
    const all = mem.read(m.slots, m.slotBytes * maxEntries);
    for (let i = 0; i < maxEntries; i++) {
      const slot = all.subarray(i * m.slotBytes, (i + 1) * m.slotBytes);
      if (m.kind === 'array') {
        const key = new Uint8Array(4);
        new DataView(key.buffer).setUint32(0, i, true);
        out.push({ key, value: slot.slice(0, valueSize) });
      } else if (slot[0] !== 0) {
        out.push({ key: slot.slice(HASH_SLOT_HEADER, HASH_SLOT_HEADER + keySize), value: slot.slice(m.valueOffset, m.valueOffset + valueSize) });
      }
    }
    return m.kind === 'hash' ? out.sort((a, b) => Buffer.compare(a.key, b.key)) : out;
  }

  private index(mem: MapMemory, m: PlacedMap): Map<string, number> {
    let index = this.indexes.get(m.index);
    if (index) return index;
    index = new Map();
    const all = mem.read(m.slots, m.slotBytes * m.def.maxEntries);
    for (let i = 0; i < m.def.maxEntries; i++) {
      const at = i * m.slotBytes;
      if (all[at] !== 0) index.set(hexKey(all.subarray(at + HASH_SLOT_HEADER, at + HASH_SLOT_HEADER + m.def.keySize)), i);
    }
    this.indexes.set(m.index, index);
    return index;
  }

  private freeSlot(m: PlacedMap, index: Map<string, number>): number | undefined {
    if (index.size >= m.def.maxEntries) return undefined;
    const used = new Set(index.values());
    for (let i = 0; i < m.def.maxEntries; i++) if (!used.has(i)) return i;
    return undefined;
  }
}

function arrayIndex(key: Uint8Array): number {
  return new DataView(key.buffer, key.byteOffset, key.byteLength).getUint32(0, true);
}
