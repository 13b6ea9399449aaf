/*
 * bpf-runner: the Linux kernel as a referee for bpfgate's XDP mode.
 *
 * Compiled at test time with the system C compiler (no libbpf needed) and
 * driven by src/xdp/kernel/kernel-runner.ts over stdin/stdout, one command
 * per line and exactly one answer line per command:
 *
 *   map TYPE KEY_SIZE VALUE_SIZE MAX_ENTRIES FLAGS [INNER_INDEX] -> ok INDEX
 *       INNER_INDEX: the inner map template of a map-in-map
 *   load HEX_INSNS                                     -> ok
 *   prog HEX_INSNS                                     -> ok PROG_INDEX
 *       loads another program (a tail-call target) and keeps it; same lddw rules
 *   setfd INDEX HEX_KEY map|prog INDEX2                -> ok
 *       stores the fd of map/program INDEX2 under KEY (map-in-map, PROG_ARRAY)
 *       lddw with src=1 (BPF_PSEUDO_MAP_FD): imm = map INDEX (replaced by its fd)
 *       lddw with src=2 (BPF_PSEUDO_MAP_VALUE): imm = map INDEX, second imm = offset
 *   ctx INGRESS_IFINDEX RX_QUEUE_INDEX                 -> ok   (0 0: no ctx_in)
 *   update INDEX FLAGS HEX_KEY HEX_VALUE               -> ok
 *   delete INDEX HEX_KEY                               -> ok
 *   dump INDEX                                         -> ok COUNT [HEX_KEY:HEX_VALUE ...]
 *   run REPEAT HEX_PACKET                              -> ok RETVAL DURATION_NS HEX_OUT
 *
 * An empty hex string is written "-". Any failure answers
 * "err ERRNO MESSAGE" (for load: the verifier log's last lines, on one line)
 * and the runner goes on with the next command.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_MAPS 64
/* Per-CPU values from user space are one round_up(value_size, 8) slice per possible CPU. */
#define MAX_CPUS 1024
#define MAX_PROGS 64
#define MAX_PACKET 65536

static int map_fds[MAX_MAPS];
static struct { uint32_t type, key_size, value_size, max_entries; } map_info[MAX_MAPS];
static int nmaps;
static int prog_fd = -1;
static int prog_fds[MAX_PROGS];
static int nprogs;
static uint32_t ctx_ifindex, ctx_rxq;

/* bpfgate models one CPU: the runner runs (and tests) on CPU 0, and per-CPU maps show CPU 0's slice. */
static int percpu(uint32_t type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY || type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static void fail(const char *what)
{
	printf("err %d %s: %s\n", errno, what, strerror(errno));
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Decode a hex token ("-" = empty) into a fresh buffer; returns its length or -1. */
static long unhex(const char *s, unsigned char **out)
{
	size_t n = strcmp(s, "-") == 0 ? 0 : strlen(s);
	if (n % 2) return -1;
	*out = malloc(n / 2 + 1);
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0) { free(*out); return -1; }
		(*out)[i] = (unsigned char)(hi << 4 | lo);
	}
	return (long)(n / 2);
}

static void puthex(const unsigned char *p, size_t n)
{
	if (n == 0) { putchar('-'); return; }
	for (size_t i = 0; i < n; i++) printf("%02x", p[i]);
}

static void cmd_map(char **arg, int argc)
{
	if (argc != 5 && argc != 6) { printf("err %d map needs 5 or 6 arguments\n", EINVAL); return; }
	if (nmaps == MAX_MAPS) { printf("err %d too many maps\n", ENOSPC); return; }
	union bpf_attr a;
	memset(&a, 0, sizeof a);
	a.map_type = strtoul(arg[0], 0, 0);
	a.key_size = strtoul(arg[1], 0, 0);
	a.value_size = strtoul(arg[2], 0, 0);
	a.max_entries = strtoul(arg[3], 0, 0);
	a.map_flags = strtoul(arg[4], 0, 0);
	if (argc == 6) {
		int inner = atoi(arg[5]);
		if (inner < 0 || inner >= nmaps) { printf("err %d no inner map %d\n", EINVAL, inner); return; }
		a.inner_map_fd = map_fds[inner];
	}
	int fd = sys_bpf(BPF_MAP_CREATE, &a);
	if (fd < 0) { fail("BPF_MAP_CREATE"); return; }
	map_info[nmaps].type = a.map_type;
	map_info[nmaps].key_size = a.key_size;
	map_info[nmaps].value_size = a.value_size;
	map_info[nmaps].max_entries = a.max_entries;
	map_fds[nmaps] = fd;
	printf("ok %d\n", nmaps++);
}

