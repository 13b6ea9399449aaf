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
//     hash (percpu, LRU, LPM trie, hash of maps, devmap hash):
//                               u32 in_use, u32 last use, key (rounded up to 8), value (rounded up to 8)
//     sparse (prog array, array of maps, devmap, cpumap, xskmap: arrays whose slots start empty):
//                               u32 in_use, u32 0, value (rounded up to 8)
//     events (perf event array, ring buffer): no slots (records go to the run's result)
// Per-CPU maps behave as the single CPU's copy. LRU maps evict the least
// recently used entry when full (the kernel's LRU is approximate: see README).
// An LPM trie is a hash of (prefixlen, masked data) searched for the longest
// matching prefix.

import { compareBytes } from '../bytes.ts';
import type { MapDefinition } from '../elf/maps.ts';
import {
  BPF_EXIST, BPF_F_LOCK, BPF_MAP_TYPE_ARRAY, BPF_MAP_TYPE_ARRAY_OF_MAPS, BPF_MAP_TYPE_CPUMAP, BPF_MAP_TYPE_DEVMAP,
  BPF_MAP_TYPE_DEVMAP_HASH, BPF_MAP_TYPE_HASH, BPF_MAP_TYPE_HASH_OF_MAPS, BPF_MAP_TYPE_LPM_TRIE, BPF_MAP_TYPE_LRU_HASH,
  BPF_MAP_TYPE_LRU_PERCPU_HASH, BPF_MAP_TYPE_PERCPU_ARRAY, BPF_MAP_TYPE_PERCPU_HASH, BPF_MAP_TYPE_PERF_EVENT_ARRAY,
  BPF_MAP_TYPE_PROG_ARRAY, BPF_MAP_TYPE_RINGBUF, BPF_MAP_TYPE_XSKMAP, BPF_NOEXIST, ERRNO, mapTypeName,
} from './constants.ts';
import { XdpError } from './errors.ts';

export type MapKind = 'hash' | 'array' | 'sparse' | 'events';

export interface PlacedMap {
  readonly index: number;
  readonly def: MapDefinition;
  readonly kind: MapKind;
  /** LRU_HASH / LRU_PERCPU_HASH: a full map evicts its least recently used entry. */
  readonly lru: boolean;
  /** LPM_TRIE: keys are {u32 prefixlen, data}, lookups find the longest matching prefix. */
  readonly lpm: boolean;
  /** Slots in memory: max_entries, or 0 for event maps (whose max_entries is a byte or CPU count). */
  readonly slotCount: number;
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
  [BPF_MAP_TYPE_ARRAY]: 'array',
  [BPF_MAP_TYPE_PROG_ARRAY]: 'sparse',
  [BPF_MAP_TYPE_PERF_EVENT_ARRAY]: 'events',
  [BPF_MAP_TYPE_PERCPU_HASH]: 'hash',
  [BPF_MAP_TYPE_PERCPU_ARRAY]: 'array',
  [BPF_MAP_TYPE_LRU_HASH]: 'hash',
  [BPF_MAP_TYPE_LRU_PERCPU_HASH]: 'hash',
  [BPF_MAP_TYPE_LPM_TRIE]: 'hash',
  [BPF_MAP_TYPE_ARRAY_OF_MAPS]: 'sparse',
  [BPF_MAP_TYPE_HASH_OF_MAPS]: 'hash',
  [BPF_MAP_TYPE_DEVMAP]: 'sparse',
  [BPF_MAP_TYPE_CPUMAP]: 'sparse',
  [BPF_MAP_TYPE_XSKMAP]: 'sparse',
  [BPF_MAP_TYPE_DEVMAP_HASH]: 'hash',
  [BPF_MAP_TYPE_RINGBUF]: 'events',
};

