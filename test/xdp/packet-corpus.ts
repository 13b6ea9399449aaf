// Test support: the packets the differential test feeds to each XDP program:
// crafted frames for every protocol path the fixtures know (including the
// awkward ones: options at the very end, malformed lengths, fragments,
// padding), every truncation of a few rich frames, random mutations of the
// crafted ones, random frames, and for helper_probe.c argument sweeps over
// the helpers' limits. Every frame is at least 14 bytes (the kernel's test
// run refuses shorter ones) and at most 1514.

import {
  bytes, concat, eth, ext6, frag6, icmp, ip4, ipv4, ipv6, OPT, TCP, tcp, udp, vlan, type Bytes, type Ipv4Options,
} from '../../src/xdp/packet-builder.ts';
import { Rng } from '../../src/random.ts';

const ETH_IP = 0x0800;
const ETH_IP6 = 0x86dd;

function tcp4(ipo: Partial<Ipv4Options>, t: Parameters<typeof tcp>[0], payload: Bytes = new Uint8Array(0)): Bytes {
  const ip: Ipv4Options = { proto: 6, ...ipo };
  return eth(ETH_IP, ipv4(ip, tcp(t, payload, ip)));
}

function udp4(ipo: Partial<Ipv4Options>, sport: number, dport: number, payload: Bytes): Bytes {
  const ip: Ipv4Options = { proto: 17, ...ipo };
  return eth(ETH_IP, ipv4(ip, udp(sport, dport, payload, ip)));
}

function icmp4(ipo: Partial<Ipv4Options>, type: number, code: number, payload: Bytes): Bytes {
  return eth(ETH_IP, ipv4({ proto: 1, ...ipo }, icmp(type, code, 0x00010001, payload)));
}

