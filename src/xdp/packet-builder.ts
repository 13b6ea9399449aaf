// Ethernet frames built byte by byte (IPv4 with options, IPv6 with extension
// headers, TCP with options, UDP, ICMP, VLAN tags), with correct checksums:
// realistic traffic for the XDP tests, the XDP benchmark and the sample pcap
// (examples/xdp/make-sample-pcap.ts).

import { concatBytes as concat } from '../bytes.ts';

export type Bytes = Uint8Array;

// (Re-exported: the tests build frames with it.)
export { concat };

const be16 = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];
const be32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];

export function ip4(text: string): number {
  return text.split('.').reduce((a, b) => ((a << 8) | Number(b)) >>> 0, 0);
}

export function ip6(tail: number): Bytes {
  return Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, ...new Array(10).fill(0), (tail >> 8) & 0xff, tail & 0xff]);
}

export function mac(n: number): Bytes {
  return Uint8Array.from([0x02, 0x00, 0x5e, 0x10, (n >> 8) & 0xff, n & 0xff]);
}

/** One's complement sum of 16-bit big-endian words (odd length padded with zero). */
export function onesSum(data: Bytes, start = 0): number {
  let sum = start;
  for (let i = 0; i < data.length; i += 2) sum += (data[i]! << 8) | (data[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

export const checksum = (data: Bytes, start = 0): number => ~onesSum(data, start) & 0xffff;

export function eth(type: number, payload: Bytes, dst = mac(1), src = mac(2)): Bytes {
  return concat(dst, src, be16(type), payload);
}

export function vlan(tci: number, type: number, payload: Bytes): Bytes {
  return concat(be16(tci), be16(type), payload);
}

export interface Ipv4Options {
  src?: number;
  dst?: number;
  proto: number;
  ttl?: number;
  tos?: number;
  id?: number;
  frag?: number;
  options?: Bytes;
  /** Override the total length field. */
  totalLength?: number;
  /** Override the IHL field. */
  ihl?: number;
  version?: number;
}

export function ipv4(o: Ipv4Options, payload: Bytes): Bytes {
  const options = o.options ?? new Uint8Array(0);
  const ihl = o.ihl ?? 5 + Math.ceil(options.length / 4);
  const padded = concat(options, new Uint8Array((4 - (options.length % 4)) % 4));
  const header = concat(
    [((o.version ?? 4) << 4) | (ihl & 15), o.tos ?? 0], be16(o.totalLength ?? 20 + padded.length + payload.length),
    be16(o.id ?? 0x1234), be16(o.frag ?? 0x4000), [o.ttl ?? 64, o.proto], [0, 0],
    be32(o.src ?? ip4('192.168.1.5')), be32(o.dst ?? ip4('10.1.2.3')), padded,
  );
  header.set(be16(checksum(header)), 10);
  return concat(header, payload);
}

function pseudo4(o: Ipv4Options, proto: number, length: number): number {
  const src = o.src ?? ip4('192.168.1.5');
  const dst = o.dst ?? ip4('10.1.2.3');
  return onesSum(Uint8Array.from([...be32(src), ...be32(dst), 0, proto, ...be16(length)]));
}

export interface TcpOptions {
  sport?: number;
  dport?: number;
  seq?: number;
  ack?: number;
  /** FIN 1, SYN 2, RST 4, PSH 8, ACK 16. */
  flags?: number;
  window?: number;
  options?: Bytes;
  /** Override the data offset field (in 32-bit words). */
  doff?: number;
}

export const TCP = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16 } as const;

/** A TCP segment; `ip` (the enclosing IPv4 header's fields) gives the pseudo-header checksum. */
export function tcp(o: TcpOptions, payload: Bytes, ip?: Ipv4Options): Bytes {
  const options = o.options ?? new Uint8Array(0);
  const padded = concat(options, new Uint8Array((4 - (options.length % 4)) % 4));
  const doff = o.doff ?? 5 + padded.length / 4;
  const seg = concat(
    be16(o.sport ?? 40000), be16(o.dport ?? 80), be32(o.seq ?? 1000), be32(o.ack ?? 0),
    [(doff & 15) << 4, o.flags ?? TCP.SYN], be16(o.window ?? 65535), [0, 0], [0, 0], padded, payload,
  );
  if (ip) seg.set(be16(checksum(seg, pseudo4(ip, 6, seg.length))), 16);
  return seg;
}

export function udp(sport: number, dport: number, payload: Bytes, ip?: Ipv4Options): Bytes {
  const seg = concat(be16(sport), be16(dport), be16(8 + payload.length), [0, 0], payload);
  if (ip) seg.set(be16(checksum(seg, pseudo4(ip, 17, seg.length)) || 0xffff), 6);
  return seg;
}

export function icmp(type: number, code: number, rest: number, payload: Bytes): Bytes {
  const msg = concat([type, code, 0, 0], be32(rest), payload);
  msg.set(be16(checksum(msg)), 2);
  return msg;
}

export function ipv6(nh: number, payload: Bytes, src = ip6(5), dst = ip6(7), hop = 64): Bytes {
  return concat([0x60, 0, 0, 0], be16(payload.length), [nh, hop], src, dst, payload);
}

/** An IPv6 extension header (hop-by-hop 0, routing 43, destination options 60) of (len8 + 1) * 8 bytes. */
export function ext6(nh: number, len8: number, payload: Bytes): Bytes {
  const body = new Uint8Array((len8 + 1) * 8);
  body[0] = nh;
  body[1] = len8;
  for (let i = 2; i < body.length; i++) body[i] = (i * 7) & 0xff;
  return concat(body, payload);
}

export function frag6(nh: number, offset: number, more: boolean, payload: Bytes): Bytes {
  return concat([nh, 0], be16((offset << 3) | (more ? 1 : 0)), be32(0xabcdef), payload);
}

export const bytes = (n: number, seed = 1): Bytes => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 17) & 0xff);

/** TCP option encodings. */
export const OPT = {
  mss: (v: number): number[] => [2, 4, ...be16(v)],
  nop: [1],
  eol: [0],
  sackOk: [4, 2],
  wscale: (s: number): number[] => [3, 3, s],
  timestamp: (a: number, b: number): number[] => [8, 10, ...be32(a), ...be32(b)],
} as const;