/** Map-in-map types: their values are inner maps' handles. */
export const MAP_IN_MAP_TYPES: ReadonlySet<number> = new Set([BPF_MAP_TYPE_ARRAY_OF_MAPS, BPF_MAP_TYPE_HASH_OF_MAPS]);

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
    const lpm = def.type === BPF_MAP_TYPE_LPM_TRIE;
    if (MAP_IN_MAP_TYPES.has(def.type) && !def.inner) {
      throw new XdpError(`${what} is a map-in-map (${mapTypeName(def.type)}) without an inner map definition: declare it BTF-style with __array(values, struct { ... })`);
    }
    if (kind === 'events') {
      // max_entries is the ring's size in bytes (RINGBUF) or a CPU count (PERF_EVENT_ARRAY, 0 = libbpf fills in the CPUs).
      maps.push({ index, def, kind, lru: false, lpm: false, slotCount: 0, handle: at, slots: at + MAP_DESCRIPTOR_BYTES, slotBytes: 0, valueOffset: 0, bytes: MAP_DESCRIPTOR_BYTES });
      at += MAP_DESCRIPTOR_BYTES;
      return;
    }
    if (def.maxEntries === 0) throw new XdpError(`${what} has max_entries 0 (a loader sets it at run time: give it with --map-entries ${def.name}=N)`);
    if (def.valueSize === 0) throw new XdpError(`${what} has value_size 0`);
    if ((kind === 'array' || kind === 'sparse') && def.keySize !== 4) throw new XdpError(`${what} is an array map with key_size ${def.keySize}; array keys are 4-byte indexes`);
    if (kind === 'hash' && def.keySize === 0) throw new XdpError(`${what} is a hash map with key_size 0`);
    if (lpm && def.keySize <= 4) throw new XdpError(`${what} is an LPM trie with key_size ${def.keySize}: keys are a u32 prefix length followed by the data`);
    const keyBytes = kind === 'hash' ? round8(def.keySize) : 0;
    const header = kind === 'array' ? 0 : HASH_SLOT_HEADER;
    const slotBytes = header + keyBytes + round8(def.valueSize);
    const valueOffset = header + keyBytes;
    const bytes = MAP_DESCRIPTOR_BYTES + slotBytes * def.maxEntries;
    const lru = def.type === BPF_MAP_TYPE_LRU_HASH || def.type === BPF_MAP_TYPE_LRU_PERCPU_HASH;
    maps.push({ index, def, kind, lru, lpm, slotCount: def.maxEntries, handle: at, slots: at + MAP_DESCRIPTOR_BYTES, slotBytes, valueOffset, bytes });
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

/**
 * The index's identity of a key: two bytes per char (the last char of an odd
 * length holds one). Exact within one map, whose keys all have one length;
 * the common 4- and 8-byte keys in one call. (Entries are sorted by their
 * bytes, never by these strings.)
 */
function hexKey(k: Uint8Array): string {
  const n = k.length;
  if (n === 8) return String.fromCharCode(k[0]! | (k[1]! << 8), k[2]! | (k[3]! << 8), k[4]! | (k[5]! << 8), k[6]! | (k[7]! << 8));
  if (n === 4) return String.fromCharCode(k[0]! | (k[1]! << 8), k[2]! | (k[3]! << 8));
  let s = '';
  for (let i = 0; i < n; i += 2) s += String.fromCharCode(k[i]! | ((i + 1 < n ? k[i + 1]! : 0) << 8));
  return s;
}

/** An LPM key's identity: the prefix length and only the data bits it covers (the kernel's node match). */
function lpmIdentity(key: Uint8Array): string {
  const masked = lpmMasked(key, lpmPrefix(key));
  return hexKey(masked);
}
const lpmPrefix = (key: Uint8Array): number => new DataView(key.buffer, key.byteOffset, key.byteLength).getUint32(0, true);
function lpmMasked(key: Uint8Array, prefix: number): Uint8Array {
  const out = key.slice();
  for (let bit = prefix; bit < (key.length - 4) * 8; bit++) out[4 + (bit >> 3)]! &= ~(0x80 >> (bit & 7));
  return out;
}

/**
 * The operations on maps, over any MapMemory. Holds the hash-key index
 * (key -> slot, free slots); call `invalidate()` when memory may have been
 * replaced behind its back, and the index is rebuilt from memory on next use.
 */
