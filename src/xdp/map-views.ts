// The host's views of the maps: a live handle per map (read and write, like
// bpftool), and the read-only snapshot each run result carries.

import type { MapDefinition } from '../elf/maps.ts';
import { BPF_ANY, ERRNO } from './constants.ts';
import { XdpError } from './errors.ts';
import type { MapEntry, MapKind, MapMemory, MapTable, PlacedMap } from './map-table.ts';

/** A map seen from the host (like bpftool map ...): changes apply to the next run. */
export interface XdpMap {
  readonly name: string;
  readonly def: MapDefinition;
  readonly kind: MapKind;
  lookup(key: Uint8Array): Uint8Array | undefined;
  /** Throws XdpError (with `errno`) when the kernel's update would fail. */
  update(key: Uint8Array, value: Uint8Array, flags?: number): void;
  delete(key: Uint8Array): void;
  entries(): MapEntry[];
}

const ERRNO_NAMES: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(ERRNO).map(([k, v]) => [v, k]));

/** MapMemory over a copy of the maps area that starts at address `base`. */
export function areaMemory(area: Uint8Array, base: number, writable = true): MapMemory {
  const range = (address: number, length: number): number => {
    const at = address - base;
    if (at < 0 || at + length > area.length) throw new RangeError(`map access at 0x${address.toString(16)} is outside the maps area`);
    return at;
  };
  return {
    read: (address, length) => area.slice(range(address, length), range(address, length) + length),
    write: (address, data) => {
      if (!writable) throw new Error('map snapshots are read-only');
      area.set(data, range(address, data.length));
    },
  };
}

export function hostMap(table: MapTable, m: PlacedMap, mem: MapMemory): XdpMap {
  const where = `map '${m.def.name}'`;
  const sized = (what: string, bytes: Uint8Array, size: number): Uint8Array => {
    if (bytes.length !== size) throw new XdpError(`${where}: ${what} is ${bytes.length} bytes; the map's ${what} size is ${size}`);
    return bytes;
  };
  const check = (op: string, errno: number): void => {
    if (errno < 0) throw new XdpError(`${where}: ${op} failed with ${ERRNO_NAMES[-errno] ?? `errno ${-errno}`} (-${-errno})`, -errno);
  };
  const key = (k: Uint8Array): Uint8Array => sized('key', k, m.def.keySize);
  return {
    name: m.def.name, def: m.def, kind: m.kind,
    lookup: (k) => {
      const at = table.lookup(mem, m, key(k));
      return at === 0 ? undefined : mem.read(at, m.def.valueSize);
    },
    update: (k, value, flags = BPF_ANY) => check('update', table.update(mem, m, key(k), sized('value', value, m.def.valueSize), BigInt(flags))),
    delete: (k) => check('delete', table.delete(mem, m, key(k))),
    entries: () => table.entries(mem, m),
  };
}

/** Every map's entries, by name, decoded on first use from a copy of the area taken now. */
export function mapsSnapshot(table: MapTable, maps: readonly PlacedMap[], area: Uint8Array, base: number): ReadonlyMap<string, readonly MapEntry[]> {
  const mem = areaMemory(area.slice(), base, false);
  let decoded: Map<string, readonly MapEntry[]> | undefined;
  const get = (): Map<string, readonly MapEntry[]> => (decoded ??= new Map(maps.map((m) => [m.def.name, table.entries(mem, m)])));
  return {
    get size() { return maps.length; },
    get: (name: string) => get().get(name),
    has: (name: string) => get().has(name),
    keys: () => get().keys(),
    values: () => get().values(),
    entries: () => get().entries(),
    forEach: (fn, thisArg) => get().forEach(fn, thisArg),
    [Symbol.iterator]: () => get()[Symbol.iterator](),
  } as ReadonlyMap<string, readonly MapEntry[]>;
}
