// What the loader builds from real clang objects, checked against
// llvm-objdump's independent reading of the same object and against facts
// taken from the C source (initial values, tables, strings, line numbers).

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { listPrograms, loadElf } from '../../src/elf/index.ts';
import { readElf } from '../../src/elf/reader.ts';
import { encodeInsn, type Insn } from '../../src/isa/encoding.ts';
import { decodeSpec } from '../../src/isa/lookup.ts';
import { DEFAULT_MEMORY_MAP } from '../../src/isa/memory-map.ts';
import { runProgram } from '../../src/interp/index.ts';
import type { Program } from '../../src/program.ts';
import { writeElf, type NewSection } from './elf-edit.ts';
import { objdump } from './objdump.ts';
import { compileBpf } from './toolchain.ts';

const BASE = BigInt(DEFAULT_MEMORY_MAP.dataBase);
const source = (path: string): string => readFileSync(path, 'utf8');

let calls: Uint8Array;
let globals: Uint8Array;
let parser: Uint8Array;
let parserDebug: Uint8Array;

beforeAll(async () => {
  [calls, globals, parser, parserDebug] = await Promise.all([
    compileBpf(source('test/fixtures/c/calls.c')),
    compileBpf(source('test/fixtures/c/globals.c')),
    compileBpf(source('examples/c/packet_parser.c')),
    compileBpf(source('examples/c/packet_parser.c'), { extra: ['-g'] }),
  ]);
});

/** Value of each lddw in the program, by slot. */
function lddwValues(p: Program): Map<number, bigint> {
  const out = new Map<number, bigint>();
  for (let pc = 0; pc < p.insns.length; pc++) {
    const d = decodeSpec(p.insns[pc]!);
    if (d.ok && d.spec.sem.kind === 'lddw') {
      out.set(pc, (BigInt(p.insns[pc + 1]!.imm >>> 0) << 32n) | BigInt(p.insns[pc]!.imm >>> 0));
      pc++;
    }
  }
  return out;
}

const localCallTarget = (p: Program, pc: number): number | undefined => {
  const d = decodeSpec(p.insns[pc]!);
  return d.ok && d.spec.sem.kind === 'call' && d.spec.sem.target === 'local' ? pc + 1 + p.insns[pc]!.imm : undefined;
};

const bytesOf = (insn: Insn): number[] => [...encodeInsn(insn)];

describe('listPrograms', () => {
  it('lists code sections with their functions; a named section is the default over .text', () => {
    expect(listPrograms(calls)).toEqual([
      {
        section: '.text',
        slots: expect.any(Number),
        functions: [
          { name: 'gcd', slot: 0, slots: expect.any(Number), global: true },
          { name: 'mix', slot: expect.any(Number), slots: expect.any(Number), global: false },
          { name: 'depth', slot: expect.any(Number), slots: expect.any(Number), global: false },
          { name: 'five', slot: expect.any(Number), slots: expect.any(Number), global: false },
        ],
        isDefault: false,
      },
      { section: 'xdp', slots: expect.any(Number), functions: [{ name: 'prog', slot: 0, slots: expect.any(Number), global: true }], isDefault: true },
    ]);
  });

  it('takes .text when it is the only code section', () => {
    expect(listPrograms(globals).map((p) => [p.section, p.isDefault])).toEqual([['.text', true]]);
  });
});

describe('code: sections concatenated, calls relocated (calls.c)', () => {
  it('places the program section first, then .text, every unrelocated slot as clang emitted it', async () => {
    const program = loadElf(calls);
    const dump = await objdump(calls);
    const xdp = dump.get('xdp')!;
    const text = dump.get('.text')!;
    expect(program.insns.length).toBe(xdp.slots.size + text.slots.size);
    expect(program.entry).toBe(0);
    const check = (sec: typeof xdp, base: number): void => {
      for (const [slot, raw] of sec.slots) {
        if (sec.relocs.has(slot)) continue;
        expect(bytesOf(program.insns[base + slot]!), `slot ${base + slot}`).toEqual([...raw]);
      }
    };
    check(xdp, 0);
    check(text, xdp.slots.size);
  });

  it('makes each relocated call land on the function llvm-objdump names', async () => {
    const program = loadElf(calls);
    const dump = await objdump(calls);
    const xdp = dump.get('xdp')!;
    const text = dump.get('.text')!;
    const called: string[] = [];
    for (const [slot, [type, symbol]] of xdp.relocs) {
      if (type !== 'R_BPF_64_32') continue;
      // A function symbol names the callee; for the .text section symbol libbpf's rule applies:
      // callee slot in .text = original imm + 1.
      const origImm = new DataView(xdp.slots.get(slot)!.buffer, xdp.slots.get(slot)!.byteOffset).getInt32(4, true);
      const expected = symbol === '.text' ? text.labels.get(origImm + 1)! : symbol;
      const target = localCallTarget(program, slot)!;
      expect(program.symbols!.get(target), `call at slot ${slot}`).toBe(expected);
      called.push(expected);
    }
    expect(called.sort()).toEqual(['depth', 'five', 'gcd', 'mix']);
  });

  it('keeps the section-relative recursive call inside depth()', () => {
    const program = loadElf(calls);
    const depthSlot = [...program.symbols!].find(([, n]) => n === 'depth')![0];
    const inside = program.insns.map((_, pc) => pc).filter((pc) => localCallTarget(program, pc) === depthSlot);
    // Called once from prog and once from itself.
    expect(inside.length).toBe(2);
    expect(inside.some((pc) => pc > depthSlot)).toBe(true);
  });
});