static void cmd_load(char **arg, int argc, int extra)
{
	if (extra && nprogs == MAX_PROGS) { printf("err %d too many programs\n", ENOSPC); return; }
	unsigned char *bytes;
	long n = argc == 1 ? unhex(arg[0], &bytes) : -1;
	if (n <= 0 || n % 8) {
		printf("err %d load needs whole 8-byte instructions in hex\n", EINVAL);
		if (n >= 0) free(bytes);
		return;
	}
	struct bpf_insn *insns = (struct bpf_insn *)bytes;
	size_t count = n / 8;
	for (size_t i = 0; i + 1 < count; i++) {
		struct bpf_insn *in = &insns[i];
		if (in->code != (BPF_LD | BPF_IMM | BPF_DW)) continue;
		if (in->src_reg == BPF_PSEUDO_MAP_FD || in->src_reg == BPF_PSEUDO_MAP_VALUE) {
			if (in->imm < 0 || in->imm >= nmaps) { printf("err %d insn %zu names map %d, not created\n", EINVAL, i, in->imm); free(bytes); return; }
			in->imm = map_fds[in->imm];
		}
		i++;
	}
	if (!extra && prog_fd >= 0) close(prog_fd);
	static char log[1 << 20];
	union bpf_attr a;
	memset(&a, 0, sizeof a);
	a.prog_type = BPF_PROG_TYPE_XDP;
	a.insns = (uintptr_t)insns;
	a.insn_cnt = count;
	a.license = (uintptr_t)"GPL";
	int fd = sys_bpf(BPF_PROG_LOAD, &a);
	if (!extra) prog_fd = fd;
	if (fd < 0) {
		/* Load again with the verifier log for the message. */
		int err = errno;
		a.log_buf = (uintptr_t)log;
		a.log_size = sizeof log;
		a.log_level = 1;
		log[0] = 0;
		sys_bpf(BPF_PROG_LOAD, &a);
		size_t len = strlen(log);
		const char *tail = len > 1500 ? log + len - 1500 : log;
		printf("err %d BPF_PROG_LOAD: %s", err, strerror(err));
		if (*tail) printf(": ");
		for (const char *p = tail; *p; p++) putchar(*p == '\n' ? '|' : *p);
		putchar('\n');
	} else if (extra) {
		prog_fds[nprogs] = fd;
		printf("ok %d\n", nprogs++);
	} else {
		printf("ok\n");
	}
	free(bytes);
}

static void cmd_ctx(char **arg, int argc)
{
	if (argc != 2) { printf("err %d ctx needs 2 arguments\n", EINVAL); return; }
	ctx_ifindex = strtoul(arg[0], 0, 0);
	ctx_rxq = strtoul(arg[1], 0, 0);
	printf("ok\n");
}

static int map_arg(const char *s)
{
	int i = atoi(s);
	if (i < 0 || i >= nmaps) { printf("err %d no map %d\n", EINVAL, i); return -1; }
	return i;
}