export class MapTable {
  private readonly byHandle: ReadonlyMap<number, PlacedMap>;
  private readonly indexes = new Map<number, KeyIndex>();
  /** Use counter for LRU maps: each lookup or update stamps the slot with the next value. */
  private clock = 0;

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
    if (m.kind === 'events') return 0;
    if (m.kind === 'array') {
      const i = arrayIndex(key);
      return i < m.def.maxEntries ? m.slots + i * m.slotBytes : 0;
    }
    if (m.kind === 'sparse') {
      const i = arrayIndex(key);
      return i < m.def.maxEntries && mem.read(m.slots + i * m.slotBytes, 1)[0] !== 0 ? m.slots + i * m.slotBytes + m.valueOffset : 0;
    }
    const slot = m.lpm ? this.longestPrefix(mem, m, key) : this.slotOf(mem, m, key);
    if (slot === undefined) return 0;
    if (m.lru) this.touch(mem, m, slot);
    return m.slots + slot * m.slotBytes + m.valueOffset;
  }

  /** 0, or a negative errno as the kernel's map_update_elem returns it. */
  update(mem: MapMemory, m: PlacedMap, key: Uint8Array, value: Uint8Array, flags: bigint): number {
    if (m.kind === 'events') return -ERRNO.EINVAL;
    if ((flags & ~BigInt(BPF_F_LOCK)) > BigInt(BPF_EXIST) || (flags & BigInt(BPF_F_LOCK)) !== 0n) {
      // BPF_F_LOCK needs a bpf_spin_lock in the value, which bpfgate maps never have.
      return -ERRNO.EINVAL;
    }
    if (m.kind === 'array' || m.kind === 'sparse') {
      const i = arrayIndex(key);
      if (i >= m.def.maxEntries) return -ERRNO.E2BIG;
      const at = m.slots + i * m.slotBytes;
      if (m.kind === 'array') {
        if (flags === BigInt(BPF_NOEXIST)) return -ERRNO.EEXIST;
        mem.write(at, value);
        return 0;
      }
      const used = mem.read(at, 1)[0] !== 0;
      if (used && flags === BigInt(BPF_NOEXIST)) return -ERRNO.EEXIST;
      if (!used && flags === BigInt(BPF_EXIST)) return -ERRNO.ENOENT;
      mem.write(at, Uint8Array.of(1));
      mem.write(at + m.valueOffset, value);
      return 0;
    }
    if (m.lpm && lpmPrefix(key) > (m.def.keySize - 4) * 8) return -ERRNO.EINVAL;
    const index = this.index(mem, m);
    const k = m.lpm ? lpmIdentity(key) : hexKey(key);
    let slot = index.get(k);
    if (slot !== undefined && flags === BigInt(BPF_NOEXIST)) return -ERRNO.EEXIST;
    if (slot === undefined) {
      if (flags === BigInt(BPF_EXIST)) return -ERRNO.ENOENT;
      slot = this.freeSlot(m, index);
      if (slot === undefined && m.lru) slot = this.evict(mem, m, index);
      if (slot === undefined) return m.lpm ? -ERRNO.ENOSPC : -ERRNO.E2BIG;
      index.set(k, slot);
    }
    // The key is rewritten too: an LPM update stores the new key's data, as the kernel's new node does.
    const header = new Uint8Array(HASH_SLOT_HEADER + m.def.keySize);
    header[0] = 1;
    header.set(key, HASH_SLOT_HEADER);
    mem.write(m.slots + slot * m.slotBytes, header);
    if (m.lru) this.touch(mem, m, slot);
    mem.write(m.slots + slot * m.slotBytes + m.valueOffset, value);
    return 0;
  }

  /** 0, or a negative errno as the kernel's map_delete_elem returns it. */
  delete(mem: MapMemory, m: PlacedMap, key: Uint8Array): number {
    if (m.kind === 'array' || m.kind === 'events') return -ERRNO.EINVAL;
    if (m.kind === 'sparse') {
      const i = arrayIndex(key);
      if (i >= m.def.maxEntries) return -ERRNO.E2BIG;
      const at = m.slots + i * m.slotBytes;
      if (mem.read(at, 1)[0] === 0) return -ERRNO.ENOENT;
      mem.write(at, new Uint8Array(m.slotBytes));
      return 0;
    }
    const index = this.index(mem, m);
    const k = m.lpm ? lpmIdentity(key) : hexKey(key);
    const slot = index.get(k);
    if (slot === undefined) return -ERRNO.ENOENT;
    // Clear the whole slot so a later insert starts from a zero value, like a fresh kernel element.
    mem.write(m.slots + slot * m.slotBytes, new Uint8Array(m.slotBytes));
    index.delete(k);
    return 0;
  }

  /** Every entry, in key order (arrays: every index; sparse arrays: the filled ones). Reads memory only. */
  entries(mem: MapMemory, m: PlacedMap): MapEntry[] {
    const out: MapEntry[] = [];
    const { keySize, valueSize } = m.def;
    const count = m.slotCount;
    const all = mem.read(m.slots, m.slotBytes * count);
    for (let i = 0; i < count; i++) {
      const slot = all.subarray(i * m.slotBytes, (i + 1) * m.slotBytes);
      if (m.kind === 'array' || (m.kind === 'sparse' && slot[0] !== 0)) {
        const key = new Uint8Array(4);
        new DataView(key.buffer).setUint32(0, i, true);
        out.push({ key, value: slot.slice(m.valueOffset, m.valueOffset + valueSize) });
      } else if (m.kind === 'hash' && slot[0] !== 0) {
        out.push({ key: slot.slice(HASH_SLOT_HEADER, HASH_SLOT_HEADER + keySize), value: slot.slice(m.valueOffset, m.valueOffset + valueSize) });
      }
    }
    return m.kind === 'hash' ? out.sort((a, b) => compareBytes(a.key, b.key)) : out;
  }

  /** The slot holding `key` (not an LPM key), or undefined: through the index's numbers for keys of up to 8 bytes. */
  private slotOf(mem: MapMemory, m: PlacedMap, key: Uint8Array): number | undefined {
    const index = this.index(mem, m);
    if (index.small === undefined) return index.get(hexKey(key));
    const slot = index.small.get(key);
    return slot < 0 ? undefined : slot;
  }

  private index(mem: MapMemory, m: PlacedMap): KeyIndex {
    let index = this.indexes.get(m.index);
    if (index) return index;
    index = new KeyIndex(!m.lpm && m.def.keySize <= 8 ? new SmallKeys() : undefined);
    const all = mem.read(m.slots, m.slotBytes * m.slotCount);
    for (let i = 0; i < m.slotCount; i++) {
      const at = i * m.slotBytes;
      if (all[at] === 0) continue;
      const key = all.subarray(at + HASH_SLOT_HEADER, at + HASH_SLOT_HEADER + m.def.keySize);
      index.set(m.lpm ? lpmIdentity(key) : hexKey(key), i);
      if (m.lru) this.clock = Math.max(this.clock, new DataView(all.buffer, all.byteOffset + at + 4, 4).getUint32(0, true));
    }
    this.indexes.set(m.index, index);
    return index;
  }

  /** The slot whose prefix is the longest one that matches `key` (prefixes no longer than the key's own). */
  private longestPrefix(mem: MapMemory, m: PlacedMap, key: Uint8Array): number | undefined {
    const limit = Math.min(lpmPrefix(key), (m.def.keySize - 4) * 8);
    let best: number | undefined;
    let bestLength = -1;
    for (const slot of this.index(mem, m).values()) {
      const stored = mem.read(m.slots + slot * m.slotBytes + HASH_SLOT_HEADER, m.def.keySize);
      const length = lpmPrefix(stored);
      if (length > limit || length <= bestLength) continue;
      if (hexKey(lpmMasked(stored, length).subarray(4)) === hexKey(lpmMasked(key, length).subarray(4))) {
        best = slot;
        bestLength = length;
      }
    }
    return best;
  }

  private touch(mem: MapMemory, m: PlacedMap, slot: number): void {
    const stamp = new Uint8Array(4);
    new DataView(stamp.buffer).setUint32(0, ++this.clock, true);
    mem.write(m.slots + slot * m.slotBytes + 4, stamp);
  }

  /** Free the least recently used slot of a full LRU map. */
  private evict(mem: MapMemory, m: PlacedMap, index: Map<string, number>): number | undefined {
    let victim: [string, number] | undefined;
    let oldest = Infinity;
    for (const [k, slot] of index) {
      const stamp = new DataView(mem.read(m.slots + slot * m.slotBytes + 4, 4).buffer).getUint32(0, true);
      if (stamp < oldest) {
        oldest = stamp;
        victim = [k, slot];
      }
    }
    if (!victim) return undefined;
    index.delete(victim[0]);
    mem.write(m.slots + victim[1] * m.slotBytes, new Uint8Array(m.slotBytes));
    return victim[1];
  }

  private freeSlot(m: PlacedMap, index: Map<string, number>): number | undefined {
    if (index.size >= m.def.maxEntries) return undefined;
    const used = new Set(index.values());
    for (let i = 0; i < m.def.maxEntries; i++) if (!used.has(i)) return i;
    return undefined;
  }
}

