// The XDP session's own behaviour: the helpers the kernel cannot referee
// (clock, random numbers, trace_printk), the context settings, the engine
// parameter, the fast (unchecked) mode, and the limits of a frame.

import { createXdpEngine } from '../../src/engines/registry.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createInterpXdpEngine, loadXdpObject, packetsPerSecond, XDP_MAX_PACKET, XdpError, XdpSession,
  type XdpEngine, type XdpEngineRequest, type XdpExit, type XdpObject, type XdpRunResult,
} from '../../src/xdp/index.ts';
import { compileFixture } from './compile.ts';
import { craftedPackets, mutations } from './packet-corpus.ts';
import { eth, ipv4, udp } from '../../src/xdp/packet-builder.ts';

const u64 = (b: Uint8Array, at: number): bigint => new DataView(b.buffer, b.byteOffset).getBigUint64(at, true);
const u32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getUint32(at, true);

function exit(r: XdpRunResult): XdpExit {
  if (r.kind !== 'exit') throw new Error(`expected an exit, got a fault: ${r.message}`);
  return r;
}

const objects = new Map<string, XdpObject>();
beforeAll(async () => {
  for (const name of ['clock_random', 'helper_probe', 'firewall', 'tcp_mss', 'vlan_tag', 'trim_pad', 'bad/write_ctx', 'bad/write_then_fault']) {
    objects.set(name, loadXdpObject((await compileFixture(name)).bytes, { file: `${name}.o` }));
  }
});
const object = (name: string): XdpObject => objects.get(name)!;

describe('helpers without a kernel referee', () => {
  it('bpf_ktime_get_ns counts instructions at the nominal clock and never goes back', async () => {
    const session = new XdpSession(object('clock_random'));
    const a = exit(await session.run(new Uint8Array(64)));
    const b = exit(await session.run(new Uint8Array(64)));
    const [t0, t1] = [u64(a.packet, 0), u64(a.packet, 8)];
    expect(t1).toBeGreaterThan(t0);
    // 12 MHz, one instruction per cycle: 83.3 ns per instruction, and the loop runs 50 times.
    expect(Number(t1 - t0) / (1e9 / 12e6)).toBeGreaterThan(50 * 3);
    expect(Number(t1 - t0) / (1e9 / 12e6)).toBeLessThan(a.insns!);
    expect(u64(b.packet, 0)).toBeGreaterThan(t1);
  });

  it('bpf_get_prandom_u32 repeats for a seed and differs between seeds', async () => {
    const draws = async (seed: number): Promise<number[]> => {
      const session = new XdpSession(object('clock_random'), { seed });
      const out: number[] = [];
      for (let i = 0; i < 4; i++) out.push(u32(exit(await session.run(new Uint8Array(64))).packet, 16));
      return out;
    };
    const first = await draws(1);
    expect(await draws(1)).toEqual(first);
    expect(new Set(first).size).toBe(4);
    expect(await draws(2)).not.toEqual(first);
  });

  it('bpf_trace_printk output lands in the result log', async () => {
    const r = exit(await new XdpSession(object('clock_random'), { seed: 1 }).run(new Uint8Array(64)));
    const took = u64(r.packet, 8) - u64(r.packet, 0);
    expect(r.log).toEqual([`took ${took} ns, drew ${u32(r.packet, 16).toString(16)}, ok`]);
    expect(u32(r.packet, 20)).toBe(0); // bpf_get_smp_processor_id: one CPU
  });
});

