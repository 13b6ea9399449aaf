// The map types beyond hash/array, on the interpreter: LRU eviction, LPM
// longest-prefix lookups, redirect maps (the result records verdict, map,
// key and target), map-in-map, perf event / ring buffer records, and data
// memory sized from the object (with --map-entries for fixed-memory CPUs).
// kernel-cases.ts runs the same fixtures against Linux.

import { beforeAll, describe, expect, it } from 'vitest';
import { createSimXdpEngine } from '../../src/xdp/cpu-engine.ts';
import { loadXdpObject, XdpSession, type XdpRunResult } from '../../src/xdp/index.ts';
import { compileFixture } from './compile.ts';
import { concat, eth, ip4, ipv4, udp } from '../../src/xdp/packet-builder.ts';

const le32 = (v: number): Uint8Array => Uint8Array.from([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24]);
const be32 = (v: number): Uint8Array => Uint8Array.from([v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
const udp4 = (dst: string, sport: number, dport: number): Uint8Array => eth(0x0800, ipv4({ proto: 17, dst: ip4(dst) }, udp(sport, dport, new Uint8Array(8))));
const exit = (r: XdpRunResult) => {
  if (r.kind !== 'exit') throw new Error(r.message);
  return r;
};

const objects: Record<string, Uint8Array> = {};
beforeAll(async () => {
  for (const name of ['lb_conntrack', 'redirect_ports', 'map_in_map', 'events_out', 'sized_at_load']) objects[name] = (await compileFixture(name)).bytes;
});
const load = (name: string, opts: Parameters<typeof loadXdpObject>[1] = {}) => loadXdpObject(objects[name]!, { file: `${name}.o`, ...opts });

describe('LRU_HASH and LPM_TRIE (lb_conntrack.c)', () => {
  it('finds the longest matching prefix', async () => {
    const s = new XdpSession(load('lb_conntrack'));
    s.map('vips').update(concat(le32(16), be32(ip4('10.1.0.0'))), le32(0x0a640000));
    s.map('vips').update(concat(le32(24), be32(ip4('10.1.2.0'))), le32(0x0a650000));
    const daddr = (r: XdpRunResult): string => exit(r).packet.subarray(30, 34).join('.');
    expect(daddr(await s.run(udp4('10.1.2.3', 1, 2)))).toBe('10.101.0.3');
    expect(daddr(await s.run(udp4('10.1.9.9', 1, 2)))).toBe('10.100.0.3');
    expect(exit(await s.run(udp4('10.2.0.1', 1, 2))).actionName).toBe('XDP_PASS');
    // Same prefix, other host bits: the same trie node, so the update replaces it.
    s.map('vips').update(concat(le32(24), be32(ip4('10.1.2.77'))), le32(0x0a680000));
    expect(s.map('vips').entries()).toHaveLength(2);
  });

  it('evicts the least recently used entry of a full LRU map', async () => {
    const s = new XdpSession(load('lb_conntrack', { mapEntries: { conns: 2 } }));
    const conns = s.map('conns');
    const flow = (n: number): Uint8Array => concat(le32(n), new Uint8Array(12));
    conns.update(flow(1), le32(1));
    conns.update(flow(2), le32(2));
    expect(conns.lookup(flow(1))).toEqual(le32(1)); // 1 is now more recent than 2
    conns.update(flow(3), le32(3));
    expect(conns.entries().map((e) => e.key[0])).toEqual([1, 3]);
  });
});

describe('redirect maps (redirect_ports.c)', () => {
  it('records the map, key and target of bpf_redirect_map, and gives the fallback verdict on a miss', async () => {
    const s = new XdpSession(load('redirect_ports'));
    s.map('ports').update(le32(5), le32(7));
    s.map('services').update(le32(0x35), le32(9));
    const hit = exit(await s.run(udp4('10.0.0.1', 9, 0x0005)));
    expect([hit.actionName, hit.redirect]).toEqual(['XDP_REDIRECT', { map: 'ports', key: 5, target: 7, ifindex: 7 }]);
    expect(exit(await s.run(udp4('10.0.0.1', 9, 0x0006))).actionName).toBe('XDP_DROP');
    expect(exit(await s.run(udp4('10.0.0.1', 9, 0x1035))).redirect).toEqual({ map: 'services', key: 0x35, target: 9, ifindex: 9 });
    expect(exit(await s.run(udp4('10.0.0.1', 9, 0x3000))).actionName).toBe('XDP_ABORTED');
    const xsk = exit(await s.run(eth(0x86dd, new Uint8Array(40))));
    expect([xsk.actionName, xsk.redirect]).toEqual(['XDP_PASS', undefined]);
  });
});

describe('map-in-map (map_in_map.c)', () => {
  it('fills the outer maps from the initialisers and looks up through them', async () => {
    const s = new XdpSession(load('map_in_map'));
    await s.run(eth(0x0800, ipv4({ proto: 6 }, new Uint8Array(20))));
    await s.run(udp4('10.0.0.1', 1, 2));
    await s.run(eth(0x0800, ipv4({ proto: 1 }, new Uint8Array(8))));
    const first = (name: string): number => s.map(name).entries()[0]!.value[0]!;
    expect([first('tcp_bytes'), first('udp_bytes'), first('other_bytes')]).toEqual([54, 50, 42]);
    expect(exit(await s.run(eth(0x0800, ipv4({ proto: 47 }, new Uint8Array(8))))).actionName).toBe('XDP_DROP');
  });

  it('refuses an inner map that does not match the template, naming both', async () => {
    const obj = load('map_in_map');
    const bad = { ...obj, maps: obj.maps.map((m) => (m.name === 'udp_bytes' ? { ...m, maxEntries: 5 } : m)) };
    expect(() => new XdpSession(bad)).toThrowError(
      /^map_in_map\.o: map-in-map 'by_slot' slot 1: inner map 'udp_bytes' \(BPF_MAP_TYPE_ARRAY \(2\), key 4, value 8, max_entries 5\) does not match the template/,
    );
  });
});

describe('PERF_EVENT_ARRAY and RINGBUF (events_out.c)', () => {
  it('records every output, and the ring fills up with no reader as the kernel\'s does', async () => {
    const s = new XdpSession(load('events_out'));
    const first = exit(await s.run(new Uint8Array(60).fill(0xab)));
    expect(first.events!.map((e) => `${e.helper} ${e.map} ${Buffer.from(e.data).toString('hex')}`)).toEqual([
      `perf_event_output samples 3c000000${'ab'.repeat(16)}`,
      'ringbuf_output ring 3c000000000000000100000000000000',
    ]);
    // 8-byte header + 16-byte record per output: 170 fit in 4096 - 1 bytes.
    let passes = 1;
    for (let i = 0; i < 200; i++) if (exit(await s.run(new Uint8Array(60))).actionName === 'XDP_PASS') passes++;
    expect(passes).toBe(170);
  });
});

describe('data memory', () => {
  it('is sized from the object on the interpreter (no 64 KiB cap)', async () => {
    const s = new XdpSession(load('lb_conntrack', { mapEntries: { conns: 100_000 } }));
    expect(s.memoryMap.dataSize).toBeGreaterThan(3_000_000);
    expect(exit(await s.run(udp4('10.1.2.3', 1, 2))).actionName).toBe('XDP_PASS');
  });

  it('on a CPU build, a map that does not fit is named with its bytes; --map-entries makes it fit', async () => {
    const engine = createSimXdpEngine();
    expect(() => new XdpSession(load('lb_conntrack'), { engine })).toThrowError(
      /^lb_conntrack\.o: XDP needs \d+ bytes of data memory but this engine's data memory holds 65536: maps \d+ \('conns' 65552 \(max_entries 2048\), .*--map-entries NAME=N/,
    );
    const s = new XdpSession(load('lb_conntrack', { mapEntries: { conns: 256 } }), { engine });
    expect(exit(await s.run(udp4('10.1.2.3', 1, 2))).actionName).toBe('XDP_PASS');
  });

  it('a map sized at load time (no max_entries) needs --map-entries, and then holds that many entries', async () => {
    expect(() => new XdpSession(load('sized_at_load'))).toThrowError(
      /'by_length'.* has max_entries 0 \(a loader sets it at run time: give it with --map-entries by_length=N\)$/,
    );
    const s = new XdpSession(load('sized_at_load', { mapEntries: { by_length: 2 } }));
    for (const n of [60, 61, 62, 60]) exit(await s.run(new Uint8Array(n)));
    // Two slots: the third length finds the map full (E2BIG), the repeat counts.
    expect(s.map('by_length').entries().map((e) => [e.key[0], e.value[0]])).toEqual([[60, 2], [61, 1]]);
  });

  it('refuses --map-entries for a map the object lacks', () => {
    expect(() => load('lb_conntrack', { mapEntries: { nope: 4 } })).toThrowError("--map-entries nope=4: lb_conntrack.o has no map 'nope'; maps: 'vips', 'conns', 'per_backend'");
  });
});
