// Cross-check of our encoder against LLVM's: every ISA table entry, with edge
// and random operands, is written in LLVM syntax (src/asm/llvm-syntax.ts) and
// assembled by llvm-mc in one batch; for every line llvm-mc accepts, its
// bytes must equal our encoding. Forms this llvm-mc rejects (v4 instructions,
// syntax LLVM 14's parser lacks) are found per line from its error report,
// dropped, and listed. Then our disassembler is checked against llvm-objdump
// on a clang-built object.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { disassembleInsns } from '../../src/asm/disassembler.ts';
import { formatLlvm } from '../../src/asm/llvm-syntax.ts';
import { decodeProgram, encodeProgram, ISA, type Insn, type InsnSpec } from '../../src/isa/index.ts';
import { elfSection } from './support/elf-text.ts';
import { instancesOf, testSeed } from './support/instances.ts';
import { Rng } from '../../src/random.ts';
import { run } from './support/tools.ts';
import { findTool } from '../../src/tools.ts';

const work = mkdtempSync(join(tmpdir(), 'bpfgate-llvm-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Entry {
  readonly spec: InsnSpec;
  readonly slots: Insn[];
  /** Assembly lines; label lines produce no bytes. */
  readonly lines: string[];
}

/** The family an instruction belongs to, for the "compared something of each" assertion. */
function family(spec: InsnSpec): string {
  const sem = spec.sem;
  switch (sem.kind) {
    case 'alu': return sem.width === 64 ? 'alu64' : 'alu32';
    case 'jmp': return sem.width === 64 ? 'jmp' : 'jmp32';
    case 'store': case 'load': case 'atomic': case 'lddw': case 'exit': case 'call': case 'ja': return sem.kind;
    case 'ldpkt': return 'packet';
  }
}

function buildEntries(seed: number): Entry[] {
  const rng = new Rng(seed);
  const entries: Entry[] = [];
  let labels = 0;
  for (const spec of ISA) {
    if (spec.sem.kind === 'call' && spec.sem.target === 'local') {
      // LLVM only writes a local call with a symbol: put a label right after
      // the call (imm 0) and right before it (imm -1).
      const after = `.Lcall${labels++}`;
      const before = `.Lcall${labels++}`;
      const call = (imm: number): Insn[] => [{ opcode: spec.opcode, dst: 0, src: 1, off: 0, imm }];
      entries.push({ spec, slots: call(0), lines: [formatLlvm(call(0)[0]!, undefined, { label: after }), `${after}:`] });
      entries.push({ spec, slots: call(-1), lines: [`${before}:`, formatLlvm(call(-1)[0]!, undefined, { label: before })] });
      continue;
    }
    for (const slots of instancesOf(spec, rng, 4)) {
      entries.push({ spec, slots, lines: [formatLlvm(slots[0]!, slots[1])] });
    }
  }
  return entries;
}

function llvmMcObject(mc: string, name: string, lines: readonly string[]): { ok: boolean; stderr: string; text?: Uint8Array } {
  const src = join(work, `${name}.s`);
  const obj = join(work, `${name}.o`);
  writeFileSync(src, lines.join('\n') + '\n');
  const r = run(mc, ['-triple', 'bpfel', '-mcpu=v3', '-filetype=obj', '-o', obj, src]);
  if (r.status !== 0) return { ok: false, stderr: r.stderr };
  return { ok: true, stderr: r.stderr, text: elfSection(readFileSync(obj), '.text') };
}

const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');

describe('encoder vs llvm-mc', () => {
  it('every form llvm-mc accepts encodes to the same bytes', () => {
    const mc = findTool('llvm-mc', { candidates: ['llvm-mc-14'] });
    const seed = testSeed();
    const entries = buildEntries(seed);

    // Pass 1: everything; collect the lines llvm-mc rejects.
    const all = entries.flatMap((e) => e.lines);
    const first = llvmMcObject(mc, 'all', all);
    const rejectedLines = new Set<number>();
    for (const m of first.stderr.matchAll(/^[^:\n]*:(\d+):\d+: error:/gm)) rejectedLines.add(Number(m[1]));
    if (!first.ok) expect(rejectedLines.size, `llvm-mc failed without line errors:\n${first.stderr}`).toBeGreaterThan(0);

    let line = 1;
    const accepted: Entry[] = [];
    const rejected: Entry[] = [];
    for (const e of entries) {
      const lines = e.lines.map((_, i) => line + i);
      line += e.lines.length;
      (lines.some((l) => rejectedLines.has(l)) ? rejected : accepted).push(e);
    }

    // Pass 2: only the accepted lines; must assemble cleanly.
    const second = llvmMcObject(mc, 'accepted', accepted.flatMap((e) => e.lines));
    expect(second.ok, second.stderr).toBe(true);
    const text = second.text!;
    const expected = encodeProgram(accepted.flatMap((e) => e.slots));
    expect(text.length, 'llvm-mc produced a different number of bytes').toBe(expected.length);

    const mismatches: string[] = [];
    let at = 0;
    for (const e of accepted) {
      const ours = encodeProgram(e.slots);
      const theirs = text.subarray(at, at + ours.length);
      if (hex(ours) !== hex(theirs)) mismatches.push(`${e.spec.id}: '${e.lines.join(' ; ')}' llvm=[${hex(theirs)}] ours=[${hex(ours)}]`);
      at += ours.length;
    }

    const count = (list: Entry[]) => {
      const m = new Map<string, number>();
      for (const e of list) m.set(e.spec.id, (m.get(e.spec.id) ?? 0) + 1);
      return m;
    };
    const acceptedBySpec = count(accepted);
    const rejectedBySpec = count(rejected);
    const skippedForms = [...rejectedBySpec].filter(([id]) => !acceptedBySpec.has(id)).map(([id]) => id);
    const partlySkipped = [...rejectedBySpec].filter(([id]) => acceptedBySpec.has(id)).map(([id, n]) => `${id} (${n} of ${n + acceptedBySpec.get(id)!})`);
    console.log(
      `llvm-mc (seed ${seed}): compared ${accepted.length} instances of ${acceptedBySpec.size} forms; ` +
      `skipped ${rejected.length} instances llvm-mc rejected.\n` +
      `  forms not accepted at all (${skippedForms.length}): ${skippedForms.join(', ')}\n` +
      `  forms with some instances rejected: ${partlySkipped.join(', ') || 'none'}`,
    );

    expect(mismatches).toEqual([]);
    const compared = new Set(accepted.map((e) => family(e.spec)));
    for (const f of ['alu64', 'alu32', 'jmp', 'jmp32', 'ja', 'load', 'store', 'atomic', 'lddw', 'call', 'exit']) {
      expect(compared.has(f), `no ${f} instruction was compared against llvm-mc`).toBe(true);
    }
  });
});

describe('disassembler vs llvm-objdump', () => {
  it('agrees on instruction boundaries and kinds for a clang-built object', () => {
    const clang = findTool('clang', { candidates: ['clang-14'] });
    const objdump = findTool('llvm-objdump', { candidates: ['llvm-objdump-14'] });
    const c = join(work, 'prog.c');
    const obj = join(work, 'prog.o');
    // Exercises ALU32/64, both jump classes, loads/stores of every size, 64-bit atomics, lddw, calls.
    writeFileSync(c, `
      static long (*helper)(long) = (void *)5;
      struct s { unsigned char b; unsigned short h; unsigned int w; unsigned long d; };
      __attribute__((noinline)) static unsigned sub(unsigned a, unsigned b) { return a * 3 - b / 7; }
      long entry(struct s *p, long n) {
        unsigned long acc = 0x1122334455667788UL;
        for (int i = 0; i < (int)n; i++) {
          acc ^= p->b + p->h; acc += (unsigned)p->w >> 3; acc -= (long)p->d >> 5;
          if ((unsigned)i > p->w) acc |= 1; else acc &= ~2UL;
          p->b = i; p->h = i * 2; p->w = (unsigned)acc; p->d = acc;
        }
        __sync_fetch_and_add(&p->d, 3);
        acc += __sync_lock_test_and_set(&p->d, acc);
        return helper(acc) + sub((unsigned)acc, (unsigned)n) + (acc % 13);
      }`);
    const cc = run(clang, ['-target', 'bpf', '-mcpu=v3', '-O2', '-c', c, '-o', obj]);
    expect(cc.status, cc.stderr).toBe(0);
    const ours = disassembleInsns(decodeProgram(elfSection(readFileSync(obj), '.text')));
    const dump = run(objdump, ['-d', '--no-show-raw-insn', obj]);
    expect(dump.status, dump.stderr).toBe(0);
    const theirs = [...dump.stdout.matchAll(/^\s*(\d+):\s+(.*)$/gm)].map((m) => ({ pc: Number(m[1]), text: m[2]!.trim() }));

    expect(ours.map((d) => d.pc)).toEqual(theirs.map((d) => d.pc));
    // Same kind of instruction at each pc, classified from each side's own text.
    const kindOurs = (text: string, sem: string | undefined): string => {
      if (!sem) return 'invalid';
      if (sem === 'jmp' || sem === 'ja') return 'jump';
      if (sem === 'alu') return 'alu';
      return text.startsWith('lock') ? 'atomic' : sem === 'store' ? 'store' : sem;
    };
    const kindTheirs = (text: string): string => {
      if (text === '<unknown>') return 'invalid';
      if (text.startsWith('if ') || text.startsWith('goto')) return 'jump';
      if (text === 'exit' || text.startsWith('call')) return text.split(' ')[0]!;
      if (text.endsWith(' ll')) return 'lddw';
      if (text.startsWith('lock') || /atomic|xchg/.test(text)) return 'atomic';
      if (text.startsWith('*(')) return 'store';
      if (/= \*\(/.test(text)) return 'load';
      return 'alu';
    };
    const diffs = ours.flatMap((d, i) => {
      const a = kindOurs(d.text, d.spec?.sem.kind);
      const b = kindTheirs(theirs[i]!.text);
      return a === b ? [] : [`pc ${d.pc}: ours '${d.text}' (${a}) vs llvm-objdump '${theirs[i]!.text}' (${b})`];
    });
    expect(diffs).toEqual([]);
    expect(ours.length).toBeGreaterThan(20);
  });
});
