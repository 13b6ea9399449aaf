// Where an XDP run puts things in data memory (see src/isa/memory-map.ts):
//
//   dataBase: [globals][pad to 8][maps area][xdp_md (24 bytes)][frame ...]
//   frame:    hard_start [xdp_frame reserve 40][headroom ...][packet][tailroom][shinfo reserve 320] (4096 bytes)
//
// The packet starts at hard_start + 256 like the kernel's XDP_PACKET_HEADROOM;
// r1 holds the address of xdp_md, whose 32-bit data/data_end/data_meta hold
// full addresses (data memory is below 4 GiB), as the kernel's context
// rewrite would give. Only the frame up to the hard end (hard_start + 3776)
// is ever placed in memory, since nothing may be accessed past it.

import type { MapDefinition } from '../elf/maps.ts';
import type { MemoryMap } from '../isa/memory-map.ts';
import { packetOffset, type Program } from '../program.ts';
import { XDP_FRAME, XDP_MD } from './constants.ts';
import { XdpError } from './errors.ts';
import { placeMaps, type PlacedMap } from './map-table.ts';

export interface XdpLayout {
  readonly memoryMap: MemoryMap;
  readonly dataBase: number;
  readonly globalsBytes: number;
  /** Start of the XDP area (the maps), relative to dataBase: packetOffset(program). */
  readonly areaOffset: number;
  /** Absolute addresses from here on. */
  readonly mapsBase: number;
  readonly mapsBytes: number;
  readonly maps: readonly PlacedMap[];
  /** struct xdp_md. */
  readonly ctx: number;
  /** The frame: hard_start, the initial packet start, and the hard end adjust_tail may not pass. */
  readonly hardStart: number;
  readonly initialData: number;
  readonly hardEnd: number;
}

/** Which program a layout is for, in messages: the file and its program (section). */
export interface XdpLayoutSubject {
  readonly file: string;
  readonly section: string;
  /** Indexes of the maps the program (and its tail-call targets) refer to; others of unsupported types are left out. */
  readonly usedMaps: ReadonlySet<number>;
}

/** Plan a session's memory. Throws XdpError. */
export function planXdpMemory(program: Program, defs: readonly MapDefinition[], memoryMap: MemoryMap, subject: XdpLayoutSubject): XdpLayout {
  const where = subject.file;
  const dataBase = memoryMap.dataBase;
  const areaOffset = packetOffset(program);
  const mapsBase = dataBase + areaOffset;
  const { maps, bytes: mapsBytes } = placeMaps(defs, mapsBase, subject);
  const ctx = mapsBase + mapsBytes;
  const hardStart = ctx + ((XDP_MD.bytes + 7) & ~7);
  const hardEnd = hardStart + XDP_FRAME.frameBytes - XDP_FRAME.tailReserve;
  const needed = hardEnd - dataBase;
  if (needed > memoryMap.dataSize) {
    const globals = program.globals?.length ?? 0;
    const biggest = [...maps].sort((a, b) => b.bytes - a.bytes).slice(0, 3).map((m) => `'${m.def.name}' ${m.bytes} (max_entries ${m.def.maxEntries})`);
    throw new XdpError(
      `${where}: XDP needs ${needed} bytes of data memory but this engine's data memory holds ${memoryMap.dataSize}: ` +
        `maps ${mapsBytes} (${biggest.join(', ') || 'none'}), globals ${globals}, xdp_md ${XDP_MD.bytes}, frame ${hardEnd - hardStart}; ` +
        `shrink a map with --map-entries NAME=N or use the interpreter, whose memory fits the object`,
    );
  }
  return {
    memoryMap, dataBase, globalsBytes: program.globals?.length ?? 0, areaOffset, mapsBase, mapsBytes, maps, ctx,
    hardStart, initialData: hardStart + XDP_FRAME.headroom, hardEnd,
  };
}