static void cmd_update(char **arg, int argc)
{
	if (argc != 4) { printf("err %d update needs 4 arguments\n", EINVAL); return; }
	int m = map_arg(arg[0]);
	if (m < 0) return;
	unsigned char *key, *value;
	long kn = unhex(arg[2], &key), vn = unhex(arg[3], &value);
	if (kn != map_info[m].key_size || vn != map_info[m].value_size) {
		printf("err %d key/value sizes %ld/%ld do not match the map's %u/%u\n", EINVAL, kn, vn,
		       map_info[m].key_size, map_info[m].value_size);
		if (kn >= 0) free(key);
		if (vn >= 0) free(value);
		return;
	}
	if (percpu(map_info[m].type)) {
		/* The value goes to CPU 0; the other CPUs' copies start at zero. */
		unsigned char *all = calloc(MAX_CPUS, (vn + 7) & ~7L);
		memcpy(all, value, vn);
		free(value);
		value = all;
	}
	union bpf_attr a;
	memset(&a, 0, sizeof a);
	a.map_fd = map_fds[m];
	a.key = (uintptr_t)key;
	a.value = (uintptr_t)value;
	a.flags = strtoull(arg[1], 0, 0);
	if (sys_bpf(BPF_MAP_UPDATE_ELEM, &a) < 0) fail("BPF_MAP_UPDATE_ELEM");
	else printf("ok\n");
	free(key);
	free(value);
}

static void cmd_delete(char **arg, int argc)
{
	if (argc != 2) { printf("err %d delete needs 2 arguments\n", EINVAL); return; }
	int m = map_arg(arg[0]);
	if (m < 0) return;
	unsigned char *key;
	long kn = unhex(arg[1], &key);
	if (kn != map_info[m].key_size) {
		printf("err %d key size %ld does not match the map's %u\n", EINVAL, kn, map_info[m].key_size);
		if (kn >= 0) free(key);
		return;
	}
	union bpf_attr a;
	memset(&a, 0, sizeof a);
	a.map_fd = map_fds[m];
	a.key = (uintptr_t)key;
	if (sys_bpf(BPF_MAP_DELETE_ELEM, &a) < 0) fail("BPF_MAP_DELETE_ELEM");
	else printf("ok\n");
	free(key);
}

static void cmd_setfd(char **arg, int argc)
{
	if (argc != 4) { printf("err %d setfd needs 4 arguments\n", EINVAL); return; }
	int m = map_arg(arg[0]);
	if (m < 0) return;
	int i = atoi(arg[3]), prog = strcmp(arg[2], "prog") == 0;
	if (i < 0 || i >= (prog ? nprogs : nmaps)) { printf("err %d no %s %d\n", EINVAL, arg[2], i); return; }
	unsigned char *key;
	long kn = unhex(arg[1], &key);
	if (kn != map_info[m].key_size) {
		printf("err %d key size %ld does not match the map's %u\n", EINVAL, kn, map_info[m].key_size);
		if (kn >= 0) free(key);
		return;
	}
	uint32_t fd = prog ? prog_fds[i] : map_fds[i];
	union bpf_attr a;
	memset(&a, 0, sizeof a);
	a.map_fd = map_fds[m];
	a.key = (uintptr_t)key;
	a.value = (uintptr_t)&fd;
	if (sys_bpf(BPF_MAP_UPDATE_ELEM, &a) < 0) fail("BPF_MAP_UPDATE_ELEM");
	else printf("ok\n");
	free(key);
}

