// The kernel helpers an XDP program may call on bpfgate, with Linux's ids and
// return values (checked against Linux 6.18 by test/xdp). They touch memory
// only through the HelperContext, so any engine can serve them, and vet each
// pointer argument the way the verifier would.
//
// bpf_redirect records its target and returns XDP_REDIRECT (XDP_ABORTED for
// non-zero flags) like the kernel; nothing is sent anywhere.
// bpf_ktime_get_ns counts from the session's start at the engine's clock.
// bpf_get_prandom_u32 is a seeded generator, so runs repeat exactly.

import type { Helper, HelperContext, HelperTable } from '../interp/types.ts';
import type { AccessPolicy, PacketBounds } from './access.ts';
import {
  BPF_MAP_TYPE_DEVMAP, BPF_MAP_TYPE_DEVMAP_HASH, BPF_MAP_TYPE_PERF_EVENT_ARRAY, BPF_MAP_TYPE_PROG_ARRAY, BPF_MAP_TYPE_RINGBUF,
  ERRNO, MAX_TAIL_CALL_CNT, XDP_ABORTED, XDP_FRAME, XDP_MD, XDP_REDIRECT,
} from './constants.ts';
import { MAP_IN_MAP_TYPES } from './map-table.ts';
import { bytesLatin1 } from '../bytes.ts';
import { csumDiff } from './csum.ts';
import type { XdpEngineClock } from './engine.ts';
import { helperName, MAX_KNOWN_HELPER } from './helper-names.ts';
import type { XdpLayout } from './layout.ts';
import type { MapMemory, MapTable, PlacedMap } from './map-table.ts';
import { formatPrintk } from './printk.ts';
import { mapTypeName } from './constants.ts';

/**
 * What the helpers share with the session. The table is built once per
 * session; the fields marked "this run" are replaced before every run.
 */
export interface XdpHelperEnv {
  readonly layout: XdpLayout;
  /** This run's packet bounds; adjust_* move them. */
  readonly packet: PacketBounds;
  readonly maps: MapTable;
  readonly policy: AccessPolicy;
  /** This run's engine clock. */
  clock: XdpEngineClock;
  /** bpf_ktime_get_ns at the start of this run. */
  timeBaseNs: bigint;
  /** Next 32-bit pseudo-random number. */
  readonly random: () => number;
  /** This run's side effects, reported with the result. */
  outcome: XdpRunOutcome;
  /** Bytes written so far to each ring buffer (by map index): the kernel's ring fills up with no reader. */
  readonly ringUsed: Map<number, number>;
}

export interface XdpRunOutcome {
  redirect?: XdpRedirect;
  readonly log: string[];
  /** A bpf_tail_call that succeeded: the program to continue with (the run stops at the call). */
  tailCall?: number;
  /** Tail calls made so far in this packet's chain (the kernel allows MAX_TAIL_CALL_CNT). */
  tailCalls: number;
  /** Records written with bpf_perf_event_output / bpf_ringbuf_output. */
  readonly events: XdpEventRecord[];
}

/** One record a program wrote to a perf event array or ring buffer (nobody reads it: this is the record). */
export interface XdpEventRecord {
  readonly helper: 'perf_event_output' | 'ringbuf_output';
  readonly map: string;
  readonly data: Uint8Array;
}

/** Where bpf_redirect / bpf_redirect_map sent the packet (nothing is sent: this is the record). */
export interface XdpRedirect {
  /** bpf_redirect's ifindex, or a DEVMAP/DEVMAP_HASH entry's ifindex. */
  readonly ifindex?: number;
  /** bpf_redirect_map: the map, the key, and the entry's first u32 (ifindex, CPU's queue size, or 0 for an XSK socket). */
  readonly map?: string;
  readonly key?: number;
  readonly target?: number;
  /** BPF_F_BROADCAST: every entry of the map (except the ingress device with BPF_F_EXCLUDE_INGRESS). */
  readonly broadcast?: boolean;
}


export const HELPER = {
  mapLookupElem: 1, mapUpdateElem: 2, mapDeleteElem: 3, ktimeGetNs: 5, tracePrintk: 6, getPrandomU32: 7,
  getSmpProcessorId: 8, redirect: 23, csumDiff: 28, xdpAdjustHead: 44, xdpAdjustMeta: 54, xdpAdjustTail: 65,
  ktimeGetBootNs: 125, ktimeGetCoarseNs: 160, xdpGetBuffLen: 188, xdpLoadBytes: 189, xdpStoreBytes: 190,
  tailCall: 12, perfEventOutput: 25, redirectMap: 51, ringbufOutput: 130,
} as const;

