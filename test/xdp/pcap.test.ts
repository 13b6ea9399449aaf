// The classic pcap reader and writer: both byte orders, micro- and
// nanosecond timestamps, and a clear error (with the byte offset) for every
// way a file can be broken.

import { describe, expect, it } from 'vitest';
import { LINKTYPE_ETHERNET, PcapError, readPcap, writePcap } from '../../src/pcap/index.ts';

const packets = [
  { data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 8, 0, 0x45]), timestampNs: 1_700_000_000_123_456_000n },
  { data: new Uint8Array(0), timestampNs: 1_700_000_001_000_000_000n },
  { data: Uint8Array.from({ length: 1514 }, (_, i) => i & 0xff), timestampNs: 1_700_000_002_999_999_000n, originalLength: 9000 },
];

describe('readPcap', () => {
  for (const bigEndian of [false, true]) {
    for (const nanosecond of [false, true]) {
      it(`reads what writePcap wrote (${bigEndian ? 'big' : 'little'}-endian, ${nanosecond ? 'ns' : 'us'})`, () => {
        const file = readPcap(writePcap(packets, { bigEndian, nanosecond }), { requireLinktype: LINKTYPE_ETHERNET });
        expect(file.littleEndian).toBe(!bigEndian);
        expect(file.nanosecond).toBe(nanosecond);
        expect(file.linktype).toBe(LINKTYPE_ETHERNET);
        expect(file.packets.map((p) => [...p.data])).toEqual(packets.map((p) => [...p.data]));
        expect(file.packets.map((p) => p.timestampNs)).toEqual(packets.map((p) => p.timestampNs));
        expect(file.packets.map((p) => p.originalLength)).toEqual([15, 0, 9000]);
        expect(file.packets.map((p) => p.offset)).toEqual([24, 24 + 16 + 15, 24 + 16 + 15 + 16]);
      });
    }
  }

  it('reads a file written by tcpdump (byte for byte)', () => {
    // tcpdump -w of one 60-byte ARP frame, little-endian, microseconds.
    const hex =
      'd4c3b2a1020004000000000000000000ffff000001000000' +
      '5e2a6a653b3d04003c0000003c000000' +
      'ffffffffffff0242ac11000208060001080006040001' + '0242ac110002ac110002000000000000ac110001' + '000000000000000000000000000000000000';
    const file = readPcap(Uint8Array.from(Buffer.from(hex, 'hex')));
    expect(file.snaplen).toBe(65535);
    expect(file.packets).toHaveLength(1);
    expect(file.packets[0]!.data.length).toBe(60);
    expect(file.packets[0]!.data[12]).toBe(0x08);
    expect(file.packets[0]!.timestampNs).toBe(1701456478_277819_000n);
  });

  const good = writePcap(packets);
  const broken = (edit: (b: Uint8Array) => Uint8Array): Uint8Array => edit(good.slice());
  const cases: ReadonlyArray<[string, Uint8Array, RegExp, number | undefined]> = [
    ['an empty file', new Uint8Array(0), /truncated pcap file header: 0 bytes, need 24/, 0],
    ['a bad magic', broken((b) => { b[0] = 0x12; return b; }), /bad magic \(the file starts 12 c3 b2 a1\): not a pcap file/, 0],
    ['a pcapng file', Uint8Array.from([0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0]), /pcapng file; only classic pcap is supported \(convert it: editcap -F pcap/, 0],
    ['a cut file header', good.slice(0, 20), /truncated pcap file header: 20 bytes, need 24/, 0],
    ['another version', broken((b) => { b[4] = 1; return b; }), /unsupported pcap version 1\.4/, 4],
    ['a cut record header', good.slice(0, 24 + 10), /truncated record header of packet 1: 10 bytes left, need 16/, 24],
    ['a cut packet', good.slice(0, 24 + 16 + 10), /truncated packet 1: its record says 15 bytes but only 10 remain/, 24],
    ['a cut last packet', good.slice(0, good.length - 1), /truncated packet 3: its record says 1514 bytes but only 1513 remain/, 24 + 16 + 15 + 16],
    ['an absurd length', broken((b) => { b[24 + 16 + 15 + 8 + 3] = 0x7f; return b; }), /packet 2 claims 2130706432 captured bytes/, 24 + 16 + 15 + 8],
    ['a bad microsecond fraction', broken((b) => { new DataView(b.buffer).setUint32(28, 1_000_000, true); return b; }), /timestamp fraction of 1000000, out of range for microseconds/, 28],
  ];
  for (const [what, bytes, message, offset] of cases) {
    it(`refuses ${what}, naming the byte offset`, () => {
      let error: unknown;
      try {
        readPcap(bytes, { file: 'in.pcap' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PcapError);
      expect((error as PcapError).message).toMatch(/^in\.pcap: /);
      expect((error as PcapError).message).toMatch(message);
      expect((error as PcapError).offset).toBe(offset);
      if (offset !== undefined) expect((error as PcapError).message).toMatch(new RegExp(`\\(at byte offset ${offset}\\)$`));
    });
  }

  it('refuses captures that are not Ethernet when asked to', () => {
    expect(() => readPcap(writePcap(packets, { linktype: 101 }), { file: 'raw.pcap', requireLinktype: LINKTYPE_ETHERNET })).toThrowError(
      'raw.pcap: raw IP (LINKTYPE_RAW) captures are not supported; expected Ethernet (LINKTYPE_ETHERNET) (at byte offset 20)',
    );
  });
});
