// Bad input gives an ElfError naming the file and the problem (and the byte
// offset when there is one), never a RangeError or a wrong program.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ElfError, loadElf, type LoadElfOptions } from '../../src/elf/index.ts';
import { readElf } from '../../src/elf/reader.ts';
import { Rng } from '../../src/random.ts';
import { decodeSpec } from '../../src/isa/lookup.ts';
import {
  patchRelocOffset, patchRelocType, patchSectionBytes, patchSectionHeader, sectionByName, SH_OFFSET, SH_SIZE, writeElf,
} from './elf-edit.ts';
import { compileBpf, compileHostObject } from './toolchain.ts';

const FILE = 'prog.o';

function loadError(bytes: Uint8Array, opts: LoadElfOptions = {}): ElfError {
  try {
    loadElf(bytes, { file: FILE, ...opts });
  } catch (e) {
    if (e instanceof ElfError) return e;
    throw new Error(`expected an ElfError, got ${String(e)}`);
  }
  throw new Error('expected an ElfError, but the object loaded');
}

const SIMPLE = 'int prog(unsigned char *p, unsigned long n) { return n * 3; }\n';
const LOOP = 'unsigned long prog(unsigned char *p, unsigned long n) { unsigned long s = 0; for (unsigned long i = 0; i < n; i++) s += p[i] * i; return s; }\n';
let simple: Uint8Array;
let loop: Uint8Array;
let calls: Uint8Array;
let globals: Uint8Array;
let callsDebug: Uint8Array;

beforeAll(async () => {
  [simple, loop, calls, globals, callsDebug] = await Promise.all([
    compileBpf(SIMPLE),
    compileBpf(LOOP),
    compileBpf(readFileSync('test/fixtures/c/calls.c', 'utf8')),
    compileBpf(readFileSync('test/fixtures/c/globals.c', 'utf8')),
    compileBpf(readFileSync('test/fixtures/c/calls.c', 'utf8'), { extra: ['-g'] }),
  ]);
});

describe('not a usable ELF file', () => {
  it('names the file in every message', () => {
    const e = loadError(new Uint8Array(0), { file: 'some/dir/empty.o' });
    expect(e.message).toBe('some/dir/empty.o: empty file (0 bytes), expected an ELF object');
    expect(e.file).toBe('some/dir/empty.o');
  });

  it('rejects a file that is not ELF', () => {
    const e = loadError(new TextEncoder().encode('int prog(void) { return 0; }\n'));
    expect(e.message).toBe('prog.o: not an ELF file (the first bytes are not \\x7fELF) (at byte offset 0x0)');
  });

  it.each([
    [3, /truncated ELF file: 3 bytes/],
    [10, /truncated ELF identification: 10 bytes, need 16/],
    [40, /truncated ELF header: 40 bytes, an ELF64 header needs 64/],
  ])('rejects a file truncated to %i bytes', (n, message) => {
    expect(loadError(simple.subarray(0, n)).message).toMatch(message);
  });

  it('rejects a truncated section header table, naming its extent', () => {
    const cut = simple.subarray(0, simple.length - 10);
    const e = loadError(cut);
    expect(e.message).toMatch(new RegExp(`truncated file: section header table \\(\\d+ entries\\) spans bytes 0x[0-9a-f]+\\.\\.0x${simple.length.toString(16)} but the file is ${cut.length} bytes`));
    expect(e.offset).toBe(0x28); // e_shoff
  });

  it('rejects a section whose contents run past the end of the file', () => {
    const bad = patchSectionHeader(simple, '.text', SH_OFFSET, simple.length - 8);
    const e = loadError(bad);
    expect(e.message).toMatch(/truncated file: section '\.text' \(index \d+\) spans bytes/);
    expect(e.offset).toBe(sectionByName(simple, '.text').headerOffset);
  });

  it('rejects a 32-bit ELF (clang -target i386)', async () => {
    const obj = await compileHostObject(SIMPLE, ['-target', 'i386-linux-gnu']);
    const e = loadError(obj);
    expect(e.message).toBe('prog.o: 32-bit ELF (ELFCLASS32): BPF objects are 64-bit ELF; compile with clang -target bpf (at byte offset 0x4)');
  });

  it('rejects a big-endian BPF object (clang -target bpfeb)', async () => {
    const obj = await compileBpf(SIMPLE, { target: 'bpfeb' });
    expect(loadError(obj).message).toBe(
      'prog.o: big-endian BPF objects (-target bpfeb) are not supported; use -target bpf/bpfel (at byte offset 0x5)',
    );
  });

  it('rejects an x86-64 object', async () => {
    const obj = await compileHostObject(SIMPLE, ['-target', 'x86_64-linux-gnu']);
    expect(loadError(obj).message).toBe(
      'prog.o: not a BPF object: e_machine is x86-64 (EM_X86_64), expected BPF (EM_BPF = 247); compile with clang -target bpf (at byte offset 0x12)',
    );
  });

  it('rejects a code section whose size is not a whole number of instructions', () => {
    const size = sectionByName(simple, '.text').size;
    const e = loadError(patchSectionHeader(simple, '.text', SH_SIZE, size - 4));
    expect(e.message).toMatch(`code section '.text' is ${size - 4} bytes, not a multiple of the 8-byte instruction size`);
  });
});

