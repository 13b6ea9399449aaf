// Reader for classic libpcap files: both byte orders, microsecond and
// nanosecond timestamps. Every problem is a PcapError naming the byte offset;
// pcapng files are recognised and refused with a conversion hint.

import { PcapError } from './errors.ts';
import {
  MAX_RECORD_BYTES, PCAP_FILE_HEADER_BYTES, PCAP_MAGIC_MICROS, PCAP_MAGIC_NANOS,
  PCAP_RECORD_HEADER_BYTES, PCAPNG_MAGIC, type PcapFile, type PcapPacket,
} from './format.ts';

export interface ReadPcapOptions {
  /** File name for messages. */
  file?: string;
  /** Refuse any link type but this one (e.g. LINKTYPE_ETHERNET for XDP). */
  requireLinktype?: number;
}

const LINKTYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'BSD loopback (LINKTYPE_NULL)',
  1: 'Ethernet (LINKTYPE_ETHERNET)',
  101: 'raw IP (LINKTYPE_RAW)',
  105: '802.11 (LINKTYPE_IEEE802_11)',
  113: 'Linux cooked capture (LINKTYPE_LINUX_SLL)',
  127: '802.11 radiotap (LINKTYPE_IEEE802_11_RADIOTAP)',
  276: 'Linux cooked capture v2 (LINKTYPE_LINUX_SLL2)',
};

export function linktypeName(linktype: number): string {
  return LINKTYPE_NAMES[linktype] ?? `link type ${linktype}`;
}

export function readPcap(bytes: Uint8Array, opts: ReadPcapOptions = {}): PcapFile {
  const file = opts.file ?? '<pcap>';
  const fail = (detail: string, offset?: number): PcapError => new PcapError(file, detail, offset);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  if (bytes.length < 4) throw fail(`truncated pcap file header: ${bytes.length} bytes, need ${PCAP_FILE_HEADER_BYTES}`, 0);
  const magicLe = view.getUint32(0, true);
  let littleEndian: boolean;
  let nanosecond: boolean;
  if (magicLe === PCAP_MAGIC_MICROS || magicLe === PCAP_MAGIC_NANOS) {
    littleEndian = true;
    nanosecond = magicLe === PCAP_MAGIC_NANOS;
  } else {
    const magicBe = view.getUint32(0, false);
    if (magicBe === PCAP_MAGIC_MICROS || magicBe === PCAP_MAGIC_NANOS) {
      littleEndian = false;
      nanosecond = magicBe === PCAP_MAGIC_NANOS;
    } else if (magicLe === PCAPNG_MAGIC) {
      throw fail('this is a pcapng file; only classic pcap is supported (convert it: editcap -F pcap in.pcapng out.pcap)', 0);
    } else {
      const first = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
      throw fail(`bad magic (the file starts ${first}): not a pcap file (expected a1 b2 c3 d4 or a1 b2 3c 4d, in either byte order)`, 0);
    }
  }
  if (bytes.length < PCAP_FILE_HEADER_BYTES) {
    throw fail(`truncated pcap file header: ${bytes.length} bytes, need ${PCAP_FILE_HEADER_BYTES}`, 0);
  }
  const u16 = (at: number): number => view.getUint16(at, littleEndian);
  const u32 = (at: number): number => view.getUint32(at, littleEndian);

  const major = u16(4);
  if (major !== 2) throw fail(`unsupported pcap version ${major}.${u16(6)} (expected 2.4)`, 4);
  const snaplen = u32(16);
  // The upper bits of the link-type word carry FCS information; the type is the low 28 bits.
  const linktype = u32(20) & 0x0fffffff;
  if (opts.requireLinktype !== undefined && linktype !== opts.requireLinktype) {
    throw fail(`${linktypeName(linktype)} captures are not supported; expected ${linktypeName(opts.requireLinktype)}`, 20);
  }

  const packets: PcapPacket[] = [];
  let at = PCAP_FILE_HEADER_BYTES;
  while (at < bytes.length) {
    const index = packets.length + 1;
    if (at + PCAP_RECORD_HEADER_BYTES > bytes.length) {
      throw fail(`truncated record header of packet ${index}: ${bytes.length - at} bytes left, need ${PCAP_RECORD_HEADER_BYTES}`, at);
    }
    const seconds = u32(at);
    const fraction = u32(at + 4);
    const included = u32(at + 8);
    const original = u32(at + 12);
    if (included > MAX_RECORD_BYTES) {
      throw fail(`packet ${index} claims ${included} captured bytes, more than any pcap record may hold (${MAX_RECORD_BYTES})`, at + 8);
    }
    if (nanosecond ? fraction >= 1_000_000_000 : fraction >= 1_000_000) {
      throw fail(`packet ${index} has a timestamp fraction of ${fraction}, out of range for ${nanosecond ? 'nano' : 'micro'}seconds`, at + 4);
    }
    const start = at + PCAP_RECORD_HEADER_BYTES;
    if (start + included > bytes.length) {
      throw fail(`truncated packet ${index}: its record says ${included} bytes but only ${bytes.length - start} remain`, at);
    }
    packets.push({
      data: bytes.slice(start, start + included),
      originalLength: Math.max(original, included),
      timestampNs: BigInt(seconds) * 1_000_000_000n + BigInt(fraction) * (nanosecond ? 1n : 1000n),
      offset: at,
    });
    at = start + included;
  }
  return { linktype, snaplen, nanosecond, littleEndian, packets };
}