/**
 * A hash map's key index: key identity (hexKey) -> slot. For keys of up to 8
 * bytes (not LPM) it keeps the same entries in `small` too, by the key's two
 * 32-bit words, which a lookup reads without making a string.
 */
class KeyIndex extends Map<string, number> {
  constructor(readonly small: SmallKeys | undefined) {
    super();
  }

  override set(key: string, slot: number): this {
    super.set(key, slot);
    this.small?.put(charWord(key, 0), charWord(key, 2), slot);
    return this;
  }

  override delete(key: string): boolean {
    const had = super.delete(key);
    if (had) this.small?.remove(charWord(key, 0), charWord(key, 2));
    return had;
  }
}

/** The 32-bit word of a key that chars i, i + 1 of its hexKey hold (two bytes a char, little-endian; absent chars 0). */
function charWord(key: string, i: number): number {
  return ((i < key.length ? key.charCodeAt(i) : 0) | ((i + 1 < key.length ? key.charCodeAt(i + 1) : 0) << 16)) | 0;
}

/** Bytes [at, at + 4) of a key as a little-endian int32 (bytes past its end: 0). */
function byteWord(key: Uint8Array, at: number): number {
  const n = key.length;
  if (at + 4 <= n) return key[at]! | (key[at + 1]! << 8) | (key[at + 2]! << 16) | (key[at + 3]! << 24);
  let w = 0;
  for (let i = at; i < n && i < at + 4; i++) w |= key[i]! << (8 * (i - at));
  return w;
}