static void cmd_dump(char **arg, int argc)
{
	if (argc != 1) { printf("err %d dump needs 1 argument\n", EINVAL); return; }
	int m = map_arg(arg[0]);
	if (m < 0) return;
	uint32_t ks = map_info[m].key_size, vs = map_info[m].value_size;
	size_t value_bytes = percpu(map_info[m].type) ? (size_t)MAX_CPUS * ((vs + 7) & ~7u) : vs + 1;
	unsigned char *key = calloc(1, ks + 1), *next = calloc(1, ks + 1), *value = calloc(1, value_bytes);
	/* Collect into a buffer first: the count goes before the entries. */
	char *text = NULL;
	size_t textlen = 0;
	FILE *out = open_memstream(&text, &textlen);
	int count = 0, first = 1;
	for (;;) {
		union bpf_attr a;
		memset(&a, 0, sizeof a);
		a.map_fd = map_fds[m];
		a.key = first ? 0 : (uintptr_t)key;
		a.next_key = (uintptr_t)next;
		if (sys_bpf(BPF_MAP_GET_NEXT_KEY, &a) < 0) break;
		first = 0;
		memcpy(key, next, ks);
		memset(&a, 0, sizeof a);
		a.map_fd = map_fds[m];
		a.key = (uintptr_t)key;
		a.value = (uintptr_t)value;
		if (sys_bpf(BPF_MAP_LOOKUP_ELEM, &a) < 0) continue; /* deleted meanwhile */
		fputc(' ', out);
		for (uint32_t i = 0; i < ks; i++) fprintf(out, "%02x", key[i]);
		fputc(':', out);
		for (uint32_t i = 0; i < vs; i++) fprintf(out, "%02x", value[i]);
		count++;
	}
	fclose(out);
	printf("ok %d%s\n", count, text ? text : "");
	free(text);
	free(key);
	free(next);
	free(value);
}

static void cmd_run(char **arg, int argc)
{
	if (argc != 2) { printf("err %d run needs 2 arguments\n", EINVAL); return; }
	if (prog_fd < 0) { printf("err %d no program loaded\n", EINVAL); return; }
	unsigned char *packet;
	long n = unhex(arg[1], &packet);
	if (n < 0) { printf("err %d bad packet hex\n", EINVAL); return; }
	static unsigned char out[MAX_PACKET];
	struct xdp_md ctx;
	memset(&ctx, 0, sizeof ctx);
	ctx.data_end = n;
	ctx.ingress_ifindex = ctx_ifindex;
	ctx.rx_queue_index = ctx_rxq;
	union bpf_attr a;
	memset(&a, 0, sizeof a);
	a.test.prog_fd = prog_fd;
	a.test.data_in = (uintptr_t)packet;
	a.test.data_size_in = n;
	a.test.data_out = (uintptr_t)out;
	a.test.data_size_out = sizeof out;
	a.test.repeat = strtoul(arg[0], 0, 0);
	if (ctx_ifindex) {
		a.test.ctx_in = (uintptr_t)&ctx;
		a.test.ctx_size_in = sizeof ctx;
	}
	if (sys_bpf(BPF_PROG_TEST_RUN, &a) < 0) {
		fail("BPF_PROG_TEST_RUN");
	} else {
		printf("ok %u %u ", a.test.retval, a.test.duration);
		puthex(out, a.test.data_size_out);
		putchar('\n');
	}
	free(packet);
}

int main(void)
{
	cpu_set_t cpu0;
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	sched_setaffinity(0, sizeof cpu0, &cpu0);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	while ((len = getline(&line, &cap, stdin)) >= 0) {
		char *arg[8];
		int argc = 0;
		char *save, *tok = strtok_r(line, " \t\r\n", &save);
		if (!tok) continue;
		char *cmd = tok;
		while (argc < 8 && (tok = strtok_r(NULL, " \t\r\n", &save))) arg[argc++] = tok;
		if (strcmp(cmd, "map") == 0) cmd_map(arg, argc);
		else if (strcmp(cmd, "load") == 0) cmd_load(arg, argc, 0);
		else if (strcmp(cmd, "prog") == 0) cmd_load(arg, argc, 1);
		else if (strcmp(cmd, "setfd") == 0) cmd_setfd(arg, argc);
		else if (strcmp(cmd, "ctx") == 0) cmd_ctx(arg, argc);
		else if (strcmp(cmd, "update") == 0) cmd_update(arg, argc);
		else if (strcmp(cmd, "delete") == 0) cmd_delete(arg, argc);
		else if (strcmp(cmd, "dump") == 0) cmd_dump(arg, argc);
		else if (strcmp(cmd, "run") == 0) cmd_run(arg, argc);
		else printf("err %d unknown command '%s'\n", EINVAL, cmd);
		fflush(stdout);
	}
	free(line);
	return 0;
}
