// Writes examples/xdp/sample.pcap: a small mix of traffic for port_filter.c
// (SSH, HTTP, DNS over IPv4 and IPv6, a VLAN-tagged frame, ARP, a truncated
// frame).  npx tsx examples/xdp/make-sample-pcap.ts
import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePcap } from '../../src/pcap/index.ts';
import { bytes, eth, ip4, ipv4, ipv6, tcp, TCP, udp, vlan } from '../../src/xdp/packet-builder.ts';

const v4 = (proto: number, src: string) => ({ proto, src: ip4(src), dst: ip4('10.0.0.2') });
const frames = [
  eth(0x0800, ipv4(v4(6, '10.0.0.9'), tcp({ dport: 22, flags: TCP.SYN }, new Uint8Array(0), v4(6, '10.0.0.9')))),
  eth(0x0800, ipv4(v4(6, '10.0.0.9'), tcp({ dport: 80, flags: TCP.ACK | TCP.PSH }, bytes(120), v4(6, '10.0.0.9')))),
  eth(0x0800, ipv4(v4(17, '10.0.0.7'), udp(53000, 53, bytes(40), v4(17, '10.0.0.7')))),
  eth(0x86dd, ipv6(6, tcp({ dport: 22, flags: TCP.SYN }, new Uint8Array(0)))),
  eth(0x86dd, ipv6(17, udp(5353, 5353, bytes(30)))),
  eth(0x8100, vlan(42, 0x0800, ipv4(v4(6, '10.0.0.8'), tcp({ dport: 22, flags: TCP.ACK }, bytes(10), v4(6, '10.0.0.8'))))),
  eth(0x0806, bytes(28)),
  eth(0x0800, ipv4(v4(6, '10.0.0.9'), tcp({ dport: 443 }, new Uint8Array(0)))).subarray(0, 36),
];
const out = join(dirname(fileURLToPath(import.meta.url)), 'sample.pcap');
writeFileSync(out, writePcap(frames.map((data, i) => ({ data, timestampNs: 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n }))));
console.log(`wrote ${frames.length} frames to ${out}`);
