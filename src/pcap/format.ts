// Classic libpcap capture format (https://www.tcpdump.org/manpages/pcap-savefile.5.html),
// the constants both the reader and the writer use.
//
//   file header (24 bytes): u32 magic, u16 version_major (2), u16 version_minor (4),
//                           s32 thiszone, u32 sigfigs, u32 snaplen, u32 linktype
//   record header (16 bytes): u32 ts_sec, u32 ts_frac (us or ns), u32 incl_len, u32 orig_len
//
// The magic, written in the writer's byte order, tells the reader the byte
// order and whether ts_frac counts micro- or nanoseconds.

export const PCAP_MAGIC_MICROS = 0xa1b2c3d4;
export const PCAP_MAGIC_NANOS = 0xa1b23c4d;
/** The first word of a pcapng file (its Section Header Block type). */
export const PCAPNG_MAGIC = 0x0a0d0d0a;

export const PCAP_FILE_HEADER_BYTES = 24;
export const PCAP_RECORD_HEADER_BYTES = 16;

/** LINKTYPE_ETHERNET: the only link type an XDP program sees. */
export const LINKTYPE_ETHERNET = 1;

/** Largest record libpcap itself accepts (MAXIMUM_SNAPLEN), to catch garbage lengths. */
export const MAX_RECORD_BYTES = 262144;

export interface PcapPacket {
  /** The captured bytes (incl_len of them). */
  readonly data: Uint8Array;
  /** Length of the packet on the wire (>= data.length when the capture was cut at snaplen). */
  readonly originalLength: number;
  /** Capture time in nanoseconds since the epoch. */
  readonly timestampNs: bigint;
  /** Byte offset of the record header in the file, for messages. */
  readonly offset: number;
}

export interface PcapFile {
  readonly linktype: number;
  readonly snaplen: number;
  readonly nanosecond: boolean;
  readonly littleEndian: boolean;
  readonly packets: readonly PcapPacket[];
}