describe('choosing a function or section', () => {
  it('starts at a function symbol and runs it with register arguments', () => {
    const gcd = loadElf(calls, { symbol: 'gcd' });
    expect(gcd.symbols!.get(gcd.entry)).toBe('gcd');
    const r = runProgram(gcd, { args: { r1: 84n, r2: 36n } });
    expect(r.kind === 'exit' && r.r0).toBe(12n);

    // five() is static: clang may specialise its arguments for its one caller, so only its entry is checked.
    const five = loadElf(calls, { symbol: 'five' });
    expect(five.entry).toBeGreaterThan(0);
    expect(five.symbols!.get(five.entry)).toBe('five');
  });

  it('loads a whole section from its start', () => {
    const text = loadElf(calls, { section: '.text' });
    expect(text.entry).toBe(0);
    expect(text.symbols!.get(0)).toBe('gcd');
  });
});

describe('data: .rodata/.data/.bss laid out and relocated (globals.c)', () => {
  const u64At = (g: Uint8Array, off: number): bigint => new DataView(g.buffer, g.byteOffset).getBigUint64(off, true);

  it('points every lddw into the globals', () => {
    const p = loadElf(globals);
    const values = [...lddwValues(p).values()];
    expect(values.length).toBeGreaterThanOrEqual(4);
    for (const v of values) {
      expect(v).toBeGreaterThanOrEqual(BASE);
      expect(v).toBeLessThan(BASE + BigInt(p.globals!.length));
    }
  });

  it('initialises .data (runs = 40) and zeroes .bss (seen[256])', async () => {
    const p = loadElf(globals);
    const dump = await objdump(globals);
    const text = dump.get('.text')!;
    const values = lddwValues(p);
    const slotOf = (sym: string): number => [...text.relocs].find(([, [, s]]) => s === sym)![0];
    const runs = Number(values.get(slotOf('runs'))! - BASE);
    expect(u64At(p.globals!, runs)).toBe(40n);
    const seen = Number(values.get(slotOf('seen'))! - BASE);
    expect(seen + 256).toBeLessThanOrEqual(p.globals!.length);
    expect(p.globals!.subarray(seen, seen + 256).every((b) => b === 0)).toBe(true);
  });

  it('places the .rodata CRC table where an lddw points', () => {
    const p = loadElf(globals);
    const table = [0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c];
    const bytes = new Uint8Array(new Uint32Array(table).buffer);
    const at = Buffer.from(p.globals!).indexOf(Buffer.from(bytes));
    expect(at).toBeGreaterThanOrEqual(0);
    expect([...lddwValues(p).values()]).toContain(BASE + BigInt(at));
  });

  it('relocates the pointers in words[] (.rel.rodata) to the strings', () => {
    const p = loadElf(globals);
    const g = p.globals!;
    const cString = (addr: bigint): string => {
      const off = Number(addr - BASE);
      if (off < 0 || off >= g.length) return '';
      return Buffer.from(g.subarray(off, g.indexOf(0, off))).toString('latin1');
    };
    const found = [];
    for (let off = 0; off + 40 <= g.length; off += 8) {
      const strings = [0, 1, 2, 3, 4].map((k) => cString(u64At(g, off + 8 * k)));
      if (strings[0] === 'alpha') found.push(strings);
    }
    expect(found).toEqual([['alpha', 'beta', 'gamma', 'delta', 'epsilon']]);
  });

  it('uses the memory map it is given', () => {
    const map = { ...DEFAULT_MEMORY_MAP, dataBase: 0x4000_0000 };
    const a = [...lddwValues(loadElf(globals)).values()];
    const b = [...lddwValues(loadElf(globals, { memoryMap: map })).values()];
    expect(b).toEqual(a.map((v) => v - BASE + 0x4000_0000n));
  });

  it('refuses globals larger than data memory', () => {
    const size = loadElf(globals).globals!.length;
    expect(() => loadElf(globals, { file: 'g.o', memoryMap: { ...DEFAULT_MEMORY_MAP, dataSize: 64 } })).toThrow(
      `g.o: globals (.rodata/.data/.bss) need ${size} bytes; data memory holds 64`,
    );
  });
});

