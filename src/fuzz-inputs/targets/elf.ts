// ELF objects (bpfgate run/disasm/xdp on a .o): the C fixtures compiled by
// clang, damaged the way a truncated download or a foreign tool would damage
// them. Structure-aware mutations aim at the fields a reader trusts: the
// file header, every section header, symbol and relocation entries, the BTF
// headers. Every entry point may only throw an ElfError naming the file.

import { ElfError, listPrograms, loadElf, loadElfWithMaps } from '../../elf/index.ts';
import { disassembleProgram } from '../../asm/index.ts';
import { crash, EXPECTED, type FuzzTarget } from '../engine.ts';
import { mutateBytes, randomBytes, type Field } from '../mutate.ts';
import { elfSamples } from '../samples.ts';

export interface ElfInput {
  readonly bytes: Uint8Array;
  /** Section or function to load, as a user would name it (may not exist). */
  readonly section?: string;
  readonly symbol?: string;
}

const FILE = 'fuzz.o';
const EHDR_FIELDS: readonly Field[] = [
  { offset: 4, size: 1 }, { offset: 5, size: 1 }, { offset: 16, size: 2 }, { offset: 18, size: 2 }, { offset: 0x28, size: 8 },
  { offset: 0x3a, size: 2 }, { offset: 0x3c, size: 2 }, { offset: 0x3e, size: 2 },
];
const SHDR_FIELDS = [[0, 4], [4, 4], [8, 8], [24, 8], [32, 8], [40, 4], [44, 4], [48, 8], [56, 8]] as const;
const SYM_FIELDS = [[0, 4], [4, 1], [5, 1], [6, 2], [8, 8], [16, 8]] as const;
const REL_FIELDS = [[0, 8], [8, 4], [12, 4]] as const;
const SHT_SYMTAB = 2;
const SHT_REL = 9;

/** The fields worth aiming at in a well-formed little-endian ELF64 object. */
export function elfFields(b: Uint8Array): Field[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const fields: Field[] = [...EHDR_FIELDS];
  const shoff = Number(v.getBigUint64(0x28, true));
  const shnum = v.getUint16(0x3c, true);
  const strndx = v.getUint16(0x3e, true);
  const shdr = (i: number): number => shoff + i * 64;
  const strtab = Number(v.getBigUint64(shdr(strndx) + 24, true));
  const name = (i: number): string => {
    let at = strtab + v.getUint32(shdr(i), true);
    let s = '';
    while (at < b.length && b[at] !== 0) s += String.fromCharCode(b[at++]!);
    return s;
  };
  for (let i = 0; i < shnum; i++) {
    const h = shdr(i);
    for (const [o, size] of SHDR_FIELDS) fields.push({ offset: h + o, size });
    const type = v.getUint32(h + 4, true);
    const off = Number(v.getBigUint64(h + 24, true));
    const size = Number(v.getBigUint64(h + 32, true));
    const table = type === SHT_SYMTAB ? [SYM_FIELDS, 24] as const : type === SHT_REL ? [REL_FIELDS, 16] as const : undefined;
    if (table) {
      for (let e = off; e + table[1] <= off + size; e += table[1]) for (const [o, s] of table[0]) fields.push({ offset: e + o, size: s });
    } else if (name(i).startsWith('.BTF')) {
      // Header and the first entries: offsets, lengths, kinds, counts.
      for (let o = 0; o < Math.min(size, 128); o += 4) fields.push({ offset: off + o, size: 4 });
    }
  }
  return fields;
}

const NAMES = ['xdp', '.text', 'prog', 'classifier', 'xdp_prog', 'main', 'entry', '', '.data', '.maps', 'license', 'xdp/'];

export const elfTarget: FuzzTarget<ElfInput> = {
  name: 'elf',
  describe: 'ELF objects -> listPrograms, loadElf (section/symbol), loadElfWithMaps',
  prepare() {
    const samples = elfSamples().map((bytes) => ({ bytes, fields: elfFields(bytes), programs: listPrograms(bytes) }));
    const all = samples.map((s) => s.bytes);
    return (rng) => {
      const s = rng.pick(samples);
      const bytes = rng.chance(0.97) ? mutateBytes(rng, s.bytes, { fields: s.fields, others: all }) : randomBytes(rng, 200);
      const prog = s.programs.length ? rng.pick(s.programs) : undefined;
      const roll = rng.int(0, 5);
      if (roll === 0 && prog) return { bytes, section: prog.section };
      if (roll === 1 && prog?.functions.length) return { bytes, symbol: rng.pick(prog.functions).name };
      if (roll === 2) return { bytes, [rng.chance(0.5) ? 'section' : 'symbol']: rng.pick(NAMES) };
      return { bytes };
    };
  },
  run({ bytes, section, symbol }) {
    listPrograms(bytes, { file: FILE });
    disassembleProgram(loadElf(bytes, { file: FILE, section, symbol }));
    loadElfWithMaps(bytes, { file: FILE, section, symbol });
  },
  judge(err) {
    if (!(err instanceof ElfError)) return crash('not an ElfError');
    if (err.file !== FILE) return crash(`ElfError names '${err.file}', not '${FILE}'`);
    if (err.offset !== undefined && !(Number.isSafeInteger(err.offset) && err.offset >= 0)) return crash(`ElfError at offset ${err.offset}`);
    return EXPECTED;
  },
};
