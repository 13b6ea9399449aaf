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
import { ERRNO, XDP_ABORTED, XDP_FRAME, XDP_MD, XDP_REDIRECT } from './constants.ts';
import { csumDiff } from './csum.ts';
import type { XdpEngineClock } from './engine.ts';
import { helperName, MAX_KNOWN_HELPER } from './helper-names.ts';
import type { XdpLayout } from './layout.ts';
import type { MapMemory, MapTable, PlacedMap } from './map-table.ts';
import { formatPrintk } from './printk.ts';

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
}

export interface XdpRunOutcome {
  redirect?: { ifindex: number };
  readonly log: string[];
}

export const HELPER = {
  mapLookupElem: 1, mapUpdateElem: 2, mapDeleteElem: 3, ktimeGetNs: 5, tracePrintk: 6, getPrandomU32: 7,
  getSmpProcessorId: 8, redirect: 23, csumDiff: 28, xdpAdjustHead: 44, xdpAdjustMeta: 54, xdpAdjustTail: 65,
  ktimeGetBootNs: 125, ktimeGetCoarseNs: 160, xdpGetBuffLen: 188, xdpLoadBytes: 189, xdpStoreBytes: 190,
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

  const memory = (ctx: HelperContext): MapMemory => ({
    read: (address, length) => ctx.read(BigInt(address), length),
    write: (address, data) => ctx.write(BigInt(address), data),
  });

  /** Read `size` bytes a pointer argument points at, after the verifier-style check. */
  const readArg = (ctx: HelperContext, what: string, ptr: bigint, size: number): Uint8Array => {
    vet(ctx, what, ptr, size, false);
    return ctx.read(ptr, size);
  };
  const vet = (ctx: HelperContext, what: string, ptr: bigint, size: number, write: boolean): void => {
    if (size === 0) return;
    if (ptr > 0xffffffffn) ctx.fail(`${helperName(ctx.id)}: ${what} = 0x${ptr.toString(16)} is not a valid pointer`);
    const reason = policy.check(Number(ptr), size, write);
    if (reason !== undefined) ctx.fail(`${helperName(ctx.id)}: ${what}: ${reason}`);
  };
  const mapArg = (ctx: HelperContext, r1: bigint): PlacedMap => {
    const m = r1 <= 0xffffffffn ? maps.map(Number(r1)) : undefined;
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

  table.set(HELPER.mapLookupElem, (r1, r2, _3, _4, _5, ctx) => {
    const m = mapArg(ctx, r1);
    return u64(maps.lookup(memory(ctx), m, readArg(ctx, 'key (r2)', r2, m.def.keySize)));
  });
  table.set(HELPER.mapUpdateElem, (r1, r2, r3, r4, _5, ctx) => {
    const m = mapArg(ctx, r1);
    const key = readArg(ctx, 'key (r2)', r2, m.def.keySize);
    const value = readArg(ctx, 'value (r3)', r3, m.def.valueSize);
    return u64(maps.update(memory(ctx), m, key, value, r4));
  });
  table.set(HELPER.mapDeleteElem, (r1, r2, _3, _4, _5, ctx) => {
    const m = mapArg(ctx, r1);
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
      return Buffer.from(out).toString('latin1');
    };
    const fmt = Buffer.from(bytes.subarray(0, bytes.indexOf(0))).toString('latin1');
    const text = formatPrintk(fmt, [r3, r4, r5], readString);
    env.outcome.log.push(text.replace(/\n$/, ''));
    return u64(text.length);
  });

  table.set(HELPER.redirect, (r1, r2) => {
    if (r2 !== 0n) return u64(XDP_ABORTED);
    env.outcome.redirect = { ifindex: u32(r1) };
    return u64(XDP_REDIRECT);
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
