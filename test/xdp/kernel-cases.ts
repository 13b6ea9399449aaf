// Test support: the kernel differential's programs, packets and comparison,
// shared by every engine's differential test (kernel-differential.test.ts on
// the interpreter, kernel-differential-cpu.test.ts on the simulated CPU).
// Each case is a C program compiled by clang, loaded into the kernel
// (BPF_PROG_LOAD, maps from BPF_MAP_CREATE) and into a bpfgate session; both
// run the same packets (BPF_PROG_TEST_RUN vs the session's engine). The
// verdict, the packet out (metadata included) and, at the end, every map and
// the global variables must be identical.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { KernelCommandError, type KernelXdp } from '../../src/xdp/kernel/kernel-runner.ts';
import { loadIntoKernel, type KernelXdpProgram } from '../../src/xdp/kernel/kernel-program-loader.ts';
import { loadXdpObject, type LoadXdpOptions } from '../../src/xdp/object.ts';
import { XdpSession, type XdpSessionOptions } from '../../src/xdp/session.ts';
import type { XdpRunResult } from '../../src/xdp/result.ts';
import { REPO_ROOT } from '../../src/paths.ts';
import { readPcap } from '../../src/pcap/index.ts';
import { compileC, compileFixture } from './compile.ts';
import { concat, ip4, type Bytes } from '../../src/xdp/packet-builder.ts';
import { craftedPackets, mutations, probePackets, randomFrames, richPackets, truncations } from './packet-corpus.ts';

export interface MapWrite {
  readonly map: string;
  readonly key: Bytes;
  readonly value: Bytes;
}

export interface KernelCase {
  readonly name: string;
  /** The C file, when not test/fixtures/xdp/<name>.c. */
  readonly source?: string;
  readonly packets: () => Bytes[];
  /** Map entries the host writes before the first packet (on both sides). */
  readonly setup?: readonly MapWrite[];
  /** How to load it (the entry function, PROG_ARRAY contents). */
  readonly load?: Omit<LoadXdpOptions, 'file'>;
}

const crafted = craftedPackets();
const rich = richPackets();

function standard(seed: number): Bytes[] {
  return [...crafted, ...truncations(rich), ...mutations(crafted, 120, seed), ...randomFrames(40, seed + 1)];
}

/** Every frame shorter than an Ethernet header, cut from a real one. */
function runts(): Bytes[] {
  return Array.from({ length: 14 }, (_, n) => crafted[0]!.slice(0, n));
}