describe('the context and the frame', () => {
  it('ingress_ifindex and rx_queue_index are settable (default: the loopback device, queue 0)', async () => {
    const op10 = Uint8Array.from({ length: 16 }, (_, i) => (i === 0 ? 10 : 0));
    const defaults = exit(await new XdpSession(object('helper_probe')).run(op10));
    expect([u32(defaults.packet, 8), u32(defaults.packet, 12)]).toEqual([1, 0]);
    const set = exit(await new XdpSession(object('helper_probe'), { ingressIfindex: 42, rxQueueIndex: 3 }).run(op10));
    expect([u32(set.packet, 8), u32(set.packet, 12)]).toEqual([42, 3]);
  });

  it('bpf_redirect is reported with its target', async () => {
    const packet = Uint8Array.from({ length: 20 }, (_, i) => [7, 0, 0, 0, 9][i] ?? 0);
    const r = exit(await new XdpSession(object('helper_probe')).run(packet));
    expect(r.actionName).toBe('XDP_REDIRECT');
    expect(r.redirect).toEqual({ ifindex: 9 });
  });

  it('frames the kernel refuses or that need multi-buffer are refused one by one, and the run goes on', async () => {
    const session = new XdpSession(object('firewall'));
    const runt = await session.run(new Uint8Array(13));
    expect([runt.kind, runt.kind === 'refused' && runt.reason, runt.kind === 'refused' && runt.message]).toEqual([
      'refused', 'runt', 'a 13-byte frame is shorter than an Ethernet header (14 bytes): the kernel refuses it (BPF_PROG_TEST_RUN: EINVAL)',
    ]);
    const jumbo = await session.run(new Uint8Array(XDP_MAX_PACKET + 1));
    expect([jumbo.kind, jumbo.kind === 'refused' && jumbo.reason, jumbo.kind === 'refused' && jumbo.message]).toEqual([
      'refused', 'multi-buffer',
      "a 3521-byte frame needs multi-buffer XDP (fragments past 3520 bytes, the kernel's single-buffer limit: 4096-byte page less 256 headroom and 320 tail reserve), which bpfgate does not support",
    ]);
    expect(exit(await session.run(new Uint8Array(14))).packet.length).toBe(14);
    expect(exit(await session.run(new Uint8Array(XDP_MAX_PACKET))).packet.length).toBe(XDP_MAX_PACKET);
  });

  it("with badFrames 'throw' a refused frame stops the run", async () => {
    const session = new XdpSession(object('firewall'), { badFrames: 'throw' });
    await expect(session.run(new Uint8Array(0))).rejects.toThrowError(/^a 0-byte frame is shorter than an Ethernet header/);
  });

  it('a write to xdp_md is caught after the run when accesses are not checked', async () => {
    const r = await new XdpSession(object('bad/write_ctx'), { check: false }).run(new Uint8Array(60));
    expect(r.kind === 'fault' && r.code).toBe('context');
    expect(r.kind === 'fault' && r.message).toMatch(/^the program wrote 0x[0-9a-f]+ into xdp_md\.data \(was 0x[0-9a-f]+\): the xdp_md context is read-only/);
  });
});