/** Open addressing (linear probing, deletion by backward shift) from two key words to a slot. */
class SmallKeys {
  private lo = new Int32Array(16);
  private hi = new Int32Array(16);
  /** slot + 1; 0: empty. */
  private slots = new Int32Array(16);
  private count = 0;

  private static home(lo: number, hi: number, mask: number): number {
    return (Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> 16 ^ Math.imul(hi ^ (lo >>> 15), 0xc2b2ae35)) & mask;
  }

  /** The slot for this key's bytes, or -1. */
  get(key: Uint8Array): number {
    const lo = byteWord(key, 0), hi = key.length > 4 ? byteWord(key, 4) : 0;
    const mask = this.slots.length - 1;
    for (let i = SmallKeys.home(lo, hi, mask); ; i = (i + 1) & mask) {
      const s = this.slots[i]!;
      if (s === 0) return -1;
      if (this.lo[i] === lo && this.hi[i] === hi) return s - 1;
    }
  }

  put(lo: number, hi: number, slot: number): void {
    if (2 * (this.count + 1) > this.slots.length) this.grow();
    const mask = this.slots.length - 1;
    let i = SmallKeys.home(lo, hi, mask);
    for (; this.slots[i] !== 0; i = (i + 1) & mask) {
      if (this.lo[i] === lo && this.hi[i] === hi) { this.slots[i] = slot + 1; return; }
    }
    this.lo[i] = lo;
    this.hi[i] = hi;
    this.slots[i] = slot + 1;
    this.count++;
  }

  remove(lo: number, hi: number): void {
    const mask = this.slots.length - 1;
    let i = SmallKeys.home(lo, hi, mask);
    for (; ; i = (i + 1) & mask) {
      if (this.slots[i] === 0) return;
      if (this.lo[i] === lo && this.hi[i] === hi) break;
    }
    // Backward shift: move later entries of the probe run into the hole when their home allows it.
    let hole = i;
    for (let j = (i + 1) & mask; this.slots[j] !== 0; j = (j + 1) & mask) {
      const home = SmallKeys.home(this.lo[j]!, this.hi[j]!, mask);
      // j's entry may fill the hole when its home is not cyclically inside (hole, j].
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        this.lo[hole] = this.lo[j]!;
        this.hi[hole] = this.hi[j]!;
        this.slots[hole] = this.slots[j]!;
        hole = j;
      }
    }
    this.slots[hole] = 0;
    this.count--;
  }

  private grow(): void {
    const { lo, hi, slots } = this;
    this.lo = new Int32Array(2 * slots.length);
    this.hi = new Int32Array(2 * slots.length);
    this.slots = new Int32Array(2 * slots.length);
    this.count = 0;
    for (let i = 0; i < slots.length; i++) if (slots[i] !== 0) this.put(lo[i]!, hi[i]!, slots[i]! - 1);
  }
}

function arrayIndex(key: Uint8Array): number {
  return (key[0]! | (key[1]! << 8) | (key[2]! << 16) | (key[3]! << 24)) >>> 0;
}
