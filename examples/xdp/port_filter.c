/* Port filter: drops TCP and UDP traffic to the destination ports listed in
 * a hash map (filled from the host, e.g. `bpfgate xdp -m blocked:1600=...`)
 * and counts packets per verdict. IPv4 and IPv6, one optional VLAN tag.
 *
 *   clang -O2 -g -target bpf -c examples/xdp/port_filter.c -o port_filter.o
 *   npx bpfgate xdp port_filter.o --pcap examples/xdp/sample.pcap -m blocked:0016=01 --dump-maps
 *
 * (key 0016 is port 22 in network byte order; value 01 means "drop".) */
/* By path, so the example builds with no -I: the header the test fixtures
 * use (no kernel headers or libbpf needed). */
#include "../../test/fixtures/xdp/bpfgate_xdp.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __be16);  /* destination port, network byte order */
	__type(value, __u8);  /* non-zero: drop */
	__uint(max_entries, 32);
} blocked SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 5); /* packets per XDP verdict */
} verdicts SEC(".maps");

static __always_inline int count(__u32 verdict)
{
	__u64 *n = bpf_map_lookup_elem(&verdicts, &verdict);
	if (n)
		*n += 1;
	return verdict;
}

SEC("xdp")
int port_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	void *l3 = eth + 1;
	if (l3 > end)
		return count(XDP_DROP);
	__be16 proto = eth->h_proto;
	if (proto == bpf_htons(ETH_P_8021Q)) {
		struct vlan_hdr *vh = l3;
		if ((void *)(vh + 1) > end)
			return count(XDP_DROP);
		proto = vh->h_vlan_encapsulated_proto;
		l3 = vh + 1;
	}
	__u8 l4proto;
	void *l4;
	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = l3;
		if ((void *)(ip + 1) > end || ip->ihl < 5)
			return count(XDP_DROP);
		l4proto = ip->protocol;
		l4 = l3 + ip->ihl * 4;
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = l3;
		if ((void *)(ip6 + 1) > end)
			return count(XDP_DROP);
		l4proto = ip6->nexthdr;
		l4 = ip6 + 1;
	} else {
		return count(XDP_PASS);
	}
	if (l4proto != IPPROTO_TCP && l4proto != IPPROTO_UDP)
		return count(XDP_PASS);
	struct udphdr *ports = l4; /* TCP and UDP both start with the two ports */
	if ((void *)(ports + 1) > end)
		return count(XDP_DROP);
	__u8 *drop = bpf_map_lookup_elem(&blocked, &ports->dest);
	return count(drop && *drop ? XDP_DROP : XDP_PASS);
}

char _license[] SEC("license") = "GPL";
