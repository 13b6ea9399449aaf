// What a program may touch in an XDP run, the way the kernel verifier sees
// it: the stack, the globals, map values, the xdp_md context (aligned 32-bit
// reads only) and the packet between data_meta and data_end. Everything else
// in data memory (the headroom, the tail, map bookkeeping, padding) is out of
// bounds. bpfgate checks at run time what the verifier proves at load time,
// so a program the kernel would refuse faults on its first bad access.

import { XDP_FRAME, XDP_MD, XDP_MD_FIELD_NAMES } from './constants.ts';
import type { XdpLayout } from './layout.ts';
import { BPF_MAP_TYPE_CPUMAP, BPF_MAP_TYPE_DEVMAP } from './constants.ts';

/** Sparse maps whose values a program may read after a lookup (devmap and cpumap entries). */
const DEVMAP_LIKE: ReadonlySet<number> = new Set([BPF_MAP_TYPE_DEVMAP, BPF_MAP_TYPE_CPUMAP]);

/** The packet's current bounds, as absolute addresses (they move with adjust_head/meta/tail). */
export interface PacketBounds {
  meta: number;
  data: number;
  end: number;
}

/** Region of each data byte below the frame: these, or MAP_VALUE + n for the n-th map value; 0 is none. */
const CTX = 1;
const MAP_BOOKKEEPING = 2;
const VALUE_PADDING = 3;
const GLOBALS = 4;
const MAP_VALUE = 5;

export class AccessPolicy {
  /** Region per byte from dataBase up to the frame (one id per map value, so an access cannot run into the next one). */
  private readonly regions: Uint32Array;

  constructor(private readonly layout: XdpLayout, private readonly packet: PacketBounds) {
    const regions = new Uint32Array(layout.hardStart - layout.dataBase);
    regions.fill(GLOBALS, 0, layout.globalsBytes);
    regions.fill(MAP_BOOKKEEPING, layout.mapsBase - layout.dataBase, layout.ctx - layout.dataBase);
    let id = MAP_VALUE;
    for (const m of layout.maps) {
      // PROG_ARRAY and map-in-map values are fds to the kernel: a program can never read them.
      if (m.kind === 'sparse' && !DEVMAP_LIKE.has(m.def.type)) continue;
      for (let i = 0; i < m.slotCount; i++) {
        const value = m.slots + i * m.slotBytes + m.valueOffset - layout.dataBase;
        regions.fill(id++, value, value + m.def.valueSize);
        regions.fill(VALUE_PADDING, value + m.def.valueSize, value + ((m.def.valueSize + 7) & ~7));
      }
    }
    regions.fill(CTX, layout.ctx - layout.dataBase, layout.ctx - layout.dataBase + XDP_MD.bytes);
    this.regions = regions;
  }

  /** Why an access of `bytes` at `address` is not allowed, or undefined if it is. */
  check(address: number, bytes: number, write: boolean): string | undefined {
    const { layout, packet } = this;
    const d = address - layout.dataBase;
    // Not in data memory: the stack, or a fault the engine reports itself.
    if (d < 0 || d >= layout.memoryMap.dataSize) return undefined;
    if (address >= layout.hardStart) {
      if (address >= packet.meta && address + bytes <= packet.end) return undefined;
      return `${describeAccess(address, bytes, write)} ${this.outsidePacket(address, bytes)} (packet [0x${packet.data.toString(16)}, 0x${packet.end.toString(16)})` +
        `${packet.meta < packet.data ? `, metadata from 0x${packet.meta.toString(16)}` : ''}); the kernel verifier rejects such an access`;
    }
    const region = this.regions[d]!;
    let same = address + bytes <= layout.hardStart;
    for (let i = 1; same && i < bytes; i++) same = this.regions[d + i] === region;
    if (region >= GLOBALS && same) return undefined;
    if (region === CTX) return this.contextAccess(address, address - layout.ctx, bytes, write);
    // Refused: only now is the message worth building.
    const access = describeAccess(address, bytes, write);
    if (region === MAP_BOOKKEEPING) return `${access} is in map bookkeeping (a map descriptor, or a hash key or slot header), not in a map value`;
    if (region >= MAP_VALUE || region === VALUE_PADDING) return `${access} runs past the end of a map value`;
    if (region === GLOBALS) return `${access} runs past the end of the global variables`;
    return `${access} is not in the packet, the stack, a map value or the globals`;
  }

  private outsidePacket(address: number, bytes: number): string {
    const { packet, layout } = this;
    if (address >= packet.end) return `is ${address - packet.end} byte${address - packet.end === 1 ? '' : 's'} past data_end`;
    if (address + bytes > packet.end) return `runs ${address + bytes - packet.end} byte${address + bytes - packet.end === 1 ? '' : 's'} past data_end`;
    const before = packet.meta - address;
    const where = address < layout.hardStart + XDP_FRAME.frameReserve ? 'in the xdp_frame reserve of the headroom' : 'in the headroom';
    return `is ${where}, ${before} byte${before === 1 ? '' : 's'} before data_meta`;
  }

  private contextAccess(address: number, offset: number, bytes: number, write: boolean): string | undefined {
    if (write) {
      return `${describeAccess(address, bytes, write)} writes xdp_md.${XDP_MD_FIELD_NAMES[offset - (offset % 4)] ?? `offset ${offset}`}: the xdp_md context is read-only`;
    }
    if (bytes !== 4 || offset % 4 !== 0) {
      return `${describeAccess(address, bytes, write)} reads xdp_md at offset ${offset} with a ${bytes}-byte load: context fields must be read as whole aligned 32-bit words`;
    }
    if (offset === XDP_MD.egressIfindex) return `${describeAccess(address, bytes, write)} reads xdp_md.egress_ifindex, which only devmap programs may read`;
    return undefined;
  }
}

function describeAccess(address: number, bytes: number, write: boolean): string {
  return `${write ? 'write' : 'read'} of ${bytes} byte${bytes === 1 ? '' : 's'} at 0x${address.toString(16)}`;
}
