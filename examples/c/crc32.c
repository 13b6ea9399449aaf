/* CRC-32 (the one of Ethernet, zip and zlib) of the input bytes, with a
 * 16-entry table in .rodata: a half-byte at a time keeps the table at 64
 * bytes of data memory instead of 1 KiB. Shows globals in a C program: the
 * loader places .rodata in data memory and points the lddw at it.
 *
 *   clang -target bpf -O2 -mcpu=v3 -c crc32.c -o crc32.o
 */

static const unsigned int crc_table[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
	0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c, 0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

unsigned long prog(const unsigned char *in, unsigned long len)
{
	unsigned int crc = 0xffffffff;
	for (unsigned long i = 0; i < len; i++) {
		crc ^= in[i];
		crc = (crc >> 4) ^ crc_table[crc & 15];
		crc = (crc >> 4) ^ crc_table[crc & 15];
	}
	return ~crc;
}