describe('choosing a program', () => {
  it('lists the program sections when the section does not exist', () => {
    expect(loadError(calls, { section: 'socket' }).message).toBe(
      "prog.o: no section 'socket'; program sections: '.text', 'xdp'",
    );
  });

  it('says when the section exists but is not code', () => {
    expect(loadError(globals, { section: '.data' }).message).toBe(
      "prog.o: section '.data' is not executable code; program sections: '.text'",
    );
  });

  it('lists the functions when the symbol does not exist', () => {
    expect(loadError(calls, { symbol: 'main' }).message).toBe(
      "prog.o: no function symbol 'main'; functions: 'gcd' (.text), 'mix' (.text), 'depth' (.text), 'five' (.text), 'prog' (xdp)",
    );
  });

  it('says when the symbol is not a function', () => {
    expect(loadError(globals, { symbol: 'runs' }).message).toMatch(/^prog\.o: symbol 'runs' is not a function; functions: 'prog' \(\.text\)/);
  });

  it('says when the function is in another section than the one asked for', () => {
    expect(loadError(calls, { section: 'xdp', symbol: 'gcd' }).message).toMatch(/^prog\.o: no function symbol 'gcd' in section 'xdp'/);
  });
});

describe('relocations the loader cannot honour', () => {
  it('rejects an unsupported relocation type in code, naming the slot', () => {
    const e = loadError(patchRelocType(globals, '.rel.text', 0, 3));
    expect(e.message).toMatch(/^prog\.o: R_BPF_64_ABS32 at slot \d+ of section '\.text' is not supported in code \(at byte offset 0x[0-9a-f]+\)$/);
  });

  it('rejects a relocation type on the wrong instruction', () => {
    // R_BPF_64_32 (call) placed on an lddw.
    const e = loadError(patchRelocType(globals, '.rel.text', 0, 10));
    expect(e.message).toMatch(/R_BPF_64_32 at slot \d+ of section '\.text' applies to lddw, expected a local call/);
  });

  it('rejects data in a section that is not loaded (SEC("license"))', async () => {
    const obj = await compileBpf(
      'char _license[] __attribute__((section("license"), used)) = "GPL";\n' +
        'int prog(unsigned char *p, unsigned long n) { return _license[n & 3]; }\n',
    );
    expect(loadError(obj).message).toMatch(
      /^prog\.o: lddw at slot \d+ of section '\.text' refers to '_license' \(section 'license'\), which is not in a data section \(\.rodata\*, \.data\*, \.bss\*\) and is not loaded/,
    );
  });

  it('rejects legacy maps (SEC("maps")), naming the map', async () => {
    const obj = await compileBpf(`
      struct bpf_map_def { unsigned int type, key_size, value_size, max_entries; };
      struct bpf_map_def __attribute__((section("maps"), used)) counters = { 2, 4, 8, 16 };
      static void *(*lookup)(void *map, const void *key) = (void *)1;
      int prog(unsigned char *p, unsigned long n) { int k = 0; long *v = lookup(&counters, &k); return v ? *v : 0; }
    `);
    expect(loadError(obj).message).toMatch(/refers to map 'counters' \(section 'maps'\): maps need the XDP runtime \(bpfgate xdp\); plain runs have none/);
  });

  it('rejects BTF-defined maps (SEC(".maps")), naming the map', async () => {
    const obj = await compileBpf(`
      struct { int (*type)[2]; int (*max_entries)[16]; } events __attribute__((section(".maps"), used));
      static void *(*lookup)(void *map, const void *key) = (void *)1;
      int prog(unsigned char *p, unsigned long n) { int k = 0; long *v = lookup(&events, &k); return v ? *v : 0; }
    `);
    expect(loadError(obj).message).toMatch(/refers to map 'events' \(section '\.maps'\): maps need the XDP runtime \(bpfgate xdp\); plain runs have none/);
  });

  it('rejects extern variables and functions', async () => {
    const obj = await compileBpf(`
      extern int ext_var;
      extern int ext_fn(int);
      int use_var(unsigned char *p, unsigned long n) { return ext_var + n; }
      __attribute__((section("xdp"))) int use_fn(unsigned char *p, unsigned long n) { return ext_fn(n); }
    `);
    expect(loadError(obj, { section: 'xdp' }).message).toMatch(
      /call at slot 1 of section 'xdp' calls undefined function 'ext_fn': extern functions and kfuncs are not supported/,
    );
    expect(loadError(obj, { section: '.text' }).message).toMatch(
      /lddw at slot 0 of section '\.text' refers to undefined symbol 'ext_var': extern variables and kernel symbols are not supported/,
    );
  });

  it('rejects function pointers', async () => {
    const obj = await compileBpf(`
      __attribute__((noinline)) static int f1(int x) { return x + 1; }
      int (*volatile fp)(int) = f1;
      int prog(unsigned char *p, unsigned long n) { return fp(n); }
    `);
    expect(loadError(obj).message).toMatch(
      /pointer at offset 0 of section '\.data' takes the address of code \(section '\.text'\): function pointers are not supported/,
    );
  });

  it('rejects common symbols (-fcommon), suggesting -fno-common', async () => {
    const obj = await compileBpf('int shared;\nint prog(unsigned char *p, unsigned long n) { return shared; }\n', { extra: ['-fcommon'] });
    expect(loadError(obj).message).toMatch(/refers to common symbol 'shared'; compile with -fno-common/);
  });
});

