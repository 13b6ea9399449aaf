// Tail calls: which of the object's programs go into which PROG_ARRAY slot,
// as a libbpf loader would fill them: from the object's own `.maps`
// initialisers (`.values = { [0] = &prog }`) and from the user's
// `--prog-array MAP=IDX:PROG` (PROG: a section name or a function symbol).
// Each target is linked as its own program (its own copy of the shared
// .text functions); the globals and maps are the object's, shared by all.

import { loadElfWithMaps, type ElfWithMaps } from '../elf/load-with-maps.ts';
import { STT_FUNC } from '../elf/constants.ts';
import { readElf } from '../elf/reader.ts';
import { codeSections } from '../elf/select.ts';
import { BPF_MAP_TYPE_PROG_ARRAY } from './constants.ts';
import { XdpError } from './errors.ts';

/** One PROG_ARRAY slot: map index (into the object's maps), key, and the program (index into `programs`). */
export interface ProgArraySlot {
  readonly map: number;
  readonly index: number;
  readonly program: number;
}

export interface TailCallTargets {
  /** The tail-call targets, linked; their numbers are 1..n (0 is the entry program). */
  readonly programs: readonly (ElfWithMaps & { readonly name: string })[];
  readonly slots: readonly ProgArraySlot[];
}

/** `jmp_table=0:xdp/parse,1:xdp/drop` -> the map and its slots. Throws XdpError. */
export function parseProgArraySpec(spec: string): { map: string; slots: { index: number; program: string }[] } {
  const m = /^([^=\s]+)=(.+)$/.exec(spec);
  const bad = (): XdpError => new XdpError(`--prog-array: '${spec}' is not of the form MAP=INDEX:PROGRAM[,INDEX:PROGRAM...] (PROGRAM: a section or function name)`);
  if (!m) throw bad();
  const slots = m[2]!.split(',').map((part) => {
    const s = /^(\d+):(\S+)$/.exec(part.trim());
    if (!s) throw bad();
    return { index: Number(s[1]), program: s[2]! };
  });
  return { map: m[1]!, slots };
}

/**
 * Load every program a PROG_ARRAY of the object names, from the initialisers
 * and `specs` (which win for the same slot). `entry` is the already loaded
 * entry program: a slot naming it gets number 0. Throws XdpError or ElfError.
 */
export function loadTailCallTargets(bytes: Uint8Array, file: string, entry: ElfWithMaps, specs: readonly string[]): TailCallTargets {
  const wanted = new Map<string, { map: number; index: number; program: string; how: string }>();
  entry.maps.forEach((def, map) => {
    if (def.type !== BPF_MAP_TYPE_PROG_ARRAY) return;
    for (const init of def.initial ?? []) {
      wanted.set(`${map}:${init.index}`, { map, index: init.index, program: init.symbol, how: `the initialiser of map '${def.name}'` });
    }
  });
  for (const spec of specs) {
    const parsed = parseProgArraySpec(spec);
    const map = entry.maps.findIndex((d) => d.name === parsed.map);
    const def = entry.maps[map];
    if (!def) throw new XdpError(`--prog-array ${spec}: ${file} has no map '${parsed.map}'; maps: ${entry.maps.map((d) => `'${d.name}'`).join(', ') || 'none'}`);
    if (def.type !== BPF_MAP_TYPE_PROG_ARRAY) throw new XdpError(`--prog-array ${spec}: map '${parsed.map}' is not a BPF_MAP_TYPE_PROG_ARRAY`);
    for (const s of parsed.slots) wanted.set(`${map}:${s.index}`, { map, index: s.index, program: s.program, how: `--prog-array ${spec}` });
  }
  if (wanted.size === 0) return { programs: [], slots: [] };

  const elf = readElf(bytes, file);
  const sections = new Set(codeSections(elf).map((s) => s.name));
  const functions = new Set(elf.symbols.filter((s) => s.type === STT_FUNC && s.name !== '').map((s) => s.name));
  const entryName = entry.section;
  const programs: (ElfWithMaps & { name: string })[] = [];
  const numbers = new Map<string, number>();
  const slots: ProgArraySlot[] = [];
  for (const w of wanted.values()) {
    const def = entry.maps[w.map]!;
    if (w.index >= def.maxEntries) {
      throw new XdpError(`${file}: ${w.how}: index ${w.index} is past map '${def.name}' (max_entries ${def.maxEntries})`);
    }
    let number = numbers.get(w.program);
    if (number === undefined) {
      const bySection = sections.has(w.program);
      if (!bySection && !functions.has(w.program)) {
        throw new XdpError(`${file}: ${w.how}: no program '${w.program}' (sections: ${[...sections].map((s) => `'${s}'`).join(', ')})`);
      }
      const loaded = loadElfWithMaps(bytes, { file, ...(bySection ? { section: w.program } : { symbol: w.program }) });
      const isEntry = loaded.section === entryName && loaded.program.entry === entry.program.entry;
      if (isEntry) {
        number = 0;
      } else {
        programs.push({ ...loaded, name: w.program });
        number = programs.length;
      }
      numbers.set(w.program, number);
    }
    slots.push({ map: w.map, index: w.index, program: number });
  }
  return { programs, slots };
}