/** The same object with its REL section `relName` rewritten as RELA (addends moved out of the instructions). */
function toRela(bytes: Uint8Array, relName: string): Uint8Array {
  const elf = readElf(bytes);
  const rel = elf.sections.find((s) => s.name === relName)!;
  const target = elf.sections[rel.info]!;
  const code = Uint8Array.from(elf.contents(target));
  const cv = new DataView(code.buffer);
  const src = new DataView(bytes.buffer, bytes.byteOffset + rel.offset, rel.size);
  const rela = new Uint8Array((rel.size / 16) * 24);
  const rv = new DataView(rela.buffer);
  for (let i = 0; i < rel.size / 16; i++) {
    const offset = Number(src.getBigUint64(i * 16, true));
    rv.setBigUint64(i * 24, BigInt(offset), true);
    rv.setBigUint64(i * 24 + 8, src.getBigUint64(i * 16 + 8, true), true);
    rv.setBigInt64(i * 24 + 16, BigInt(cv.getInt32(offset + 4, true)), true); // lddw: the imm was the addend
    cv.setInt32(offset + 4, 0, true);
  }
  const sections: NewSection[] = elf.sections.slice(1).map((s) => ({
    name: s === rel ? relName.replace('.rel', '.rela') : s.name,
    type: s === rel ? 4 : s.type,
    flags: s.flags,
    data: s === rel ? rela : s === target ? code : Uint8Array.from(elf.contents(s)),
    link: s.link,
    info: s.info,
    addralign: s.addralign,
    entsize: s === rel ? 24 : s.entsize,
  }));
  return writeElf(sections);
}

describe('RELA relocation sections', () => {
  it('give the same program as REL for lddw relocations', () => {
    const rela = toRela(globals, '.rel.text');
    expect(readElf(rela).sections.some((s) => s.name === '.rela.text')).toBe(true);
    expect(loadElf(rela)).toEqual(loadElf(globals));
  });

  it('are refused for calls (no BPF compiler emits them, the addend convention is unknown)', () => {
    expect(() => loadElf(toRela(calls, '.relxdp'), { file: 'c.o' })).toThrow(/R_BPF_64_32 in a RELA section \('\.relaxdp'\) is not supported; clang emits REL/);
  });
});

describe('source lines from BTF (-g)', () => {
  it('loads the same code with and without -g', () => {
    const plain = loadElf(parser);
    const debug = loadElf(parserDebug);
    expect(debug.insns).toEqual(plain.insns);
    expect(plain.sources).toBeUndefined();
  });

  it('maps the EtherType comparisons to their source lines', () => {
    const p = loadElf(parserDebug);
    const lines = source('examples/c/packet_parser.c').split('\n');
    const lineOf = (text: string): number => lines.findIndex((l) => l.includes(text)) + 1;
    const slotComparing = (imm: number): number =>
      p.insns.findIndex((insn) => {
        const d = decodeSpec(insn);
        return d.ok && d.spec.sem.kind === 'jmp' && insn.imm === imm;
      });
    for (const [imm, text] of [[0x8100, 'if (proto == ETH_P_8021Q)'], [0x0800, 'if (proto != ETH_P_IP)']] as const) {
      const src = p.sources![slotComparing(imm)]!;
      expect(src.file).toMatch(/\.c$/);
      expect(src.line, text).toBe(lineOf(text));
    }
    // Compiler-made instructions (BTF line 0) have no source; the rest name real lines.
    const known = p.sources!.filter((s) => s !== undefined);
    expect(known.length).toBeGreaterThan(p.insns.length / 2);
    expect(known.every((s) => s.line >= 1 && s.line <= lines.length)).toBe(true);
  });
});
