// `bpfgate xdp` as a user meets it: a process, real files (an object from
// clang, a pcap), its output and exit code, and one clear line for each kind
// of bad input.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { readPcap, writePcap } from '../../src/pcap/index.ts';
import { REPO_ROOT } from '../../src/paths.ts';
import { compileFixture } from './compile.ts';
import { concat, eth, ip4, ipv4, tcp, TCP, udp } from '../../src/xdp/packet-builder.ts';

const run = promisify(execFile);
const BIN = resolve(REPO_ROOT, 'bin/bpfgate.mjs');

interface Outcome { code: number; stdout: string; stderr: string }

async function bpfgate(args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'xdp', ...args], { cwd: REPO_ROOT, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const dir = mkdtempSync(join(tmpdir(), 'bpfgate-xdp-cli-'));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const tcpTo = (src: string, dport: number): Uint8Array => {
  const ip = { proto: 6, src: ip4(src) };
  return eth(0x0800, ipv4(ip, tcp({ dport, flags: TCP.SYN }, new Uint8Array(0), ip)));
};
const packets = [tcpTo('192.168.1.7', 80), tcpTo('192.168.1.7', 443), eth(0x0800, ipv4({ proto: 17 }, udp(1, 53, new Uint8Array(4)))), eth(0x0806, new Uint8Array(28))];
/** firewall.c rule: DROP TCP from 192.168.1.7 to port 80. */
const RULE = `rules:${hex(concat([192, 168, 1, 7, 6, 0, 0, 80]))}=${hex(concat([1, 0, 0, 0], new Uint8Array(20)))}`;

let firewall: string;
beforeAll(async () => {
  firewall = (await compileFixture('firewall')).path;
});

describe('bpfgate xdp', () => {
  it('runs every packet of a pcap, prints verdicts, a summary and the maps, and writes the packets out', async () => {
    const pcap = join(dir, 'in.pcap');
    writeFileSync(pcap, writePcap(packets.map((data) => ({ data }))));
    const outPcap = join(dir, 'out.pcap');
    const out = await bpfgate([firewall, '--pcap', pcap, '-m', RULE, '--dump-maps', '-o', outPcap]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^packet 1: XDP_DROP +54 bytes +\d+ insns$/m);
    expect(out.stdout).toMatch(/^packet 2: XDP_PASS +54 bytes +\d+ insns$/m);
    expect(out.stdout).toMatch(/^packet 4: XDP_PASS +42 bytes +\d+ insns$/m);
    expect(out.stdout).toMatch(/^4 packets: XDP_DROP 1, XDP_PASS 3$/m);
    expect(out.stdout).toMatch(/^instructions per packet: min \d+, mean \d+\.\d, max \d+$/m);
    expect(out.stdout).toMatch(/^packets per second: the interp engine counts no cycles/m);
    expect(out.stdout).toMatch(/^map rules \(hash, 1 entry\):\n {2}c0a8010706000050: 01000000000000000100000000000000360000000000000/m);
    expect(out.stdout).toMatch(/^map verdicts \(array, 5 entries\):\n(?: {2}.*\n){1}  01000000: 0100000000000000\n  02000000: 0300000000000000$/m);
    expect(readPcap(readFileSync(outPcap)).packets.map((p) => hex(p.data))).toEqual(packets.map(hex));
    expect(out.stdout).toMatch(/^wrote 4 packets to .*out\.pcap$/m);
  });

  it('names the pcap it cannot write, and why', async () => {
    const out = await bpfgate([firewall, '-p', hex(packets[0]!), '-o', join(dir, 'no-such-folder', 'out.pcap')]);
    expect(out.code).toBe(1);
    expect(out.stderr.trim()).toMatch(/^bpfgate: cannot write pcap .*no-such-folder\/out\.pcap: its folder does not exist$/);
  });

  it('takes packets as hex, and prints them out with --verbose', async () => {
    const out = await bpfgate([firewall, '-p', hex(packets[0]!), '-p', hex(packets[3]!).replace(/(..)/g, '$1 '), '-v']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^packet 2: XDP_PASS +42 bytes/m);
    expect(out.stdout).toContain(`  out: ${hex(packets[3]!)}\n`);
  });

  it('reports a fault with the instruction and source line, and exits 2', async () => {
    const bad = (await compileFixture('bad/past_end')).path;
    const out = await bpfgate([bad, '-p', hex(new Uint8Array(60))]);
    expect(out.code).toBe(2);
    expect(out.stdout).toMatch(/^packet 1: fault: pc 1: ldxb %r1, \[%r1\+100\] .* is 40 bytes past data_end .*past_end\.c:\d+:\d+\)$/m);
    expect(out.stdout).toMatch(/^1 packet: fault 1$/m);
  });

  it('shows redirects and perf/ring buffer records, and --map-entries resizes a map', async () => {
    const redirect = (await compileFixture('redirect_ports')).path;
    const toPort5 = eth(0x0800, ipv4({ proto: 17 }, udp(9, 5, new Uint8Array(8))));
    const out = await bpfgate([redirect, '-p', hex(toPort5), '-m', 'ports:05000000=07000000', '--map-entries', 'ports=6', '--dump-maps']);
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/^packet 1: XDP_REDIRECT via ports\[5\] to ifindex 7 /m);
    expect(out.stdout).toMatch(/^map ports \(sparse, 1 entry\):$/m);
    const events = (await compileFixture('events_out')).path;
    const ev = await bpfgate([events, '-p', hex(new Uint8Array(20).fill(0xab))]);
    expect(ev.stdout).toContain(`  perf_event_output: samples: 20 bytes: 14000000${'ab'.repeat(16)}\n`);
    expect(ev.stdout).toContain('  ringbuf_output: ring: 16 bytes: 14000000000000000100000000000000\n');
  });

  it('refuses a runt and a multi-buffer frame per packet and runs the rest; --strict-frames stops instead', async () => {
    const out = await bpfgate([firewall, '-p', '00'.repeat(13), '-p', hex(packets[0]!), '-p', '00'.repeat(3521)]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^packet 1: refused: a 13-byte frame is shorter than an Ethernet header \(14 bytes\): the kernel refuses it \(BPF_PROG_TEST_RUN: EINVAL\)$/m);
    expect(out.stdout).toMatch(/^packet 2: XDP_PASS /m);
    expect(out.stdout).toMatch(/^packet 3: refused: a 3521-byte frame needs multi-buffer XDP .*which bpfgate does not support$/m);
    expect(out.stdout).toMatch(/^3 packets: refused 2, XDP_PASS 1$/m);
    const strict = await bpfgate([firewall, '-p', '00'.repeat(13), '--strict-frames']);
    expect([strict.code, strict.stderr.trim()]).toEqual([1, 'bpfgate: a 13-byte frame is shorter than an Ethernet header (14 bytes): the kernel refuses it (BPF_PROG_TEST_RUN: EINVAL)']);
  });

  const errors: ReadonlyArray<[string, () => Promise<string[]>, RegExp]> = [
    ['a truncated pcap record', async () => {
      const path = join(dir, 'cut.pcap');
      writeFileSync(path, writePcap(packets.map((data) => ({ data }))).subarray(0, 24 + 16 + 54 + 16 + 10));
      return [firewall, '--pcap', path];
    }, /^bpfgate: .*cut\.pcap: truncated packet 2: its record says 54 bytes but only 10 remain \(at byte offset 94\)$/],
    ['a file that is not a pcap', async () => [firewall, '--pcap', firewall], /^bpfgate: .*: bad magic \(the file starts 7f 45 4c 46\): not a pcap file/],
    ['a missing section', async () => [firewall, '-s', 'tc', '-p', '00'], /^bpfgate: .*firewall.*\.o: no section 'tc'; program sections: 'xdp'$/],
    ['an unsupported helper', async () => [(await compileFixture('bad/unsupported_helper')).path, '-p', '00'],
      /^bpfgate: .*: pc \d+ \(.*unsupported_helper\.c:\d+:\d+\) calls bpf_fib_lookup \(helper 69\), which bpfgate's XDP mode does not support/],
    ['an unsupported map type', async () => [(await compileFixture('bad/unsupported_map')).path, '-p', '00'],
      /^bpfgate: .*: program 'xdp' uses map 'stacks', a BPF_MAP_TYPE_STACK_TRACE \(7\), which bpfgate does not support/],
    ['no packets', async () => [firewall], /^bpfgate: no packets: give --packet HEX \(one or more\) or --pcap FILE$/],
    ['bad packet hex', async () => [firewall, '-p', '0g'], /^bpfgate: --packet 1: '0g' is not a sequence of hex bytes$/],
    ['a bad map update', async () => [firewall, '-p', '00', '-m', 'rules=00'], /^bpfgate: --map-update: 'rules=00' is not of the form MAP:KEYHEX=VALUEHEX$/],
    ['a map key of the wrong size', async () => [firewall, '-p', '00', '-m', 'rules:00=00'], /^bpfgate: map 'rules': key is 1 bytes; the map's key size is 8$/],
    ['a bad --map-entries', async () => [firewall, '-p', '00', '--map-entries', 'rules'], /^bpfgate: --map-entries: 'rules' is not of the form NAME=N$/],
    ['--map-entries for a map the object lacks', async () => [firewall, '-p', '00', '--map-entries', 'nope=4'],
      /^bpfgate: --map-entries nope=4: .*firewall.*\.o has no map 'nope'; maps: 'rules', /],
    ['a map too big for the CPU build', async () => [firewall, '-p', '00', '-e', 'sim', '--map-entries', 'rules=100000'],
      /^bpfgate: .*: XDP needs \d+ bytes of data memory but this engine's data memory holds 65536: maps \d+ \('rules' \d+ \(max_entries 100000\).*--map-entries NAME=N/],
    ['an engine without XDP', async () => [firewall, '-p', '00', '-e', 'board'], /^bpfgate: engine 'board' cannot run XDP programs; XDP engines: interp, sim, verilator$/],
    ['helper calls on verilator', async () => [firewall, '-p', '00'.repeat(60), '-e', 'verilator'],
      /^bpfgate: pc \d+: .*calls bpf_map_lookup_elem.*; the verilator XDP engine cannot service helper calls; use --engine sim$/],
  ];
  for (const [what, args, message] of errors) {
    it.concurrent(`refuses ${what} in one line, exit 1`, async () => {
      const out = await bpfgate(await args());
      expect(out.code).toBe(1);
      expect(out.stderr.trim()).toMatch(message);
      expect(out.stderr.trim().split('\n')).toHaveLength(1);
    });
  }
});
