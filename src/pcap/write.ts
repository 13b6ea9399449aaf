// Writer for classic libpcap files (little-endian, microsecond or nanosecond
// timestamps), for `bpfgate xdp --out-pcap` and for building test captures.

import {
  LINKTYPE_ETHERNET, PCAP_FILE_HEADER_BYTES, PCAP_MAGIC_MICROS, PCAP_MAGIC_NANOS, PCAP_RECORD_HEADER_BYTES,
} from './format.ts';

export interface PcapRecord {
  readonly data: Uint8Array;
  /** Capture time in ns since the epoch (default 0). */
  readonly timestampNs?: bigint;
  /** Wire length (default data.length). */
  readonly originalLength?: number;
}

export interface WritePcapOptions {
  linktype?: number;
  nanosecond?: boolean;
  snaplen?: number;
  /** Write big-endian headers (for testing readers). */
  bigEndian?: boolean;
}

export function writePcap(records: readonly PcapRecord[], opts: WritePcapOptions = {}): Uint8Array {
  const size = PCAP_FILE_HEADER_BYTES + records.reduce((n, r) => n + PCAP_RECORD_HEADER_BYTES + r.data.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  const le = !opts.bigEndian;
  const nano = opts.nanosecond ?? false;
  view.setUint32(0, nano ? PCAP_MAGIC_NANOS : PCAP_MAGIC_MICROS, le);
  view.setUint16(4, 2, le);
  view.setUint16(6, 4, le);
  view.setInt32(8, 0, le);
  view.setUint32(12, 0, le);
  view.setUint32(16, opts.snaplen ?? 262144, le);
  view.setUint32(20, opts.linktype ?? LINKTYPE_ETHERNET, le);
  let at = PCAP_FILE_HEADER_BYTES;
  for (const r of records) {
    const ts = r.timestampNs ?? 0n;
    const unit = nano ? 1n : 1000n;
    view.setUint32(at, Number(ts / 1_000_000_000n), le);
    view.setUint32(at + 4, Number((ts % 1_000_000_000n) / unit), le);
    view.setUint32(at + 8, r.data.length, le);
    view.setUint32(at + 12, r.originalLength ?? r.data.length, le);
    out.set(r.data, at + PCAP_RECORD_HEADER_BYTES);
    at += PCAP_RECORD_HEADER_BYTES + r.data.length;
  }
  return out;
}
