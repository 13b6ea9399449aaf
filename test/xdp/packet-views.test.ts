// XdpSession's packetCopies: false: results give the packet and metadata as
// views of the session's memory (valid until the next run) with the same
// bytes, verdicts, counts and maps as the default copies, checked and not,
// on programs that keep, grow, shrink and move the packet.

import { beforeAll, describe, expect, it } from 'vitest';
import { loadXdpObject, XdpSession, type XdpObject, type XdpRunResult } from '../../src/xdp/index.ts';
import { compileFixture } from './compile.ts';
import { craftedPackets, mutations } from './packet-corpus.ts';

const NAMES = ['firewall', 'tcp_mss', 'vlan_tag', 'trim_pad'];
const objects = new Map<string, XdpObject>();
beforeAll(async () => {
  for (const name of NAMES) objects.set(name, loadXdpObject((await compileFixture(name)).bytes, { file: `${name}.o` }));
});

/** A result with its packet and metadata copied out, for comparing after later runs. */
function kept(r: XdpRunResult): unknown {
  const maps = [...r.maps].map(([name, entries]) => [name, entries.map((e) => [Array.from(e.key), Array.from(e.value)])]);
  if (r.kind !== 'exit') return { ...r, maps };
  return { ...r, maps, packet: Array.from(r.packet), meta: Array.from(r.meta) };
}

describe('packetCopies: false', () => {
  for (const name of NAMES) {
    for (const check of [true, false]) {
      it(`${name} (${check ? 'checked' : 'unchecked'}): the same results as copies`, () => {
        const packets = [...craftedPackets(), ...mutations(craftedPackets(), 40, 7)];
        const copies = new XdpSession(objects.get(name)!, { check });
        const views = new XdpSession(objects.get(name)!, { check, packetCopies: false });
        for (const p of packets) expect(kept(views.runSync(p))).toEqual(kept(copies.runSync(p)));
      });
    }
  }
});