/** Frames that exercise each fixture's paths. */
export function craftedPackets(): Bytes[] {
  const synOpts = Uint8Array.from([...OPT.mss(1460), ...OPT.sackOk, ...OPT.timestamp(1, 0), ...OPT.nop, ...OPT.wscale(7)]);
  const out: Bytes[] = [
    // TCP: MSS to clamp, not to clamp, at an odd offset, last in the packet, malformed, only padding.
    tcp4({}, { options: synOpts }),
    tcp4({ src: ip4('192.168.1.7') }, { options: Uint8Array.from(OPT.mss(1200)), dport: 80 }),
    tcp4({}, { options: Uint8Array.from([...OPT.nop, ...OPT.mss(9000), ...OPT.nop, ...OPT.nop, ...OPT.nop]) }),
    tcp4({}, { options: Uint8Array.from([...OPT.nop, ...OPT.nop, ...OPT.nop, ...OPT.mss(1500)]) }),
    tcp4({}, { options: Uint8Array.from([...OPT.sackOk, ...OPT.timestamp(5, 6), 2, 0, 1, 1]) }),
    tcp4({}, { options: Uint8Array.from([...OPT.wscale(2), 8, 1, 0, 0]) }),
    tcp4({}, { options: Uint8Array.from([...OPT.wscale(2), 8, 30, 0, 0, 0, 0, 0, 0]) }),
    tcp4({}, { options: Uint8Array.from([...OPT.eol, ...OPT.mss(1460), 0, 0, 0]) }),
    tcp4({}, { options: new Uint8Array(40).fill(1) }),
    tcp4({}, { options: Uint8Array.from([...new Array(36).fill(1), ...OPT.mss(1461)]) }),
    tcp4({}, { options: synOpts, doff: 15 }),
    tcp4({}, { options: synOpts, doff: 3 }),
    tcp4({}, { flags: TCP.ACK | TCP.PSH, dport: 443 }, bytes(100)),
    tcp4({}, { flags: TCP.FIN | TCP.ACK, dport: 443 }),
    tcp4({}, { flags: TCP.RST, dport: 443 }),
    tcp4({ src: ip4('192.168.1.8') }, { flags: TCP.ACK, dport: 22 }, bytes(20)),
    tcp4({ src: ip4('192.168.1.9') }, { flags: TCP.ACK, dport: 80 }, bytes(7)),
    // UDP: echo, DSCP marking, DNS; checksums; sizes.
    udp4({}, 3333, 7, bytes(32)),
    udp4({ dst: ip4('172.16.0.1') }, 3333, 7, bytes(1)),
    udp4({ ttl: 1 }, 1000, 5000, bytes(10)),
    udp4({ ttl: 2, tos: 3 }, 1000, 5000, bytes(11)),
    udp4({ ttl: 255 }, 1000, 5000, bytes(64)),
    udp4({ ttl: 0 }, 1000, 53, bytes(30)),
    udp4({ src: ip4('192.168.1.9') }, 1000, 53, bytes(30)),
    udp4({ src: ip4('192.168.1.10') }, 5353, 5353, bytes(0)),
    udp4({}, 5353, 5353, bytes(1400)),
    // ICMP echo request, reply, unreachable; from several sources.
    icmp4({}, 8, 0, bytes(56)),
    icmp4({ src: ip4('192.168.1.6') }, 8, 0, bytes(3)),
    icmp4({ src: ip4('192.168.1.6') }, 8, 0, bytes(0)),
    icmp4({}, 0, 0, bytes(56)),
    icmp4({}, 3, 1, bytes(28)),
    icmp4({}, 8, 1, bytes(8)),
    // IPv4 with options, fragments, bad header fields, padding, bad lengths.
    eth(ETH_IP, ipv4({ proto: 17, options: Uint8Array.from([0x94, 4, 0, 0]) }, udp(1, 7, bytes(8)))),
    eth(ETH_IP, ipv4({ proto: 1, options: new Uint8Array(40).fill(1) }, icmp(8, 0, 7, bytes(8)))),
    eth(ETH_IP, ipv4({ proto: 6, frag: 0x2000 }, bytes(40))),
    eth(ETH_IP, ipv4({ proto: 17, frag: 0x00b9 }, bytes(40))),
    eth(ETH_IP, ipv4({ proto: 17, ihl: 4 }, bytes(40))),
    eth(ETH_IP, ipv4({ proto: 17, version: 6 }, bytes(40))),
    eth(ETH_IP, ipv4({ proto: 17, ihl: 15 }, bytes(20))),
    concat(udp4({}, 1, 2, bytes(2)), new Uint8Array(14)),
    eth(ETH_IP, ipv4({ proto: 17, totalLength: 600 }, udp(1, 2, bytes(20)))),
    eth(ETH_IP, ipv4({ proto: 17, totalLength: 10 }, udp(1, 2, bytes(20)))),
    eth(ETH_IP, ipv4({ proto: 47 }, bytes(24))),
    // IPIP: plain, outer header with options, inner to 10/8, inner bad.
    eth(ETH_IP, ipv4({ proto: 4 }, ipv4({ proto: 17, dst: ip4('10.9.9.9') }, udp(5, 6, bytes(12))))),
    eth(ETH_IP, ipv4({ proto: 4, options: new Uint8Array(8).fill(1) }, ipv4({ proto: 6 }, tcp({ flags: TCP.ACK }, bytes(4))))),
    eth(ETH_IP, ipv4({ proto: 4 }, bytes(30))),
    eth(ETH_IP, ipv4({ proto: 4 }, bytes(10))),
    udp4({ dst: ip4('10.255.0.1') }, 9, 9, bytes(100)),
    udp4({ dst: ip4('11.0.0.1') }, 9, 9, bytes(100)),
    // IPv6: UDP echo, TCP, ICMPv6, extension header chains (blocked and not), fragments.
    eth(ETH_IP6, ipv6(17, udp(4000, 7, bytes(24)))),
    eth(ETH_IP6, ipv6(6, tcp({ options: Uint8Array.from(OPT.mss(1440)) }, new Uint8Array(0)))),
    eth(ETH_IP6, ipv6(58, icmp(128, 0, 1, bytes(16)))),
    eth(ETH_IP6, ipv6(0, ext6(43, 1, ext6(60, 0, frag6(6, 0, true, tcp({ flags: TCP.ACK }, bytes(8))))))),
    eth(ETH_IP6, ipv6(0, ext6(17, 0, udp(1, 2, bytes(4))))),
    eth(ETH_IP6, ipv6(60, ext6(60, 2, ext6(60, 0, ext6(60, 0, ext6(60, 0, ext6(60, 0, ext6(58, 0, bytes(8))))))))),
    eth(ETH_IP6, ipv6(44, frag6(17, 100, false, bytes(16)))),
    eth(ETH_IP6, ipv6(43, ext6(59, 3, new Uint8Array(0)))),
    eth(ETH_IP6, ipv6(0, ext6(0, 30, bytes(2)))),
    eth(ETH_IP6, bytes(20)),
    // VLAN: tags 100, 200, 300; QinQ; 802.1ad; truncated tag.
    eth(0x8100, vlan(100, ETH_IP, ipv4({ proto: 17 }, udp(1, 7, bytes(10))))),
    eth(0x8100, vlan(200, ETH_IP, ipv4({ proto: 6 }, tcp({ flags: TCP.ACK }, bytes(10))))),
    eth(0x8100, vlan(0x2000 | 200, ETH_IP6, ipv6(17, udp(1, 2, bytes(4))))),
    eth(0x8100, vlan(300, 0x0806, bytes(28))),
    eth(0x88a8, vlan(10, 0x8100, vlan(20, ETH_IP, ipv4({ proto: 1 }, icmp(8, 0, 1, bytes(8)))))),
    eth(0x8100, vlan(5, 0x8100, vlan(6, 0x8100, vlan(7, ETH_IP, bytes(20))))),
    eth(0x8100, Uint8Array.from([0, 200])),
    // Other EtherTypes and the smallest frames.
    eth(0x0806, bytes(28)),
    eth(0x88cc, bytes(46)),
    eth(0x0040, bytes(46)),
    eth(ETH_IP, new Uint8Array(0)),
    eth(ETH_IP6, new Uint8Array(1)),
    eth(0x1234, new Uint8Array(46)),
    eth(ETH_IP, ipv4({ proto: 17, dst: ip4('10.0.0.1') }, udp(1, 2, bytes(1472 - 8)))),
  ];
  return out;
}

