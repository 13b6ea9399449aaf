// Source positions for each instruction from the BTF line info clang emits
// with -g (.BTF.ext "line_info", strings in .BTF). Much smaller than DWARF
// and enough for traces: file, line, column per instruction.
//
//   .BTF      header { u16 magic 0xeB9F; u8 version; u8 flags; u32 hdr_len;
//                      u32 type_off, type_len, str_off, str_len }  (offsets after header)
//   .BTF.ext  header { u16 magic; u8 version; u8 flags; u32 hdr_len;
//                      u32 func_info_off, func_info_len, line_info_off, line_info_len }
//   line_info: u32 rec_size, then per section { u32 sec_name_off; u32 num_info;
//              num_info x { u32 insn_off (bytes); u32 file_name_off; u32 line_off; u32 line_col } }
//   line_col = line << 10 | column.

import type { SourceRef } from '../program.ts';
import { SHT_PROGBITS } from './constants.ts';
import type { ElfObject, ElfSection } from './reader.ts';

const BTF_MAGIC = 0xeb9f;

export interface LineEntry {
  /** Byte offset of the instruction in its section. */
  readonly byteOffset: number;
  readonly source: SourceRef;
}

/** Section name -> line entries sorted by offset. Empty when the object has no BTF. */
export function readLineInfo(elf: ElfObject): Map<string, LineEntry[]> {
  const out = new Map<string, LineEntry[]>();
  const btf = elf.sections.find((s) => s.name === '.BTF');
  const ext = elf.sections.find((s) => s.name === '.BTF.ext');
  if (!btf || !ext || btf.type !== SHT_PROGBITS || ext.type !== SHT_PROGBITS) return out;

  const strings = btfStrings(elf, btf);
  const bytes = elf.contents(ext);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (what: string, at: number): Error => elf.error(`malformed .BTF.ext: ${what}`, ext.offset + at);
  const u32 = (at: number): number => {
    if (at + 4 > bytes.length) throw bad('truncated', at);
    return view.getUint32(at, true);
  };
  if (bytes.length < 8 || view.getUint16(0, true) !== BTF_MAGIC) throw bad('bad magic', 0);
  const hdrLen = u32(4);
  if (hdrLen < 24) return out; // no line_info in this header version
  const start = hdrLen + u32(16);
  const end = start + u32(20);
  if (end > bytes.length) throw bad(`line_info [${start}, ${end}) is outside the section`, 16);
  if (end === start) return out;
  const recSize = u32(start);
  if (recSize < 16) throw bad(`line_info record size ${recSize} < 16`, start);

  for (let at = start + 4; at < end; ) {
    const section = strings(u32(at), ext.offset + at);
    const count = u32(at + 4);
    at += 8;
    if (at + count * recSize > end) throw bad(`line_info for '${section}' overruns the table`, at);
    const list = out.get(section) ?? [];
    for (let i = 0; i < count; i++, at += recSize) {
      const lineCol = u32(at + 12);
      list.push({
        byteOffset: u32(at),
        source: { file: strings(u32(at + 4), ext.offset + at), line: lineCol >>> 10, column: lineCol & 0x3ff },
      });
    }
    out.set(section, list.sort((a, b) => a.byteOffset - b.byteOffset));
  }
  return out;
}

function btfStrings(elf: ElfObject, btf: ElfSection): (offset: number, at: number) => string {
  const bytes = elf.contents(btf);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 24 || view.getUint16(0, true) !== BTF_MAGIC) throw elf.error('malformed .BTF: bad header', btf.offset);
  const hdrLen = view.getUint32(4, true);
  const strStart = hdrLen + view.getUint32(16, true);
  const strEnd = strStart + view.getUint32(20, true);
  if (strEnd > bytes.length) throw elf.error('malformed .BTF: string table is outside the section', btf.offset + 16);
  const decoder = new TextDecoder();
  return (offset, at) => {
    const from = strStart + offset;
    const nul = bytes.indexOf(0, from);
    if (offset < 0 || from >= strEnd || nul < 0 || nul >= strEnd) {
      throw elf.error(`malformed .BTF.ext: string offset ${offset} is outside the .BTF string table`, at);
    }
    return decoder.decode(bytes.subarray(from, nul));
  };
}

/** Per-slot sources for the placed sections: each slot takes the last line entry at or before it. */
export function sourcesFor(
  lines: ReadonlyMap<string, readonly LineEntry[]>,
  placement: ReadonlyArray<{ section: ElfSection; base: number }>,
  totalSlots: number,
  slotBytes: number,
): (SourceRef | undefined)[] | undefined {
  if (lines.size === 0) return undefined;
  const out: (SourceRef | undefined)[] = new Array(totalSlots).fill(undefined);
  for (const { section, base } of placement) {
    const entries = lines.get(section.name) ?? [];
    let k = 0;
    let current: SourceRef | undefined;
    for (let slot = 0; slot < section.size / slotBytes; slot++) {
      while (k < entries.length && entries[k]!.byteOffset <= slot * slotBytes) {
        const source = entries[k++]!.source;
        // Line 0 marks compiler-made code with no source line of its own (DWARF/BTF convention).
        current = source.line === 0 ? undefined : source;
      }
      out[base + slot] = current;
    }
  }
  return out;
}
