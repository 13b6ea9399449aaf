// The simulated CPU as an XDP engine, beyond the kernel differential: the
// engine by name, the clock helpers (bpf_ktime_get_ns from the cycle
// counter, through the renumbering of helper 5), the helpers the kernel
// cannot referee, and which verifier-refused programs fault on the CPU
// without the interpreter's per-access check.

import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSimXdpEngine, KTIME_ALIAS_ID, renumberKtime } from '../../src/xdp/cpu-engine.ts';
import { loadXdpObject, XdpSession, type XdpEngine, type XdpExit, type XdpObject, type XdpRunResult } from '../../src/xdp/index.ts';
import { createXdpEngine } from '../../src/engines/registry.ts';
import { assemble } from '../../src/asm/index.ts';
import { REPO_ROOT } from '../../src/paths.ts';
import { compileFixture } from './compile.ts';
import { concat, eth, ip4, ipv4, tcp, TCP } from '../../src/xdp/packet-builder.ts';

const u64 = (b: Uint8Array, at: number): bigint => new DataView(b.buffer, b.byteOffset).getBigUint64(at, true);
const u32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getUint32(at, true);
const frame = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i & 0xff);

function exit(r: XdpRunResult): XdpExit {
  if (r.kind !== 'exit') throw new Error(`expected an exit, got a fault: ${r.message}`);
  return r;
}

let engine: XdpEngine;
const objects = new Map<string, XdpObject>();
const NAMES = ['clock_random', 'bad/past_end', 'bad/null_value', 'bad/spin', 'bad/stack_key', 'bad/write_ctx', 'bad/headroom', 'bad/ctx_byte', 'bad/egress', 'bad/value_overrun'];
beforeAll(async () => {
  engine = createSimXdpEngine();
  for (const name of NAMES) objects.set(name, loadXdpObject((await compileFixture(name)).bytes, { file: `${name}.o` }));
});
const object = (name: string): XdpObject => objects.get(name)!;