describe('code the loader cannot place', () => {
  it('rejects an undefined instruction, naming section, slot and byte offset', () => {
    const e = loadError(patchSectionBytes(simple, '.text', 8, [0xff]));
    expect(e.detail).toBe("section '.text', slot 1: unknown opcode 0xff");
    expect(e.offset).toBe(sectionByName(simple, '.text').offset + 8);
  });

  it('rejects a jump that leaves its section', () => {
    const program = loadElf(loop);
    const pc = program.insns.findIndex((i) => {
      const d = decodeSpec(i);
      return d.ok && d.spec.sem.kind === 'jmp';
    });
    expect(pc).toBeGreaterThanOrEqual(0);
    const e = loadError(patchSectionBytes(loop, '.text', pc * 8 + 2, [0xe8, 0x03])); // offset +1000
    expect(e.detail).toMatch(new RegExp(`^section '\\.text', slot ${pc}: j\\w+ targets slot ${pc + 1001}, which is not an instruction of this section$`));
  });

  it('rejects a jump into the middle of an lddw', () => {
    const program = loadElf(globals);
    const lddw = program.insns.findIndex((i) => {
      const d = decodeSpec(i);
      return d.ok && d.spec.sem.kind === 'lddw';
    });
    const jump = program.insns.findIndex((i) => {
      const d = decodeSpec(i);
      return d.ok && d.spec.sem.kind === 'jmp';
    });
    const off = lddw + 1 - (jump + 1);
    const e = loadError(patchSectionBytes(globals, '.text', jump * 8 + 2, [off & 0xff, (off >> 8) & 0xff]));
    expect(e.detail).toMatch(`targets slot ${lddw + 1}, which is not an instruction of this section`);
  });

  it('rejects an lddw cut off by the end of its section', () => {
    const obj = writeElf([
      { name: '.text', type: 1, flags: 6, data: Uint8Array.from([0x18, 0x01, 0, 0, 0, 0, 0, 0]), link: 0, info: 0, addralign: 8, entsize: 0 },
    ]);
    expect(loadError(obj).detail).toBe("section '.text', slot 0: lddw is cut off by the end of the section");
  });

  it('rejects a relocation that does not point at an instruction', () => {
    const text = sectionByName(globals, '.text');
    const e = loadError(patchRelocOffset(globals, '.rel.text', 0, 12));
    expect(e.detail).toBe(`R_BPF_64_64 at offset 12 does not point at an instruction of section '.text' (${text.size} bytes)`);
  });

  it('rejects an object without code', async () => {
    const obj = await compileBpf('int x = 5;\nconst char name[] = "data only";\n');
    expect(loadError(obj).message).toBe('prog.o: the object has no executable section with code');
  });
});

describe('damaged objects', () => {
  it('give an ElfError or a program, never another exception (2100 mutations and every truncation)', () => {
    const outcomes = { loaded: 0, elfError: 0 };
    const attempt = (bytes: Uint8Array, what: string): void => {
      try {
        loadElf(bytes, { file: FILE });
        outcomes.loaded++;
      } catch (e) {
        if (!(e instanceof ElfError)) throw new Error(`${what}: ${String(e)}`);
        expect(e.message.startsWith(`${FILE}: `)).toBe(true);
        outcomes.elfError++;
      }
    };
    for (const [name, original] of [['calls', calls], ['globals', globals], ['calls -g', callsDebug]] as const) {
      const rng = new Rng(name.length * 7919);
      // The header, the section headers and each section (symbols, relocations, BTF) get their share of hits.
      const shoff = Number(new DataView(original.buffer, original.byteOffset).getBigUint64(0x28, true));
      const sections = readElf(original).sections.filter((s) => s.size > 0 && s.type !== 8);
      for (let i = 0; i < 700; i++) {
        const bytes = Uint8Array.from(original);
        const flips = rng.int(1, 4);
        for (let k = 0; k < flips; k++) {
          const region = rng.below(3);
          const section = rng.pick(sections);
          const at = region === 0 ? rng.below(64) : region === 1 ? shoff + rng.below(original.length - shoff) : section.offset + rng.below(section.size);
          bytes[at] = rng.below(256);
        }
        attempt(bytes, `${name} mutation ${i}`);
      }
      for (let n = 0; n < original.length; n += 3) attempt(original.subarray(0, n), `${name} truncated to ${n}`);
    }
    expect(outcomes.elfError).toBeGreaterThan(500);
    expect(outcomes.loaded).toBeGreaterThan(100);
  });
});
