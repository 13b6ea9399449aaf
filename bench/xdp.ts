// XDP throughput: packets per second for test/fixtures/xdp/firewall.c (a hash
// map of rules, an array of verdict counters) on the interpreter, checked and
// unchecked (per CPU second), in the Linux kernel (BPF_PROG_TEST_RUN's own timing with
// repeat), and on the bpfgate CPU: cycles per packet on the simulated CPU,
// turned into packets per second at the iCEBreaker's 12 MHz by
// packetsPerSecond (src/xdp/throughput.ts).
// Run alone with `npx tsx bench/xdp.ts`; bench/main.ts merges benchXdp().

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../src/paths.ts';
import { KernelUnavailableError, KernelXdp } from '../src/xdp/kernel/kernel-runner.ts';
import { loadIntoKernel } from '../src/xdp/kernel/kernel-program-loader.ts';
import { ICEBREAKER_HZ, loadXdpObject, packetsPerSecond, XdpSession, type XdpObject } from '../src/xdp/index.ts';
import { createSimXdpEngine } from '../src/xdp/cpu-engine.ts';
import { concat, eth, ip4, ipv4, tcp, TCP, udp } from '../src/xdp/packet-builder.ts';

/** Measure each engine for at least this long. */
const MIN_SECONDS = 0.5;
const KERNEL_REPEAT = 200_000;

export async function compileFirewall(): Promise<XdpObject> {
  const source = resolve(REPO_ROOT, 'test/fixtures/xdp/firewall.c');
  const out = join(mkdtempSync(join(tmpdir(), 'bpfgate-bench-xdp-')), 'firewall.o');
  try {
    await promisify(execFile)('clang', ['-O2', '-g', '-target', 'bpf', '-c', source, '-o', out]);
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    throw new Error(err.code === 'ENOENT' ? "clang is not installed: install the Debian package 'clang'" : `clang failed: ${err.stderr ?? err.message}`);
  }
  return loadXdpObject(new Uint8Array(readFileSync(out)), { file: 'firewall.o' });
}

/** A traffic mix: TCP and UDP from a few sources, one in four matching a drop rule. */
export function traffic(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < 16; i++) {
    const ip = { proto: i % 2 ? 17 : 6, src: ip4(`192.168.1.${4 + (i % 4)}`) };
    const l4 = i % 2 ? udp(5000 + i, 53, new Uint8Array(32), ip) : tcp({ dport: 80, flags: TCP.ACK }, new Uint8Array(64), ip);
    out.push(eth(0x0800, ipv4(ip, l4)));
  }
  return out;
}

/** DROP TCP from 192.168.1.7 to port 80. */
export const RULE_KEY = Uint8Array.from([192, 168, 1, 7, 6, 0, 0, 80]);
export const RULE_DROP = concat([1, 0, 0, 0], new Uint8Array(20));

/** CPU seconds of this process so far: the figure does not depend on how busy the machine is. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * Packets per CPU second on the interpreter, the way a throughput user runs
 * it: runSync (no promise per packet), no map snapshot per result and the
 * result's packet a view valid until the next run (packetCopies: false).
 */
async function interpPps(obj: XdpObject, packets: readonly Uint8Array[], check: boolean): Promise<{ pps: number; insns: number }> {
  const session = new XdpSession(obj, { check, mapSnapshots: false, packetCopies: false });
  session.map('rules').update(RULE_KEY, RULE_DROP);
  for (let i = 0; i < 20_000; i++) session.runSync(packets[i % packets.length]!); // warm up (the JIT settles)
  let n = 0;
  let insns = 0;
  const start = cpuSeconds();
  while (cpuSeconds() - start < MIN_SECONDS) {
    for (let i = 0; i < 64; i++) {
      for (const p of packets) {
        const r = session.runSync(p);
        if (r.kind !== 'exit') throw new Error(`firewall ${r.kind === 'fault' ? 'faulted' : 'was refused'} in the benchmark: ${r.message}`);
        insns += r.insns ?? 0;
        n++;
      }
    }
  }
  return { pps: Math.round(n / (cpuSeconds() - start)), insns: insns / n };
}

/**
 * Mean cycles per packet of the traffic mix on the simulated CPU (cycle
 * counts are exact: one pass suffices). Helper calls are answered in the
 * cycle they are made, so a board's helper time is not included.
 */
async function simCyclesPerPacket(obj: XdpObject, packets: readonly Uint8Array[]): Promise<number> {
  const session = new XdpSession(obj, { engine: createSimXdpEngine({ clockHz: ICEBREAKER_HZ }) });
  session.map('rules').update(RULE_KEY, RULE_DROP);
  let cycles = 0;
  for (const p of packets) {
    const r = await session.run(p);
    if (r.kind !== 'exit') throw new Error(`firewall ${r.kind === 'fault' ? 'faulted' : 'was refused'} on the simulated CPU: ${r.message}`);
    if (r.cycles === undefined) throw new Error('the simulated CPU reported no cycle count');
    cycles += r.cycles;
  }
  return cycles / packets.length;
}

async function kernelPps(obj: XdpObject, packets: readonly Uint8Array[]): Promise<number> {
  const kernel = await KernelXdp.open();
  try {
    const prog = await loadIntoKernel(kernel, obj);
    await prog.update('rules', RULE_KEY, RULE_DROP);
    let ns = 0;
    for (const p of packets) ns += (await prog.run(p, KERNEL_REPEAT)).durationNs;
    return Math.round(1e9 / (ns / packets.length));
  } finally {
    kernel.close();
  }
}

export async function benchXdp(): Promise<Record<string, number>> {
  const obj = await compileFirewall();
  const packets = traffic();
  const checked = await interpPps(obj, packets, true);
  const fast = await interpPps(obj, packets, false);
  const out: Record<string, number> = {
    'xdp.firewall.interp_pps': checked.pps,
    'xdp.firewall.interp_unchecked_pps': fast.pps,
    'xdp.firewall.insns_per_packet': Number(checked.insns.toFixed(1)),
  };
  const cycles = await simCyclesPerPacket(obj, packets);
  out['xdp.firewall.sim_cycles_per_packet'] = Number(cycles.toFixed(1));
  out['xdp.firewall.sim_pps_at_12mhz'] = Math.round(packetsPerSecond(cycles, ICEBREAKER_HZ));
  try {
    out['xdp.firewall.kernel_pps'] = await kernelPps(obj, packets);
  } catch (e) {
    if (!(e instanceof KernelUnavailableError)) throw e;
    process.stderr.write(`bench: xdp: no kernel figure: ${e.message}\n`);
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const [key, value] of Object.entries(await benchXdp())) console.log(`${key}: ${value}`);
}