describe('the sim XDP engine', () => {
  it('is found by name, counts cycles and does not vet accesses', async () => {
    const byName = await createXdpEngine('sim', { clockHz: 48e6 });
    expect(byName.name).toBe('sim');
    expect(byName.checksAccesses).toBe(false);
    expect(byName.clockHz).toBe(48e6);
  });

  it('bpf_ktime_get_ns reads the cycle counter at the board clock, and never goes back', async () => {
    const session = new XdpSession(object('clock_random'), { engine });
    const a = exit(await session.run(new Uint8Array(64)));
    const b = exit(await session.run(new Uint8Array(64)));
    const [t0, t1] = [u64(a.packet, 0), u64(a.packet, 8)];
    const cycleNs = 1e9 / 12e6;
    // The loop between the two reads runs 50 times: at least 3 cycles each, and all within the run's cycles.
    expect(Number(t1 - t0) / cycleNs).toBeGreaterThan(50 * 3);
    expect(Number(t1) / cycleNs).toBeLessThan(a.cycles!);
    expect(a.cycles).toBeGreaterThan(a.insns!);
    // The next packet's clock starts where this one's run ended.
    expect(u64(b.packet, 0)).toBeGreaterThanOrEqual(BigInt(Math.floor(a.cycles! * cycleNs)));
  });

  it('answers the other helpers like the interpreter: random numbers, CPU id, trace_printk', async () => {
    const sim = exit(await new XdpSession(object('clock_random'), { engine, seed: 7 }).run(new Uint8Array(64)));
    const interp = exit(await new XdpSession(object('clock_random'), { seed: 7 }).run(new Uint8Array(64)));
    expect(u32(sim.packet, 16)).toBe(u32(interp.packet, 16));
    expect(u32(sim.packet, 20)).toBe(0);
    const took = u64(sim.packet, 8) - u64(sim.packet, 0);
    expect(sim.log).toEqual([`took ${took} ns, drew ${u32(sim.packet, 16).toString(16)}, ok`]);
  });

  it('refuses an instruction budget the budget register cannot hold, naming the limit', async () => {
    const session = new XdpSession(object('clock_random'), { engine, maxInsns: 2 ** 32 });
    await expect(session.run(new Uint8Array(64))).rejects.toThrowError(/budget of 4294967296 does not fit the CPU's 32-bit budget register/);
  });

  it('renumbers helper calls to 5 only (not local calls, not lddw data)', () => {
    const program = assemble('call 5\ncall 1\nlddw %r1, 0x500000085\ncall local f\nexit\nf:\ncall 5\nexit\n', { file: 't.s' });
    const out = renumberKtime(program);
    expect(out.insns.map((i) => i.imm)).toEqual([KTIME_ALIAS_ID, 1, program.insns[2]!.imm, program.insns[3]!.imm, program.insns[4]!.imm, program.insns[5]!.imm, KTIME_ALIAS_ID, 0]);
    expect(program.insns[0]!.imm).toBe(5);
    const none = assemble('call 1\nexit\n', { file: 'u.s' });
    expect(renumberKtime(none)).toBe(none);
  });
});

describe('bpfgate xdp --engine sim', () => {
  it('runs a program on the CPU and reports cycles and packets per second at the given clock', async () => {
    const firewall = (await compileFixture('firewall')).path;
    const ip = { proto: 6, src: ip4('192.168.1.7') };
    const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
    const packet = hex(eth(0x0800, ipv4(ip, tcp({ dport: 80, flags: TCP.SYN }, new Uint8Array(0), ip))));
    const rule = `rules:${hex(concat([192, 168, 1, 7, 6, 0, 0, 80]))}=${hex(concat([1, 0, 0, 0], new Uint8Array(20)))}`;
    const args = [resolve(REPO_ROOT, 'bin/bpfgate.mjs'), 'xdp', firewall, '-p', packet, '-p', `${'00'.repeat(12)}0800`, '-m', rule, '-e', 'sim', '--clock-mhz', '24'];
    const { stdout, stderr } = await promisify(execFile)(process.execPath, args, { cwd: REPO_ROOT, timeout: 60_000 });
    expect(stderr).toBe('');
    const m = /^packet 1: XDP_DROP +54 bytes +(\d+) cycles$/m.exec(stdout);
    expect(m, stdout).not.toBeNull();
    expect(stdout).toMatch(/^packet 2: XDP_ABORTED +14 bytes +\d+ cycles$/m); // an Ethernet header, no IPv4 header
    expect(stdout).toMatch(/^cycles per packet: min \d+, mean \d+\.\d, max \d+$/m);
    const pps = /^at 24 MHz: (\d+) packets\/s \(mean\)$/m.exec(stdout);
    expect(pps, stdout).not.toBeNull();
    expect(Number(pps![1])).toBeGreaterThan(24e6 / Number(m![1]));
  });
});

describe('programs the verifier refuses, on the CPU (no per-access check)', () => {
  const faults: [string, number, string, RegExp][] = [
    ['bad/past_end', 60, 'out-of-bounds', /ldxb .*outside the stack and the data region \(out-of-bounds, on sim\); data memory this run is \[0x20000000, 0x[0-9a-f]+\), ending at the packet's end/],
    ['bad/null_value', 60, 'out-of-bounds', /ldxdw %r1, \[%r0\+0\].*out-of-bounds, on sim/],
    ['bad/spin', 60, 'budget', /instruction budget exhausted \(budget, on sim\)/],
    ['bad/stack_key', 14, 'helper-fault', /call 1 .*: helper 1: bpf_map_lookup_elem: key \(r2\): read of 4 bytes .* runs 2 bytes past data_end/],
    ['bad/write_ctx', 60, 'context', /wrote 0x[0-9a-f]+ into xdp_md\.data/],
  ];
  for (const [name, length, code, says] of faults) {
    it(`${name}.c faults (${code}), naming the instruction and the C line`, async () => {
      const r = await new XdpSession(object(name), { engine, maxInsns: 5000 }).run(frame(length));
      expect(r.kind).toBe('fault');
      if (r.kind !== 'fault') return;
      expect(r.code).toBe(code);
      expect(r.message).toMatch(says);
      if (r.pc !== undefined) expect(r.message).toMatch(new RegExp(`^pc ${r.pc}: .*\\(.*${name}\\.c:\\d+:\\d+\\)$`));
    });
  }

  // Documented difference (src/xdp/README.md): these stay inside data memory, so only the interpreter's check sees them.
  for (const name of ['bad/headroom', 'bad/ctx_byte', 'bad/egress', 'bad/value_overrun']) {
    it(`${name}.c runs to the end: its access is inside data memory`, async () => {
      expect((await new XdpSession(object(name), { engine }).run(frame(60))).kind).toBe('exit');
    });
  }
});
