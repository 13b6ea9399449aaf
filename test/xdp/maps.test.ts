// Maps: both definition styles read from the ELF (BTF-defined and legacy),
// the lddw relocations bound to map handles, the kernel's update/delete
// semantics from the host side (checked against the kernel), and the
// errors for maps bpfgate cannot hold.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElfError } from '../../src/elf/index.ts';
import { loadElfWithMaps } from '../../src/elf/load-with-maps.ts';
import { KernelCommandError, KernelXdp } from '../../src/xdp/kernel/kernel-runner.ts';
import { loadIntoKernel } from '../../src/xdp/kernel/kernel-program-loader.ts';
import { BPF_EXIST, BPF_NOEXIST, XdpError, loadXdpObject, XdpSession, type XdpObject } from '../../src/xdp/index.ts';
import { compileFixture } from './compile.ts';
import { DEFAULT_MEMORY_MAP } from '../../src/isa/memory-map.ts';

const le32 = (v: number): Uint8Array => Uint8Array.from([v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24]);
const le64 = (v: number): Uint8Array => Uint8Array.from({ length: 8 }, (_, i) => (i < 4 ? (v >>> (8 * i)) & 0xff : 0));

let obj: XdpObject;
beforeAll(async () => {
  obj = loadXdpObject((await compileFixture('map_styles')).bytes, { file: 'map_styles.o' });
});

describe('map definitions from the ELF', () => {
  it('reads BTF-defined and legacy maps with their sizes and flags', () => {
    const defs = obj.maps.map(({ name, type, keySize, valueSize, maxEntries, flags, style }) => ({ name, type, keySize, valueSize, maxEntries, flags, style }));
    expect(defs).toEqual([
      { name: 'legacy_array', type: 2, keySize: 4, valueSize: 8, maxEntries: 3, flags: 0, style: 'legacy' },
      { name: 'legacy_hash', type: 1, keySize: 4, valueSize: 8, maxEntries: 2, flags: 0, style: 'legacy' },
      { name: 'by_pair', type: 1, keySize: 8, valueSize: 8, maxEntries: 16, flags: 1, style: 'btf' },
      { name: 'sized', type: 6, keySize: 4, valueSize: 12, maxEntries: 4, flags: 0, style: 'btf' },
    ]);
  });

  it('lists the lddw slots that load maps and globals', () => {
    const names = obj.mapRefs.map((r) => obj.maps[r.map]!.name);
    expect(new Set(names)).toEqual(new Set(['by_pair', 'sized', 'legacy_array', 'legacy_hash']));
    for (const r of [...obj.mapRefs, ...obj.globalRefs]) expect(obj.program.insns[r.slot]!.opcode).toBe(0x18);
    expect(obj.globalRefs.map((r) => r.offset)).toEqual([0]);
  });

  it('binds each map lddw to the address of its descriptor in data memory', () => {
    const session = new XdpSession(obj);
    for (const r of obj.mapRefs) {
      const insn = session.program.insns[r.slot]!;
      const handle = session.layout.maps[r.map]!.handle;
      expect([insn.imm >>> 0, session.program.insns[r.slot + 1]!.imm]).toEqual([handle, 0]);
      expect(handle).toBeGreaterThanOrEqual(session.layout.mapsBase);
      expect(handle).toBeLessThan(session.layout.ctx);
    }
  });

  it('refuses BTF-defined maps in an object compiled without -g', async () => {
    const { bytes } = await compileFixture('map_styles', ['-O2', '-target', 'bpf', '-c']);
    expect(() => loadElfWithMaps(bytes, { file: 'nodebug.o' })).toThrowError(ElfError);
    expect(() => loadElfWithMaps(bytes, { file: 'nodebug.o' })).toThrowError(
      /^nodebug\.o: section '\.maps' holds BTF-defined maps but the object has no \.BTF section: compile with clang -g \(at byte offset 0x[0-9a-f]+\)$/,
    );
  });

  it('keeps every map, and the globals, from packet to packet', async () => {
    const session = new XdpSession(obj, { rxQueueIndex: 7 });
    for (let i = 0; i < 3; i++) expect((await session.run(new Uint8Array(60))).kind).toBe('exit');
    const last = await session.run(new Uint8Array(60));
    expect(last.maps.get('legacy_array')!.map((e) => e.value[0])).toEqual([4, 0, 0]);
    expect(last.maps.get('by_pair')).toEqual([{ key: Uint8Array.from([1, 0, 0, 0, 2, 0, 0, 0]), value: le64(4) }]);
    expect(last.maps.get('sized')![0]!.value[8]).toBe(4);
    expect(last.maps.get('legacy_hash')).toEqual([{ key: le32(7), value: le64(1) }]);
    expect(session.globalData()).toEqual(le64(4));
  });
});