/** Frames whose every truncation is worth a run: TCP options, ICMP, IPIP, IPv6 extensions, VLAN, IPv4 options. */
export function richPackets(): Bytes[] {
  const options = Uint8Array.from([...OPT.mss(1460), ...OPT.sackOk, ...OPT.timestamp(1, 0), ...OPT.nop, ...OPT.wscale(7)]);
  return [
    tcp4({}, { options }),
    icmp4({}, 8, 0, bytes(56)),
    eth(ETH_IP, ipv4({ proto: 4 }, ipv4({ proto: 17, dst: ip4('10.9.9.9') }, udp(5, 6, bytes(12))))),
    eth(ETH_IP6, ipv6(0, ext6(43, 1, ext6(60, 0, frag6(6, 0, true, tcp({ flags: TCP.ACK }, bytes(8))))))),
    eth(0x8100, vlan(100, ETH_IP, ipv4({ proto: 17 }, udp(1, 7, bytes(10))))),
    eth(ETH_IP, ipv4({ proto: 17, options: Uint8Array.from([0x94, 4, 0, 0]) }, udp(1, 7, bytes(8)))),
  ];
}

/** Every prefix (at least 14 bytes) of each frame. */
export function truncations(frames: readonly Bytes[]): Bytes[] {
  return frames.flatMap((f) => Array.from({ length: f.length - 14 }, (_, i) => f.slice(0, 14 + i)));
}

/** Copies of random crafted frames with 1-4 header bytes changed. */
export function mutations(frames: readonly Bytes[], count: number, seed: number): Bytes[] {
  const next = u32Stream(seed);
  return Array.from({ length: count }, () => {
    const f = frames[next() % frames.length]!.slice();
    const flips = 1 + (next() % 4);
    for (let i = 0; i < flips; i++) f[12 + (next() % Math.min(f.length - 12, 70))] = next() & 0xff;
    return f;
  });
}