const le32 = (v: number): Bytes => Uint8Array.from([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24]);
const be32 = (v: number): Bytes => Uint8Array.from([v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
const be16 = (v: number): Bytes => Uint8Array.from([v >> 8, v & 0xff]);

/** lb_conntrack.c VIP: LPM key {u32 prefixlen, be32 address} -> pool base. */
function vip(addr: string, prefixlen: number, pool: number): MapWrite {
  return { map: 'vips', key: concat(le32(prefixlen), be32(ip4(addr))), value: le32(pool) };
}

/** firewall.c rule: key {saddr, proto, pad, dport}, value {action, pad, hits, bytes}. */
function rule(src: string, proto: number, dport: number, action: number): MapWrite {
  return { map: 'rules', key: concat(be32(ip4(src)), [proto, 0], be16(dport)), value: concat(le32(action), new Uint8Array(20)) };
}

export const KERNEL_CASES: readonly KernelCase[] = [
  { name: 'parse_count', packets: () => standard(1) },
  {
    name: 'firewall',
    packets: () => standard(2),
    setup: [rule('192.168.1.7', 6, 80, 1), rule('192.168.1.8', 0, 0, 1), rule('192.168.1.9', 17, 0, 2), rule('192.168.1.9', 0, 0, 1), rule('192.168.1.5', 17, 53, 1)],
  },
  { name: 'ttl_csum', packets: () => standard(3) },
  { name: 'udp_echo', packets: () => standard(4) },
  { name: 'icmp_echo', packets: () => standard(5) },
  { name: 'tcp_mss', packets: () => standard(6) },
  { name: 'ipip_encap', packets: () => standard(7) },
  { name: 'ipip_decap', packets: () => standard(8) },
  { name: 'counters_legacy', packets: () => standard(9) },
  { name: 'trim_pad', packets: () => standard(10) },
  { name: 'meta_tag', packets: () => standard(11) },
  // Runts (0-13 bytes) too: the kernel's test run refuses them (EINVAL), bpfgate must refuse them per packet.
  { name: 'flow_table', packets: () => [...standard(12), ...runts(), ...mutations(crafted, 100, 99)] },
  {
    name: 'ipv6_ext',
    packets: () => standard(13),
    setup: [{ map: 'blocked', key: le32(17), value: le32(1) }, { map: 'blocked', key: le32(58), value: le32(1) }],
  },
  { name: 'vlan_tag', packets: () => standard(14) },
  // Tail calls: a dispatcher through a PROG_ARRAY filled by its initialiser, and a self-call chain cut at 33 calls.
  { name: 'tail_dispatch', packets: () => standard(20), load: { symbol: 'dispatch' } },
  { name: 'tail_loop', packets: () => standard(21) },
  // Map types real projects use: LPM trie + LRU hashes, redirect maps, map-in-map, perf/ring buffer output.
  {
    name: 'lb_conntrack',
    packets: () => [...standard(22), ...mutations(crafted, 100, 23)],
    // Sized as a loader would (--map-entries) to fit the CPU build's 64 KiB data memory; still never full.
    load: { mapEntries: { conns: 1024 } },
    setup: [vip('10.1.0.0', 16, 0x0a640000), vip('10.1.2.0', 24, 0x0a650000), vip('10.0.0.0', 8, 0x0a660000), vip('172.16.0.1', 32, 0x0a670000)],
  },
  {
    name: 'redirect_ports',
    packets: () => standard(24),
    setup: [
      { map: 'ports', key: le32(1), value: le32(1) }, { map: 'ports', key: le32(5), value: le32(1) },
      { map: 'services', key: le32(0x35), value: le32(1) }, { map: 'cpus', key: le32(0), value: concat(le32(192), le32(0)) },
    ],
  },
  { name: 'map_in_map', packets: () => standard(25) },
  // A map sized by the loader (no max_entries in the object), small enough to fill up: the full hash refuses the rest.
  { name: 'sized_at_load', packets: () => standard(27), load: { mapEntries: { by_length: 16 } } },
  { name: 'events_out', packets: () => [...runts(), ...standard(26)] },
  // Maps of types bpfgate does not hold, unused by the program: the kernel loads the object, so must bpfgate.
  { name: 'unused_maps', packets: () => standard(19) },
  // Helper-free programs: these also run through Verilator (kernel-differential-verilator.test.ts).
  { name: 'header_rules', packets: () => standard(17) },
  { name: 'mac_swap', packets: () => standard(18) },
  { name: 'helper_probe', packets: () => [...probePackets(15), ...standard(15)] },
  {
    name: 'port_filter',
    source: resolve(REPO_ROOT, 'examples/xdp/port_filter.c'),
    packets: () => [...readPcap(readFileSync(resolve(REPO_ROOT, 'examples/xdp/sample.pcap'))).packets.map((p) => p.data), ...standard(16)],
    setup: [{ map: 'blocked', key: be16(22), value: Uint8Array.from([1]) }, { map: 'blocked', key: be16(53), value: Uint8Array.from([0]) }],
  },
];

/** The test's title for a case: the C file. */
export function caseTitle(c: KernelCase): string {
  return c.source ? c.source.slice(REPO_ROOT.length + 1) : `${c.name}.c`;
}

const FD_MAPS: ReadonlySet<number> = new Set([3, 12, 13, 17]);

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function firstDifference(a: Uint8Array, b: Uint8Array): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `lengths ${a.length}/${b.length}, first difference at byte ${i}`;
}

export interface Comparison {
  /** One line per mismatch (verdict, output, a map or the globals at the end). */
  readonly problems: string[];
  /** Packets run on both sides. */
  readonly packets: number;
}

/**
 * Run a case on the kernel and on a bpfgate session (`session` picks the
 * engine), optionally on a selection of its packets, and list every
 * difference.
 */
export async function compareWithKernel(
  kernel: KernelXdp,
  c: KernelCase,
  opts: {
    session?: XdpSessionOptions;
    select?: (packets: Bytes[]) => Bytes[];
    /** Sees every bpfgate result (cycles, instructions). */
    onRun?: (result: XdpRunResult) => void;
  } = {},
): Promise<Comparison> {
  const { bytes } = c.source ? await compileC(c.source) : await compileFixture(c.name);
  const obj = loadXdpObject(bytes, { file: `${c.name}.o`, ...c.load });
  const session = new XdpSession(obj, opts.session);
  const referee: KernelXdpProgram = await loadIntoKernel(kernel, obj);
  for (const w of c.setup ?? []) {
    session.map(w.map).update(w.key, w.value);
    await referee.update(w.map, w.key, w.value);
  }

  const all = c.packets();
  const packets = opts.select ? opts.select(all) : all;
  // The kernel's runs are pipelined; bpfgate's run one by one. Each side's maps evolve on their own.
  // A frame the kernel refuses (EINVAL) must be refused by bpfgate for the same reason.
  const expected = await Promise.all(packets.map((p) => referee.run(p).catch((e: unknown) => {
    if (e instanceof KernelCommandError) return e;
    throw e;
  })));
  const problems: string[] = [];
  for (const [i, packet] of packets.entries()) {
    const got = await session.run(packet);
    opts.onRun?.(got);
    const want = expected[i]!;
    const what = `packet ${i} (${packet.length} bytes: ${hex(packet.subarray(0, 48))}${packet.length > 48 ? '...' : ''})`;
    if (want instanceof KernelCommandError) {
      const agrees = want.errno === 22 && got.kind === 'refused' && got.reason === 'runt';
      if (!agrees) problems.push(`${what}: the kernel refused it (${want.message}); bpfgate gave ${got.kind === 'exit' ? got.actionName : `${got.kind}: ${got.message}`}`);
    } else if (got.kind !== 'exit') {
      problems.push(`${what}: bpfgate ${got.kind === 'fault' ? 'faulted' : 'refused it'} (${got.message}); the kernel returned ${want.retval}`);
    } else if (got.action !== want.retval) {
      problems.push(`${what}: verdict ${got.action} (${got.actionName}), kernel ${want.retval}`);
    } else if (hex(concat(got.meta, got.packet)) !== hex(want.output)) {
      problems.push(`${what}: output differs (${firstDifference(concat(got.meta, got.packet), want.output)})`);
    }
  }
  for (const name of session.mapNames) {
    // PROG_ARRAY, map-in-map and XSKMAP values are fds in the kernel (it dumps ids): compared by their effects only.
    if (FD_MAPS.has(session.map(name).def.type)) continue;
    const mine = session.map(name).entries().map((e) => `${hex(e.key)}:${hex(e.value)}`);
    const theirs = (await referee.dump(name)).map((e) => `${hex(e.key)}:${hex(e.value)}`);
    if (mine.join() !== theirs.join()) problems.push(`map '${name}' after the run: bpfgate [${mine.join(' ')}] kernel [${theirs.join(' ')}]`);
  }
  const kernelGlobals = await referee.globals();
  if (kernelGlobals !== undefined) {
    const mine = session.globalData();
    if (hex(mine) !== hex(kernelGlobals)) problems.push(`globals after the run: bpfgate ${hex(mine)} kernel ${hex(kernelGlobals)}`);
  }
  return { problems, packets: packets.length };
}