/** Ids of the helpers bpfgate implements. */
export const SUPPORTED_HELPERS: ReadonlySet<number> = new Set(Object.values(HELPER));

/** Helpers whose result depends on the engine's clock. */
export const CLOCK_HELPERS: ReadonlySet<number> = new Set([HELPER.ktimeGetNs, HELPER.ktimeGetBootNs, HELPER.ktimeGetCoarseNs]);

const u64 = (n: number | bigint): bigint => BigInt.asUintN(64, BigInt(n));
const s32 = (r: bigint): number => Number(BigInt.asIntN(32, r));
const u32 = (r: bigint): number => Number(BigInt.asUintN(32, r));

/** The full helper table: every id has an entry; unsupported ones fault naming the helper. */
export function xdpHelpers(env: XdpHelperEnv): HelperTable {
  const table = new Map<number, Helper>();
  for (let id = 0; id <= MAX_KNOWN_HELPER; id++) {
    table.set(id, (_1, _2, _3, _4, _5, ctx) =>
      ctx.fail(`${helperName(id)} (helper ${id}) is not supported by bpfgate's XDP mode`));
  }
  const { layout, packet, maps, policy } = env;

  // Engines may hand every call the same context object: one MapMemory per context, not one per call.
  const memories = new WeakMap<HelperContext, MapMemory>();
  // The last context and its MapMemory: the interpreter passes the same context to every call.
  let lastCtx: HelperContext | undefined;
  let lastMem: MapMemory | undefined;
  const memory = (ctx: HelperContext): MapMemory => {
    if (ctx === lastCtx) return lastMem!;
    let mem = memories.get(ctx);
    if (mem === undefined) {
      mem = { read: (address, length) => ctx.read(BigInt(address), length), write: (address, data) => ctx.write(BigInt(address), data) };
      memories.set(ctx, mem);
    }
    lastCtx = ctx;
    lastMem = mem;
    return mem;
  };

  // Argument checks take a register as a bigint or, from a helper's numeric form, as a number below 2^32
  // (comparisons and toString(16) read the same either way).
  /** Read `size` bytes a pointer argument points at, after the verifier-style check. */
  const readArg = (ctx: HelperContext, what: string, ptr: bigint | number, size: number): Uint8Array => {
    vet(ctx, what, ptr, size, false);
    return ctx.read(BigInt(ptr), size);
  };
  /** The same as readArg, through the engine's view() when it has one: only to look at, and only until the next viewArg. */
  const viewArg = (ctx: HelperContext, what: string, ptr: bigint | number, size: number): Uint8Array => {
    vet(ctx, what, ptr, size, false);
    // vet leaves only pointers below 2^32 (or a size of 0, which read answers).
    return ctx.view && size > 0 ? ctx.view(Number(ptr), size) : ctx.read(BigInt(ptr), size);
  };
  const vet = (ctx: HelperContext, what: string, ptr: bigint | number, size: number, write: boolean): void => {
    if (size === 0) return;
    if (ptr > 0xffffffff) ctx.fail(`${helperName(ctx.id)}: ${what} = 0x${ptr.toString(16)} is not a valid pointer`);
    const reason = policy.check(Number(ptr), size, write);
    if (reason !== undefined) ctx.fail(`${helperName(ctx.id)}: ${what}: ${reason}`);
  };
  // The last map found by its handle: a program calls its few maps over and over.
  let lastHandle = -1;
  let lastMap: PlacedMap | undefined;
  const mapArg = (ctx: HelperContext, r1: bigint | number): PlacedMap => {
    if (r1 === lastHandle) return lastMap!;
    const m = r1 <= 0xffffffff ? maps.map(Number(r1)) : undefined;
    if (m) {
      lastHandle = Number(r1);
      lastMap = m;
    }
    if (!m) ctx.fail(`${helperName(ctx.id)}: r1 = 0x${r1.toString(16)} is not a map (pass the address of a map the program defines)`);
    return m;
  };
  const ctxArg = (ctx: HelperContext, r1: bigint): void => {
    if (r1 !== BigInt(layout.ctx)) {
      ctx.fail(`${helperName(ctx.id)}: r1 = 0x${r1.toString(16)} is not the xdp_md pointer the program was given (0x${layout.ctx.toString(16)})`);
    }
  };
  /** Publish moved bounds in xdp_md, where the program reads them. */
  const publish = (ctx: HelperContext): void => {
    const fields = new Uint8Array(12);
    const view = new DataView(fields.buffer);
    view.setUint32(XDP_MD.data, packet.data, true);
    view.setUint32(XDP_MD.dataEnd, packet.end, true);
    view.setUint32(XDP_MD.dataMeta, packet.meta, true);
    ctx.write(BigInt(layout.ctx), fields);
  };
  const frameFloor = layout.hardStart + XDP_FRAME.frameReserve;

  /** The verifier refuses these helpers on PROG_ARRAY, ring buffers and perf event arrays. */
  const dataMap = (ctx: HelperContext, m: PlacedMap): void => {
    if (m.def.type === BPF_MAP_TYPE_PROG_ARRAY || m.kind === 'events') {
      ctx.fail(`${helperName(ctx.id)} on map '${m.def.name}' (${mapTypeName(m.def.type)}): the kernel verifier refuses this helper for this map type`);
    }
  };
  /** The value's address (below 4 GiB), 0 for none; a map of maps gives the inner map itself (its handle). */
  const mapLookup = (r1: bigint | number, r2: bigint | number, ctx: HelperContext): number => {
    const m = mapArg(ctx, r1);
    dataMap(ctx, m);
    const mem = memory(ctx);
    // The key is only looked at (lookup copies what it keeps), so a view of it will do.
    const at = maps.lookup(mem, m, viewArg(ctx, 'key (r2)', r2, m.def.keySize));
    if (at !== 0 && MAP_IN_MAP_TYPES.has(m.def.type)) return new DataView(mem.read(at, 4).buffer).getUint32(0, true);
    return at;
  };
  // The hottest helper, so it has a numeric form (no BigInt per call on the interpreter).
  table.set(HELPER.mapLookupElem, Object.assign((r1: bigint, r2: bigint, _3: bigint, _4: bigint, _5: bigint, ctx: HelperContext) => u64(mapLookup(r1, r2, ctx)), {
    numeric: (r1: number, r2: number, _3: number, _4: number, _5: number, ctx: HelperContext) => mapLookup(r1, r2, ctx),
  }));
  table.set(HELPER.mapUpdateElem, (r1, r2, r3, r4, _5, ctx) => {
    const m = mapArg(ctx, r1);
    dataMap(ctx, m);
    if (m.kind === 'sparse' || MAP_IN_MAP_TYPES.has(m.def.type) || m.def.type === BPF_MAP_TYPE_DEVMAP_HASH) {
      ctx.fail(`${helperName(ctx.id)} on map '${m.def.name}' (${mapTypeName(m.def.type)}): the kernel verifier refuses updates of this map type from an XDP program`);
    }
    const key = readArg(ctx, 'key (r2)', r2, m.def.keySize);
    const value = readArg(ctx, 'value (r3)', r3, m.def.valueSize);
    return u64(maps.update(memory(ctx), m, key, value, r4));
  });
  table.set(HELPER.mapDeleteElem, (r1, r2, _3, _4, _5, ctx) => {
    const m = mapArg(ctx, r1);
    dataMap(ctx, m);
    return u64(maps.delete(memory(ctx), m, readArg(ctx, 'key (r2)', r2, m.def.keySize)));
  });

  const now = (): bigint => env.timeBaseNs + env.clock.elapsedNs();
  table.set(HELPER.ktimeGetNs, now);
  table.set(HELPER.ktimeGetBootNs, now);
  table.set(HELPER.ktimeGetCoarseNs, now);
  table.set(HELPER.getPrandomU32, () => BigInt(env.random() >>> 0));
  table.set(HELPER.getSmpProcessorId, () => 0n);

  table.set(HELPER.tracePrintk, (r1, r2, r3, r4, r5, ctx) => {
    const size = u32(r2);
    const bytes = readArg(ctx, 'fmt (r1)', r1, size);
    if (size === 0 || bytes[size - 1] !== 0) return u64(-ERRNO.EINVAL);
    const readString = (address: bigint): string => {
      const out: number[] = [];
      for (let i = 0; i < 256; i++) {
        const b = readArg(ctx, '%s argument', address + BigInt(i), 1)[0]!;
        if (b === 0) break;
        out.push(b);
      }
      return bytesLatin1(out);
    };
    const fmt = bytesLatin1(bytes.subarray(0, bytes.indexOf(0)));
    const text = formatPrintk(fmt, [r3, r4, r5], readString);
    env.outcome.log.push(text.replace(/\n$/, ''));
    return u64(text.length);
  });

  table.set(HELPER.redirect, (r1, r2) => {
    if (r2 !== 0n) return u64(XDP_ABORTED);
    env.outcome.redirect = { ifindex: u32(r1) };
    return u64(XDP_REDIRECT);
  });

  table.set(HELPER.tailCall, (r1, r2, r3, _4, _5, ctx) => {
    ctxArg(ctx, r1);
    const m = mapArg(ctx, r2);
    if (m.def.type !== BPF_MAP_TYPE_PROG_ARRAY) ctx.fail(`bpf_tail_call: map '${m.def.name}' is a ${mapTypeName(m.def.type)}, not a BPF_MAP_TYPE_PROG_ARRAY`);
    // The kernel's checks, in its order: index in range, chain under the limit, a program in the slot. Any failure falls through.
    const index = u32(r3);
    if (index >= m.def.maxEntries || env.outcome.tailCalls >= MAX_TAIL_CALL_CNT) return u64(-ERRNO.ENOENT);
    const mem = memory(ctx);
    const slot = m.slots + index * m.slotBytes;
    if (mem.read(slot, 1)[0] === 0) return u64(-ERRNO.ENOENT);
    env.outcome.tailCalls++;
    env.outcome.tailCall = new DataView(mem.read(slot + m.valueOffset, 4).buffer).getUint32(0, true);
    ctx.stop(0n);
    return 0n;
  });

  table.set(HELPER.redirectMap, (r1, r2, r3, _4, _5, ctx) => {
    const m = mapArg(ctx, r1);
    // net/core/filter.c __bpf_xdp_redirect_map: the low bits are the verdict on a miss (up to XDP_TX).
    const BROADCAST = 1n << 3n;
    const EXCLUDE_INGRESS = 1n << 4n;
    const isDevmap = m.def.type === BPF_MAP_TYPE_DEVMAP || m.def.type === BPF_MAP_TYPE_DEVMAP_HASH;
    const allowed = 3n | (isDevmap ? BROADCAST | EXCLUDE_INGRESS : 0n);
    if ((r3 & ~allowed) !== 0n || m.kind !== 'sparse' && m.def.type !== BPF_MAP_TYPE_DEVMAP_HASH) {
      if (m.kind !== 'sparse' && m.def.type !== BPF_MAP_TYPE_DEVMAP_HASH) {
        ctx.fail(`bpf_redirect_map: map '${m.def.name}' is a ${mapTypeName(m.def.type)}; redirects go through a DEVMAP, DEVMAP_HASH, CPUMAP or XSKMAP`);
      }
      return u64(XDP_ABORTED);
    }
    if ((r3 & BROADCAST) !== 0n) {
      env.outcome.redirect = { map: m.def.name, broadcast: true };
      return u64(XDP_REDIRECT);
    }
    const key = new Uint8Array(4);
    new DataView(key.buffer).setUint32(0, u32(r2), true);
    const mem = memory(ctx);
    const at = m.def.keySize === 4 ? maps.lookup(mem, m, key) : 0;
    if (at === 0) return r3 & 3n;
    const target = new DataView(mem.read(at, 4).buffer).getUint32(0, true);
    env.outcome.redirect = { map: m.def.name, key: u32(r2), target, ...(isDevmap ? { ifindex: target } : {}) };
    return u64(XDP_REDIRECT);
  });

  const record = (helper: XdpEventRecord['helper'], m: PlacedMap, data: Uint8Array): void => {
    env.outcome.events.push({ helper, map: m.def.name, data });
  };
  table.set(HELPER.perfEventOutput, (r1, r2, r3, r4, r5, ctx) => {
    ctxArg(ctx, r1);
    const m = mapArg(ctx, r2);
    if (m.def.type !== BPF_MAP_TYPE_PERF_EVENT_ARRAY) ctx.fail(`bpf_perf_event_output: map '${m.def.name}' is a ${mapTypeName(m.def.type)}, not a BPF_MAP_TYPE_PERF_EVENT_ARRAY`);
    const index = r3 & 0xffffffffn;
    const ctxLength = Number((r3 >> 32n) & 0xfffffn);
    // BPF_F_INDEX_MASK | BPF_F_CTXLEN_MASK; the index is a CPU: 0 or BPF_F_CURRENT_CPU on bpfgate's one CPU.
    if ((r3 & ~0xfffff_ffffffffn) !== 0n) return u64(-ERRNO.EINVAL);
    if (index !== 0xffffffffn && index !== 0n) return u64(-ERRNO.E2BIG);
    const data = readArg(ctx, 'data (r4)', r4, u32(r5));
    if (ctxLength > packet.end - packet.data) return u64(-ERRNO.EFAULT);
    const sample = new Uint8Array(data.length + ctxLength);
    sample.set(data);
    sample.set(ctx.read(BigInt(packet.data), ctxLength), data.length);
    record('perf_event_output', m, sample);
    return 0n;
  });
  table.set(HELPER.ringbufOutput, (r1, r2, r3, r4, _5, ctx) => {
    const m = mapArg(ctx, r1);
    if (m.def.type !== BPF_MAP_TYPE_RINGBUF) ctx.fail(`bpf_ringbuf_output: map '${m.def.name}' is a ${mapTypeName(m.def.type)}, not a BPF_MAP_TYPE_RINGBUF`);
    if ((r4 & ~3n) !== 0n) return u64(-ERRNO.EINVAL);
    const data = readArg(ctx, 'data (r2)', r2, u32(r3));
    // kernel/bpf/ringbuf.c: an 8-byte header per record, lengths rounded up to 8; with no reader the ring fills up.
    const used = env.ringUsed.get(m.index) ?? 0;
    const next = used + 8 + ((data.length + 7) & ~7);
    if (next > m.def.maxEntries - 1) return u64(-ERRNO.EAGAIN);
    env.ringUsed.set(m.index, next);
    record('ringbuf_output', m, data);
    return 0n;
  });

  table.set(HELPER.csumDiff, (r1, r2, r3, r4, r5, ctx) => {
    // The verifier bounds both sizes by their buffers; readArg checks the same at run time.
    const fromSize = u32(r2);
    const toSize = u32(r4);
    const from = readArg(ctx, 'from (r1)', r1, fromSize);
    const to = readArg(ctx, 'to (r3)', r3, toSize);
    return u64(csumDiff(from, to, u32(r5)));
  });

  table.set(HELPER.xdpAdjustHead, (r1, r2, _3, _4, _5, ctx) => {
    ctxArg(ctx, r1);
    const delta = s32(r2);
    const metaLength = packet.data - packet.meta;
    const data = packet.data + delta;
    if (data < frameFloor + metaLength || data > packet.end - XDP_FRAME.minPacketBytes) return u64(-ERRNO.EINVAL);
    if (metaLength > 0) ctx.write(BigInt(packet.meta + delta), ctx.read(BigInt(packet.meta), metaLength));
    packet.meta += delta;
    packet.data = data;
    publish(ctx);
    return 0n;
  });

  table.set(HELPER.xdpAdjustMeta, (r1, r2, _3, _4, _5, ctx) => {
    ctxArg(ctx, r1);
    const meta = packet.meta + s32(r2);
    if (meta < frameFloor || meta > packet.data) return u64(-ERRNO.EINVAL);
    const length = packet.data - meta;
    if ((length & 3) !== 0 || length > XDP_FRAME.maxMetaBytes) return u64(-ERRNO.EACCES);
    packet.meta = meta;
    publish(ctx);
    return 0n;
  });

  table.set(HELPER.xdpAdjustTail, (r1, r2, _3, _4, _5, ctx) => {
    ctxArg(ctx, r1);
    const delta = s32(r2);
    const end = packet.end + delta;
    if (end > layout.hardEnd || end < packet.data + XDP_FRAME.minPacketBytes) return u64(-ERRNO.EINVAL);
    // The kernel clears what it adds: the tail could hold stale bytes.
    if (delta > 0) ctx.write(BigInt(packet.end), new Uint8Array(delta));
    packet.end = end;
    publish(ctx);
    return 0n;
  });

  table.set(HELPER.xdpGetBuffLen, (r1, _2, _3, _4, _5, ctx) => {
    ctxArg(ctx, r1);
    return u64(packet.end - packet.data);
  });

  /** The kernel's bpf_xdp_pointer bounds: offset and length each below 64 KiB, and inside the packet. */
  const packetRange = (offset: number, length: number): number => {
    if (offset > 0xffff || length > 0xffff) return -ERRNO.EFAULT;
    if (offset + length > packet.end - packet.data) return -ERRNO.EINVAL;
    return 0;
  };
  table.set(HELPER.xdpLoadBytes, (r1, r2, r3, r4, _5, ctx) => {
    ctxArg(ctx, r1);
    const offset = u32(r2);
    const length = u32(r4);
    const err = packetRange(offset, length);
    if (err !== 0) return u64(err);
    vet(ctx, 'buf (r3)', r3, length, true);
    ctx.write(r3, ctx.read(BigInt(packet.data + offset), length));
    return 0n;
  });
  table.set(HELPER.xdpStoreBytes, (r1, r2, r3, r4, _5, ctx) => {
    ctxArg(ctx, r1);
    const offset = u32(r2);
    const length = u32(r4);
    const err = packetRange(offset, length);
    if (err !== 0) return u64(err);
    ctx.write(BigInt(packet.data + offset), readArg(ctx, 'buf (r3)', r3, length));
    return 0n;
  });
  return table;
}
