// XDP numbers from Linux: verdicts, the xdp_md context, the frame geometry of
// BPF_PROG_TEST_RUN (net/bpf/test_run.c, checked against Linux 6.18), errno
// values helpers return, and map type names.

/** enum xdp_action. */
export const XDP_ACTION_NAMES = ['XDP_ABORTED', 'XDP_DROP', 'XDP_PASS', 'XDP_TX', 'XDP_REDIRECT'] as const;
export const XDP_ABORTED = 0;
export const XDP_DROP = 1;
export const XDP_PASS = 2;
export const XDP_TX = 3;
export const XDP_REDIRECT = 4;

/** `XDP_PASS`, or `verdict 7` for a value outside enum xdp_action. */
export function actionName(action: number): string {
  return XDP_ACTION_NAMES[action] ?? `verdict ${action}`;
}

/** struct xdp_md: six u32 fields the program reads through r1. */
export const XDP_MD = {
  data: 0,
  dataEnd: 4,
  dataMeta: 8,
  ingressIfindex: 12,
  rxQueueIndex: 16,
  egressIfindex: 20,
  bytes: 24,
} as const;

export const XDP_MD_FIELD_NAMES: Readonly<Record<number, string>> = {
  0: 'data', 4: 'data_end', 8: 'data_meta', 12: 'ingress_ifindex', 16: 'rx_queue_index', 20: 'egress_ifindex',
};

/**
 * The frame a packet sits in, as BPF_PROG_TEST_RUN builds it:
 *   hard_start | struct xdp_frame (40) | rest of headroom | packet | tail | skb_shared_info (320)
 * with the packet at hard_start + 256 and 4096 bytes in all. adjust_head and
 * adjust_meta may not move below hard_start + 40; adjust_tail may not pass
 * the hard end (hard_start + 4096 - 320). Packets longer than 3520 bytes
 * would need multi-buffer XDP, which bpfgate does not model.
 */
export const XDP_FRAME = {
  frameBytes: 4096,
  /** XDP_PACKET_HEADROOM. */
  headroom: 256,
  /** sizeof(struct xdp_frame), kept free at the start of the headroom. */
  frameReserve: 40,
  /** SKB_DATA_ALIGN(sizeof(struct skb_shared_info)), kept free at the end. */
  tailReserve: 320,
  /** Largest metadata area (skb_shared_info.meta_len is a u8; 4-byte aligned). */
  maxMetaBytes: 252,
  /** ETH_HLEN: adjust_head/adjust_tail keep at least this much packet. */
  minPacketBytes: 14,
} as const;

/** Longest packet a frame holds: 4096 - 256 - 320 = 3520 bytes. */
export const XDP_MAX_PACKET = XDP_FRAME.frameBytes - XDP_FRAME.headroom - XDP_FRAME.tailReserve;

/** Errno values helpers return (negated), from asm-generic/errno-base.h. */
export const ERRNO = { ENOENT: 2, E2BIG: 7, EAGAIN: 11, EACCES: 13, EFAULT: 14, EEXIST: 17, EINVAL: 22, ENOSPC: 28 } as const;

/** Map update flags. */
export const BPF_ANY = 0;
export const BPF_NOEXIST = 1;
export const BPF_EXIST = 2;
export const BPF_F_LOCK = 4;

/** enum bpf_map_type, by number, for messages. */
const MAP_TYPE_NAMES: readonly string[] = [
  'UNSPEC', 'HASH', 'ARRAY', 'PROG_ARRAY', 'PERF_EVENT_ARRAY', 'PERCPU_HASH', 'PERCPU_ARRAY', 'STACK_TRACE',
  'CGROUP_ARRAY', 'LRU_HASH', 'LRU_PERCPU_HASH', 'LPM_TRIE', 'ARRAY_OF_MAPS', 'HASH_OF_MAPS', 'DEVMAP', 'SOCKMAP',
  'CPUMAP', 'XSKMAP', 'SOCKHASH', 'CGROUP_STORAGE', 'REUSEPORT_SOCKARRAY', 'PERCPU_CGROUP_STORAGE', 'QUEUE', 'STACK',
  'SK_STORAGE', 'DEVMAP_HASH', 'STRUCT_OPS', 'RINGBUF', 'INODE_STORAGE', 'TASK_STORAGE', 'BLOOM_FILTER',
  'USER_RINGBUF', 'CGRP_STORAGE', 'ARENA',
];

export const BPF_MAP_TYPE_HASH = 1;
export const BPF_MAP_TYPE_ARRAY = 2;
export const BPF_MAP_TYPE_PROG_ARRAY = 3;
export const BPF_MAP_TYPE_PERF_EVENT_ARRAY = 4;
export const BPF_MAP_TYPE_PERCPU_HASH = 5;
export const BPF_MAP_TYPE_PERCPU_ARRAY = 6;
export const BPF_MAP_TYPE_LRU_HASH = 9;
export const BPF_MAP_TYPE_LRU_PERCPU_HASH = 10;
export const BPF_MAP_TYPE_LPM_TRIE = 11;
export const BPF_MAP_TYPE_ARRAY_OF_MAPS = 12;
export const BPF_MAP_TYPE_HASH_OF_MAPS = 13;
export const BPF_MAP_TYPE_DEVMAP = 14;
export const BPF_MAP_TYPE_CPUMAP = 16;
export const BPF_MAP_TYPE_XSKMAP = 17;
export const BPF_MAP_TYPE_DEVMAP_HASH = 25;
export const BPF_MAP_TYPE_RINGBUF = 27;

/** MAX_TAIL_CALL_CNT (Linux 5.17+): 33 tail calls in a chain succeed, the next falls through. */
export const MAX_TAIL_CALL_CNT = 33;

/** `BPF_MAP_TYPE_HASH (1)`, or `map type 99`. */
export function mapTypeName(type: number): string {
  const name = MAP_TYPE_NAMES[type];
  return name === undefined ? `map type ${type}` : `BPF_MAP_TYPE_${name} (${type})`;
}
