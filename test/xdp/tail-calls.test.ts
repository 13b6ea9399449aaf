// Tail calls on bpfgate: PROG_ARRAY slots from the object's initialisers and
// from --prog-array style specs, helper 12 with the kernel's limit
// (MAX_TAIL_CALL_CNT = 33, then fall through), on the interpreter and on the
// simulated CPU (the helper port stops the core at the call). The kernel
// differential (kernel-cases.ts: tail_dispatch, tail_loop) checks the same
// programs against Linux.

import { beforeAll, describe, expect, it } from 'vitest';
import { createSimXdpEngine } from '../../src/xdp/cpu-engine.ts';
import { loadXdpObject, XdpSession } from '../../src/xdp/index.ts';
import { compileFixture } from './compile.ts';
import { eth, ipv4, udp } from '../../src/xdp/packet-builder.ts';

let dispatch: Uint8Array;
let loop: Uint8Array;
beforeAll(async () => {
  dispatch = (await compileFixture('tail_dispatch')).bytes;
  loop = (await compileFixture('tail_loop')).bytes;
});

const le64 = (b: Uint8Array): number => Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));
const runs = (s: XdpSession): number[] => s.map('runs').entries().map((e) => le64(e.value));
const arp = (): Uint8Array => eth(0x0806, new Uint8Array(28));
const ip = (ttl: number): Uint8Array => {
  const p = eth(0x0800, ipv4({ proto: 17 }, udp(1, 2, new Uint8Array(4))));
  p[14 + 8] = ttl;
  return p;
};

describe('bpf_tail_call', () => {
  it('follows the PROG_ARRAY its initialiser fills, and falls through on an empty slot', async () => {
    const s = new XdpSession(loadXdpObject(dispatch, { file: 'tail_dispatch.o', symbol: 'dispatch' }));
    const a = await s.run(ip(64));
    const b = await s.run(ip(1));
    const c = await s.run(arp());
    expect([a, b, c].map((r) => (r.kind === 'exit' ? `${r.actionName}/${r.tailCalls ?? 0}` : r.message))).toEqual(['XDP_PASS/1', 'XDP_DROP/1', 'XDP_PASS/0']);
    expect(runs(s)).toEqual([2, 0, 0, 3]);
    expect(s.map('jmp_table').entries().map((e) => [e.key[0], e.value[0]])).toEqual([[0, 1], [1, 2]]);
  });

  it('takes extra slots from --prog-array specs (by function name)', async () => {
    const s = new XdpSession(loadXdpObject(dispatch, { file: 'tail_dispatch.o', symbol: 'dispatch', progArray: ['jmp_table=2:handle_ipv4'] }));
    const r = await s.run(arp());
    // The IPv4 handler on an ARP frame reads a zero "ttl" (byte 22) and drops it.
    expect(r.kind === 'exit' && [r.actionName, r.tailCalls]).toEqual(['XDP_DROP', 1]);
    expect(runs(s)).toEqual([1, 0, 0, 1]);
  });

  it('stops a chain after 33 tail calls, as the kernel does', async () => {
    const s = new XdpSession(loadXdpObject(loop, { file: 'tail_loop.o' }));
    const r = await s.run(new Uint8Array(60));
    expect(r.kind === 'exit' && [r.actionName, r.tailCalls]).toEqual(['XDP_PASS', 33]);
    expect(runs(s)).toEqual([34]);
  });

  it('runs on the simulated CPU through the helper port', async () => {
    const s = new XdpSession(loadXdpObject(loop, { file: 'tail_loop.o' }), { engine: createSimXdpEngine() });
    const r = await s.run(new Uint8Array(120));
    expect(r.kind === 'exit' && [r.actionName, r.tailCalls, (r.cycles ?? 0) > 34]).toEqual(['XDP_DROP', 33, true]);
    expect(runs(s)).toEqual([34]);
  });

  it.each([
    ['jmp_table', /^--prog-array: 'jmp_table' is not of the form MAP=INDEX:PROGRAM/],
    ['nosuch=0:dispatch', /^--prog-array nosuch=0:dispatch: tail_dispatch\.o has no map 'nosuch'; maps: 'jmp_table', 'runs'$/],
    ['runs=0:dispatch', /^--prog-array runs=0:dispatch: map 'runs' is not a BPF_MAP_TYPE_PROG_ARRAY$/],
    ['jmp_table=0:nosuch', /^tail_dispatch\.o: --prog-array jmp_table=0:nosuch: no program 'nosuch' \(sections: 'xdp'\)$/],
    ['jmp_table=9:dispatch', /^tail_dispatch\.o: --prog-array jmp_table=9:dispatch: index 9 is past map 'jmp_table' \(max_entries 3\)$/],
  ])('refuses --prog-array %s in one line', (spec, message) => {
    expect(() => loadXdpObject(dispatch, { file: 'tail_dispatch.o', symbol: 'dispatch', progArray: [spec] })).toThrowError(message);
  });
});