describe('engines', () => {
  it('the fast mode (no access check) gives the same results as the checked one', async () => {
    const packets = [...craftedPackets(), ...mutations(craftedPackets(), 60, 5)];
    for (const name of ['firewall', 'tcp_mss', 'vlan_tag', 'trim_pad']) {
      const checked = new XdpSession(object(name));
      const fast = new XdpSession(object(name), { check: false });
      for (const p of packets) {
        const [a, b] = [exit(await checked.run(p)), exit(await fast.run(p))];
        expect([b.action, b.packet, b.insns]).toEqual([a.action, a.packet, a.insns]);
      }
    }
  });

  it('runs on the engine it is given; an engine that cannot vet accesses gets memory that ends at the packet', async () => {
    const inner = createInterpXdpEngine();
    const requests: XdpEngineRequest[] = [];
    const engine = (checksAccesses: boolean): XdpEngine => ({
      name: 'wrapped', checksAccesses,
      run: (request) => {
        requests.push(request);
        return inner.run(request);
      },
    });
    for (const checksAccesses of [true, false]) {
      const session = new XdpSession(object('firewall'), { engine: engine(checksAccesses) });
      expect(session.engine.name).toBe('wrapped');
      expect(exit(await session.run(new Uint8Array(60))).action).toBe(2);
    }
    const [vetted, unvetted] = requests as [XdpEngineRequest, XdpEngineRequest];
    expect(vetted.checkAccess).toBeDefined();
    expect(unvetted.checkAccess).toBeUndefined();
    const layout = new XdpSession(object('firewall')).layout;
    expect(vetted.memory.length).toBe(layout.hardEnd - layout.dataBase);
    expect(unvetted.memory.length).toBe(layout.initialData + 60 - layout.dataBase);
  });

  it('one machine serves every packet: a session gives what a fresh session per packet gives, in either mode', async () => {
    // Programs that write the stack, the packet, the headroom (vlan_tag grows it) and the tail (trim_pad).
    // A frame full of ones, then a short one trim_pad pads to 60 bytes: the padding must come out as zeros.
    const short = eth(0x0800, ipv4({ proto: 17 }, udp(1, 2, new Uint8Array(0))));
    const packets = [...craftedPackets(), ...mutations(craftedPackets(), 40, 8), short, new Uint8Array(200).fill(0xff)];
    for (const name of ['tcp_mss', 'vlan_tag', 'trim_pad', 'helper_probe']) {
      for (const check of [true, false]) {
        const shared = new XdpSession(object(name), { check });
        for (const p of [...packets].reverse()) {
          const [a, b] = [await new XdpSession(object(name), { check }).run(p), shared.runSync(p)];
          expect(b.kind === 'exit' ? [b.action, b.packet, b.meta, b.insns] : b.kind, `${name} check=${check}`).toEqual(
            a.kind === 'exit' ? [a.action, a.packet, a.meta, a.insns] : a.kind,
          );
        }
      }
    }
  });

  it('a run that faults leaves globals and maps as they were, checked (journal) or not (copy), on the interpreter and the CPU', async () => {
    const engines: ReadonlyArray<[string, () => Promise<XdpEngine>]> = [['interp', async () => createInterpXdpEngine()], ['sim', () => createXdpEngine('sim')]];
    for (const [engineName, make] of engines) {
      for (const check of [true, false]) {
        const session = new XdpSession(object('bad/write_then_fault'), { check, engine: await make() });
        const state = () => ({ globals: [...session.globalData()], counts: session.map('counts').entries(), seen: session.map('seen').entries() });
        const what = `${engineName} check=${check}`;
        expect(exit(await session.run(new Uint8Array(120))).actionName, what).toBe('XDP_PASS');
        const before = state();
        expect(before.counts[0]!.value[0], what).toBe(3); // the run's writes stick when it ends well
        for (const length of [60, 14, 99]) expect((await session.run(new Uint8Array(length))).kind, what).toBe('fault');
        expect(state(), what).toEqual(before);
        expect(exit(await session.run(new Uint8Array(101))).actionName, what).toBe('XDP_PASS');
        expect([session.globalData()[0], session.map('counts').entries()[0]!.value[0], session.map('seen').entries().length], what).toEqual([2, 6, 2]);
      }
    }
  });

  it('runSync answers at once on the interpreter, and says so when it cannot', async () => {
    const session = new XdpSession(object('firewall'), { mapSnapshots: false });
    const r = exit(session.runSync(new Uint8Array(60)));
    expect([r.actionName, r.maps.size]).toEqual(['XDP_PASS', 0]);
    // Without snapshots the maps are still there to read.
    expect(session.map('verdicts').lookup(Uint8Array.of(2, 0, 0, 0))).toEqual(Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0));
    const queued = session.run(new Uint8Array(60));
    expect(() => session.runSync(new Uint8Array(60))).toThrowError('runSync: runs queued by run() have not finished; await them first');
    await queued;
    const slow: XdpEngine = { name: 'slow', checksAccesses: false, run: (req) => Promise.resolve(createInterpXdpEngine().run(req)) };
    const slowSession = new XdpSession(object('firewall'), { engine: slow, mapSnapshots: false });
    expect(() => slowSession.runSync(new Uint8Array(60))).toThrowError('runSync: the slow engine answers asynchronously; use run()');
    // That run still completes, and the next one waits for it.
    expect(exit(await slowSession.run(new Uint8Array(60))).actionName).toBe('XDP_PASS');
    expect(slowSession.map('verdicts').lookup(Uint8Array.of(2, 0, 0, 0))).toEqual(Uint8Array.of(2, 0, 0, 0, 0, 0, 0, 0));
  });

  it('names the engines that can run XDP when one cannot', async () => {
    await expect(createXdpEngine('board')).rejects.toThrowError("engine 'board' cannot run XDP programs; XDP engines: interp, sim, verilator");
    await expect(createXdpEngine('fpga')).rejects.toThrowError("unknown engine 'fpga'; known engines: interp, sim, verilator, icarus, soc-sim, board");
    expect((await createXdpEngine('interp')).name).toBe('interp');
  });

  it('turns cycles per packet into packets per second at the board clock', () => {
    expect(packetsPerSecond(1000)).toBe(12_000);
    expect(packetsPerSecond(300, 48e6)).toBe(160_000);
    expect(() => packetsPerSecond(0)).toThrowError(RangeError);
  });
});
