// What a loader puts in maps before the first packet: the PROG_ARRAY slots
// (program numbers, from the object's initialisers and --prog-array) and the
// map-in-map slots (inner maps' handles, from `.values = { [i] = &inner }`),
// each inner map checked against the outer map's `__array(values, ...)`
// template as the kernel checks an inner map fd.

import type { MapDefinition } from '../elf/maps.ts';
import { mapTypeName } from './constants.ts';
import { XdpError } from './errors.ts';
import { MAP_IN_MAP_TYPES, type MapMemory, type MapTable, type PlacedMap } from './map-table.ts';
import type { ProgArraySlot } from './tail-calls.ts';

const le32 = (v: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return b;
};

/** Fill the maps area behind `mem`. Throws XdpError naming the map and slot. */
export function fillInitialMaps(
  file: string, defs: readonly MapDefinition[], placed: readonly PlacedMap[], table: MapTable, mem: MapMemory, progSlots: readonly ProgArraySlot[],
): void {
  const byIndex = new Map(placed.map((m) => [m.index, m]));
  for (const s of progSlots) {
    const m = byIndex.get(s.map);
    if (m) table.update(mem, m, le32(s.index), le32(s.program), 0n);
  }
  for (const m of placed) {
    if (!MAP_IN_MAP_TYPES.has(m.def.type)) continue;
    for (const init of m.def.initial ?? []) {
      const where = `${file}: map-in-map '${m.def.name}' slot ${init.index}`;
      const innerIndex = defs.findIndex((d) => d.name === init.symbol);
      const inner = byIndex.get(innerIndex);
      if (!inner) throw new XdpError(`${where} names '${init.symbol}', which is not a map bpfgate holds`);
      const want = m.def.inner!;
      const same = inner.def.type === want.type && inner.def.keySize === want.keySize && inner.def.valueSize === want.valueSize &&
        (inner.def.maxEntries === want.maxEntries || want.maxEntries === 0);
      if (!same) {
        throw new XdpError(
          `${where}: inner map '${inner.def.name}' (${mapTypeName(inner.def.type)}, key ${inner.def.keySize}, value ${inner.def.valueSize}, ` +
            `max_entries ${inner.def.maxEntries}) does not match the template (${mapTypeName(want.type)}, key ${want.keySize}, value ${want.valueSize}, max_entries ${want.maxEntries})`,
        );
      }
      const err = table.update(mem, m, le32(init.index), le32(inner.handle), 0n);
      if (err < 0) throw new XdpError(`${where}: the slot does not fit the map (errno ${-err})`);
    }
  }
}
