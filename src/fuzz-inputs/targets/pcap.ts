// pcap files (bpfgate xdp --pcap): the shipped capture and captures written
// by the project's own writer in every variant (byte order, nanosecond
// stamps), with their file and record headers aimed at. The reader may only
// throw a PcapError naming the file; what it reads must survive a write and
// a second read unchanged.

import { LINKTYPE_ETHERNET, PcapError, readPcap, writePcap, type PcapFile } from '../../pcap/index.ts';
import type { Rng } from '../../random.ts';
import { crash, EXPECTED, type FuzzTarget } from '../engine.ts';
import { mutateBytes, randomBytes, type Field } from '../mutate.ts';
import { pcapSample } from '../samples.ts';

const FILE = 'fuzz.pcap';

/** File header fields, then each record header's four words. */
export function pcapFields(b: Uint8Array): Field[] {
  const fields: Field[] = [{ offset: 0, size: 4 }, { offset: 4, size: 2 }, { offset: 6, size: 2 }, { offset: 16, size: 4 }, { offset: 20, size: 4 }];
  const le = b[0] === 0xd4 || b[0] === 0x4d;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let at = 24; at + 16 <= b.length;) {
    for (let o = 0; o < 16; o += 4) fields.push({ offset: at + o, size: 4 });
    at += 16 + v.getUint32(at + 8, le);
  }
  return fields;
}

function synthetic(rng: Rng): Uint8Array {
  const records = Array.from({ length: rng.int(0, 4) }, () => ({
    data: randomBytes(rng, 80),
    timestampNs: BigInt(rng.u32()) * 1_000_000_000n + BigInt(rng.int(0, 999_999)) * 1000n,
  }));
  return writePcap(records, { nanosecond: rng.chance(0.5), bigEndian: rng.chance(0.5), linktype: rng.chance(0.8) ? LINKTYPE_ETHERNET : rng.int(0, 300) });
}

function same(a: PcapFile, b: PcapFile): string | undefined {
  if (a.linktype !== b.linktype || a.snaplen !== b.snaplen) return 'header';
  if (a.packets.length !== b.packets.length) return 'packet count';
  for (let i = 0; i < a.packets.length; i++) {
    const p = a.packets[i]!;
    const q = b.packets[i]!;
    if (p.timestampNs !== q.timestampNs || p.originalLength !== q.originalLength) return `packet ${i + 1} time or length`;
    if (p.data.length !== q.data.length || p.data.some((x, k) => x !== q.data[k])) return `packet ${i + 1} bytes`;
  }
  return undefined;
}

export const pcapTarget: FuzzTarget<Uint8Array> = {
  name: 'pcap',
  describe: 'pcap files -> readPcap (both byte orders, ns stamps), write/read round trip',
  prepare() {
    const sample = pcapSample();
    const sampleFields = pcapFields(sample);
    return (rng) => {
      const roll = rng.next();
      if (roll < 0.5) return mutateBytes(rng, sample, { fields: sampleFields });
      const made = synthetic(rng);
      if (roll < 0.95) return mutateBytes(rng, made, { fields: pcapFields(made) });
      return rng.chance(0.5) ? made : randomBytes(rng, 64);
    };
  },
  run(bytes) {
    const first = readPcap(bytes, { file: FILE, requireLinktype: bytes.length % 3 === 0 ? LINKTYPE_ETHERNET : undefined });
    const again = readPcap(writePcap(first.packets, { linktype: first.linktype, snaplen: first.snaplen, nanosecond: first.nanosecond }), { file: '<rewritten>' });
    const diff = same(first, again);
    if (diff) throw new Error(`round trip: the rewritten capture differs (${diff})`);
  },
  judge(err) {
    if (!(err instanceof PcapError)) return crash('not a PcapError');
    if (err.file !== FILE) return crash(`PcapError names '${err.file}' (the rewritten capture was refused)`);
    return EXPECTED;
  },
};
