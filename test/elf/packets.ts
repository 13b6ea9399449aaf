// Test packets for the packet-parser example, built byte by byte, each with
// the answer the parser must give (the UDP destination port, or -1) worked out
// here from how the packet was built — independent of any C code.

export interface PacketCase {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly expected: number;
}

interface PacketSpec {
  vlan?: boolean;
  ethertype?: number;
  version?: number;
  ihl?: number; // in 32-bit words
  protocol?: number;
  flagsFrag?: number;
  dstPort?: number;
  payload?: number;
  /** Cut the frame to this many bytes. */
  truncate?: number;
  /** Override the IPv4 total length field. */
  totalLength?: number;
}

const be16 = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];

export function buildPacket(spec: PacketSpec): Uint8Array {
  const ihl = spec.ihl ?? 5;
  const payload = spec.payload ?? 4;
  const eth = [
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01, // dst MAC
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, // src MAC
    ...(spec.vlan ? [...be16(0x8100), ...be16(0x0064)] : []),
    ...be16(spec.ethertype ?? 0x0800),
  ];
  const udp = [...be16(40000), ...be16(spec.dstPort ?? 53), ...be16(8 + payload), 0, 0];
  const total = spec.totalLength ?? ihl * 4 + udp.length + payload;
  const ip = [
    ((spec.version ?? 4) << 4) | (ihl & 0xf), 0, ...be16(total),
    0x12, 0x34, ...be16(spec.flagsFrag ?? 0x4000), // identification; don't-fragment
    64, spec.protocol ?? 17, 0, 0, // ttl, protocol, checksum (not checked)
    10, 0, 0, 1, 10, 0, 0, 2,
    ...new Array(Math.max(0, ihl * 4 - 20)).fill(0x01), // options (NOPs)
  ];
  const bytes = [...eth, ...ip, ...udp, ...Array.from({ length: payload }, (_, i) => i)];
  return Uint8Array.from(spec.truncate === undefined ? bytes : bytes.slice(0, spec.truncate));
}

export function packetCases(): PacketCase[] {
  const full = buildPacket({ dstPort: 4789 }).length;
  return [
    { name: 'udp port 53', bytes: buildPacket({}), expected: 53 },
    { name: 'udp port 4789', bytes: buildPacket({ dstPort: 4789 }), expected: 4789 },
    { name: 'udp port 65535', bytes: buildPacket({ dstPort: 0xffff }), expected: 0xffff },
    { name: 'vlan-tagged udp', bytes: buildPacket({ vlan: true, dstPort: 8080 }), expected: 8080 },
    { name: 'ip options (ihl 7)', bytes: buildPacket({ ihl: 7, dstPort: 123 }), expected: 123 },
    { name: 'ethernet padding after ip', bytes: Uint8Array.from([...buildPacket({ dstPort: 7 }), 0, 0, 0, 0]), expected: 7 },
    { name: 'tcp', bytes: buildPacket({ protocol: 6 }), expected: -1 },
    { name: 'ipv6 ethertype', bytes: buildPacket({ ethertype: 0x86dd }), expected: -1 },
    { name: 'arp ethertype', bytes: buildPacket({ ethertype: 0x0806 }), expected: -1 },
    { name: 'ip version 6 in v4 ethertype', bytes: buildPacket({ version: 6 }), expected: -1 },
    { name: 'ihl 4 (too small)', bytes: buildPacket({ ihl: 4 }), expected: -1 },
    { name: 'fragment offset', bytes: buildPacket({ flagsFrag: 0x0010 }), expected: -1 },
    { name: 'more-fragments flag', bytes: buildPacket({ flagsFrag: 0x2000 }), expected: -1 },
    { name: 'total length beyond frame', bytes: buildPacket({ totalLength: 200 }), expected: -1 },
    { name: 'total length shorter than udp header', bytes: buildPacket({ totalLength: 24 }), expected: -1 },
    { name: 'empty', bytes: new Uint8Array(0), expected: -1 },
    { name: 'ethernet header only', bytes: buildPacket({ truncate: 14 }), expected: -1 },
    { name: 'cut in ip header', bytes: buildPacket({ truncate: 30 }), expected: -1 },
    { name: 'cut in udp header', bytes: buildPacket({ truncate: 14 + 20 + 3 }), expected: -1 },
    { name: 'cut in payload', bytes: buildPacket({ dstPort: 4789, truncate: full - 1 }), expected: -1 },
    { name: 'vlan tag cut', bytes: buildPacket({ vlan: true, truncate: 16 }), expected: -1 },
  ];
}
