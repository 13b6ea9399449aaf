/* Packet parser: returns the UDP destination port of an Ethernet/IPv4/UDP
 * frame, or -1 for anything else (other EtherTypes or protocols, IPv4
 * fragments, bad header lengths, truncated frames). One optional 802.1Q VLAN
 * tag is skipped. Every read is bounds-checked against len first: on bpfgate
 * a read past the packet is a fault, exactly like the kernel verifier would
 * refuse it.
 *
 * The program gets r1 = packet address and r2 = packet length:
 *   clang -target bpf -O2 -mcpu=v3 -c packet_parser.c -o packet_parser.o
 */

#define ETH_HLEN 14
#define ETH_P_IP 0x0800
#define ETH_P_8021Q 0x8100
#define IPPROTO_UDP 17
#define UDP_HLEN 8

/* Network byte order (big-endian) 16-bit field. */
static unsigned int be16(const unsigned char *p)
{
	return (unsigned int)p[0] << 8 | p[1];
}

int prog(unsigned char *pkt, unsigned long len)
{
	unsigned long off = ETH_HLEN;
	if (len < ETH_HLEN)
		return -1;
	unsigned int proto = be16(pkt + 12);
	if (proto == ETH_P_8021Q) {
		if (len < ETH_HLEN + 4)
			return -1;
		proto = be16(pkt + 16);
		off += 4;
	}
	if (proto != ETH_P_IP)
		return -1;

	/* IPv4 header: version/IHL, ..., flags/fragment offset at 6, protocol at 9. */
	if (len < off + 20)
		return -1;
	const unsigned char *ip = pkt + off;
	unsigned int ihl = (ip[0] & 0x0f) * 4;
	if ((ip[0] >> 4) != 4 || ihl < 20 || len < off + ihl)
		return -1;
	unsigned int total = be16(ip + 2);
	if (total < ihl || len < off + total)
		return -1;
	if (be16(ip + 6) & 0x3fff) /* more-fragments flag or a fragment offset */
		return -1;
	if (ip[9] != IPPROTO_UDP)
		return -1;

	off += ihl;
	if (total < ihl + UDP_HLEN)
		return -1;
	return (int)be16(pkt + off + 2);
}