describe('map operations from the host follow the kernel', () => {
  let kernel: KernelXdp | undefined;
  beforeAll(async () => {
    kernel = await KernelXdp.open();
  });
  afterAll(() => kernel?.close());

  type Op = readonly [map: string, op: 'update' | 'delete', key: number, flags?: number];
  const OPS: readonly Op[] = [
    ['legacy_hash', 'update', 1, BPF_EXIST], // -ENOENT
    ['legacy_hash', 'update', 1, BPF_NOEXIST],
    ['legacy_hash', 'update', 1, BPF_NOEXIST], // -EEXIST
    ['legacy_hash', 'update', 1, BPF_EXIST],
    ['legacy_hash', 'update', 2, 0],
    ['legacy_hash', 'update', 3, 0], // -E2BIG: full
    ['legacy_hash', 'update', 2, 0], // replacing in a full map is fine
    ['legacy_hash', 'update', 2, 3], // -EINVAL: unknown flags
    ['legacy_hash', 'update', 2, 4], // -EINVAL: BPF_F_LOCK without a spin lock
    ['legacy_hash', 'delete', 1],
    ['legacy_hash', 'delete', 1], // -ENOENT
    ['legacy_hash', 'update', 3, 0],
    ['legacy_array', 'update', 2, 0],
    ['legacy_array', 'update', 3, 0], // -E2BIG: past the end
    ['legacy_array', 'update', 0, BPF_NOEXIST], // -EEXIST: array elements always exist
    ['legacy_array', 'update', 0, BPF_EXIST],
    ['legacy_array', 'delete', 0], // -EINVAL
  ];

  it('gives the same errors and leaves the same contents', async () => {
    const session = new XdpSession(obj);
    const referee = await loadIntoKernel(kernel!, obj);
    const ours: number[] = [];
    const theirs: number[] = [];
    for (const [i, [map, op, key, flags = 0]] of OPS.entries()) {
      const value = le64(0x100 + i);
      try {
        if (op === 'update') session.map(map).update(le32(key), value, flags);
        else session.map(map).delete(le32(key));
        ours.push(0);
      } catch (e) {
        expect(e).toBeInstanceOf(XdpError);
        ours.push(-(e as XdpError).errno!);
      }
      try {
        if (op === 'update') await referee.update(map, le32(key), value, flags);
        else await referee.delete(map, le32(key));
        theirs.push(0);
      } catch (e) {
        expect(e).toBeInstanceOf(KernelCommandError);
        theirs.push(-(e as KernelCommandError).errno);
      }
    }
    expect(ours).toEqual(theirs);
    for (const name of ['legacy_hash', 'legacy_array']) expect(session.map(name).entries()).toEqual(await referee.dump(name));
  });
});

describe('maps bpfgate cannot hold', () => {
  it('too big for a fixed data memory (a CPU build\'s), naming the biggest map', async () => {
    const big = { ...obj, maps: obj.maps.map((m) => (m.name === 'by_pair' ? { ...m, maxEntries: 4000 } : m)) };
    expect(() => new XdpSession(big, { memoryMap: DEFAULT_MEMORY_MAP })).toThrowError(
      /^map_styles\.o: XDP needs \d+ bytes of data memory but this engine's data memory holds 65536: maps \d+ \('by_pair' 96016 \(max_entries 4000\), .*\), globals 8, xdp_md 24, frame 3776; shrink a map with --map-entries NAME=N or use the interpreter, whose memory fits the object$/,
    );
    // The interpreter's own memory grows to fit.
    expect(new XdpSession(big).memoryMap.dataSize).toBeGreaterThan(96016);
  });

  it('a key of the wrong size from the host', () => {
    expect(() => new XdpSession(obj).map('legacy_hash').update(new Uint8Array(3), le64(1))).toThrowError(
      "map 'legacy_hash': key is 3 bytes; the map's key size is 4",
    );
  });

  it('a map that does not exist', () => {
    expect(() => new XdpSession(obj).map('nope')).toThrowError(
      "map_styles.o: no map 'nope'; maps: 'legacy_array', 'legacy_hash', 'by_pair', 'sized'",
    );
  });
});