/** Random bytes behind a plausible EtherType, 14 to 200 bytes. */
export function randomFrames(count: number, seed: number): Bytes[] {
  const next = u32Stream(seed);
  const types = [ETH_IP, ETH_IP6, 0x8100, 0x0806, 0x88a8, next() & 0xffff];
  return Array.from({ length: count }, () => {
    const f = Uint8Array.from({ length: 14 + (next() % 187) }, () => next() & 0xff);
    const type = types[next() % types.length]!;
    f[12] = type >> 8;
    f[13] = type & 0xff;
    return f;
  });
}

/** helper_probe.c packets: op in byte 0, a signed 16-bit argument in bytes 2-3, more arguments in 4-11. */
export function probePackets(seed: number): Bytes[] {
  const next = u32Stream(seed);
  const frame = (op: number, arg: number, length: number, extra: (f: Bytes) => void = () => {}): Bytes => {
    const f = Uint8Array.from({ length }, (_, i) => (i * 13 + op) & 0xff);
    f[0] = op;
    f[1] = 0;
    f[2] = (arg >> 8) & 0xff;
    f[3] = arg & 0xff;
    extra(f);
    return f;
  };
  const out: Bytes[] = [];
  // adjust_head: the xdp_frame reserve (216 bytes of usable headroom) and the 14-byte minimum.
  for (const len of [16, 64, 100]) {
    for (const d of [-300, -217, -216, -215, -100, -1, 0, 1, 2, len - 15, len - 14, len - 13, 200, 32767, -32768]) out.push(frame(1, d, len));
  }
  // adjust_tail: grow to the hard end (3520 bytes from the initial data start), shrink to 14.
  for (const len of [16, 64, 1500]) {
    for (const d of [-len, 14 - len - 1, 14 - len, -1, 0, 1, 100, 3520 - len, 3521 - len, 32767, -32768]) out.push(frame(2, d, len));
  }
  out.push(frame(2, 10, 3520), frame(2, -10, 3520), frame(2, 0, 3510));
  // adjust_meta: alignment, the 252-byte limit, the reserve, growing past data.
  for (const d of [-4, -8, -32, -36, -252, -256, -216, -220, -2, -3, 0, 4, 8]) out.push(frame(3, d, 40));
  // csum_diff: sizes aligned and not, up to 640 bytes together, assorted seeds.
  for (let i = 0; i < 40; i++) {
    out.push(frame(4, 0, 24 + (next() % 40), (f) => {
      const from = i < 10 ? i * 4 : next() % 400;
      const to = i < 10 ? 36 - i * 4 : next() % 400;
      f[4] = from & 0xff; f[5] = from >> 8; f[6] = to & 0xff; f[7] = to >> 8;
      for (let k = 8; k < 12; k++) f[k] = i % 3 === 0 ? 0xff : next() & 0xff;
    }));
  }
  // load/store bytes: offsets around the end of the packet and beyond 64 KiB.
  for (const [op, len] of [[5, 40], [6, 40], [5, 200], [6, 17]] as const) {
    for (const off of [0, 1, len - 9, len - 8, len - 7, len - 4, len - 3, len, 0xffff, 0x10000 - 8]) {
      out.push(frame(op, 0, len, (f) => { f[4] = off & 0xff; f[5] = (off >> 8) & 0xff; }));
    }
  }
  // redirect with and without flags; buffer length; metadata then head moves; the context fields.
  for (const flags of [0, 1, 2]) out.push(frame(7, 0, 20, (f) => { f[4] = 9; f[6] = flags; }));
  out.push(frame(8, 0, 16), frame(8, 0, 999));
  for (const d of [-208, -209, -200, -1, 0, 4, 26, 27]) out.push(frame(9, d, 40));
  out.push(frame(10, 0, 16), frame(11, 0, 16), frame(0, 0, 16), frame(1, 0, 15));
  return out;
}

/** A seeded stream of 32-bit values (src/random.ts), so failures reproduce. */
function u32Stream(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.u32();
}
