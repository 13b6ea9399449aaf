// Builds one Program from the chosen executable section: the section itself
// first, then every other code section its calls reach (clang puts non-static
// functions and cross-section callees in `.text`), with
//   - R_BPF_64_64 on lddw  -> the data-memory address of the global,
//   - R_BPF_64_32 on call  -> a local call's relative slot offset in the
//                             concatenated program.
// Helper calls (src=0) are left alone. Instruction boundaries come from the
// ISA table (lddw is two slots); nothing here lists opcodes.

import { decodeProgram, INSN_BYTES, type Insn } from '../isa/encoding.ts';
import { decodeSpec } from '../isa/lookup.ts';
import type { InsnSpec } from '../isa/table.ts';
import { R_BPF, SHN_UNDEF, SHT_REL, STT_FUNC, STT_NOTYPE, STT_SECTION, relocName } from './constants.ts';
import { dataAddress, implicitOrExplicitAddend, type DataLayout } from './data-layout.ts';
import type { ElfObject, ElfReloc, ElfSection } from './reader.ts';
import { isCodeSection, symbolLabel, symbolSection } from './sections.ts';
import type { EntryChoice } from './select.ts';

export interface LinkedCode {
  readonly insns: Insn[];
  readonly entry: number;
  readonly symbols: Map<number, string>;
  /** Each included section and its first slot in `insns`. */
  readonly placement: ReadonlyArray<{ section: ElfSection; base: number }>;
}

interface DecodedSection {
  readonly section: ElfSection;
  readonly insns: Insn[];
  /** Spec of the instruction starting at each slot; undefined for an lddw's second slot. */
  readonly specs: (InsnSpec | undefined)[];
}

export function linkCode(elf: ElfObject, entry: EntryChoice, layout: DataLayout): LinkedCode {
  const decoded = new Map<number, DecodedSection>();
  const order: DecodedSection[] = [];
  const include = (section: ElfSection): void => {
    if (decoded.has(section.index)) return;
    const d = decodeSection(elf, section);
    decoded.set(section.index, d);
    order.push(d);
  };
  include(entry.section);
  if (!order[0]!.specs[entry.slot]) {
    throw elf.error(`entry slot ${entry.slot} of section '${entry.section.name}' is not the start of an instruction`);
  }
  // Breadth-first over call relocations: the order is deterministic (discovery order).
  for (let i = 0; i < order.length; i++) {
    for (const r of elf.relocationsFor(order[i]!.section)) {
      if (r.type !== R_BPF.R64_32) continue;
      const target = symbolSection(elf, r.symbol);
      if (target && isCodeSection(target)) include(target);
    }
  }

  const bases = new Map<number, number>();
  let total = 0;
  for (const d of order) {
    bases.set(d.section.index, total);
    total += d.insns.length;
  }
  const insns: Insn[] = order.flatMap((d) => d.insns.map((insn) => ({ ...insn })));

  for (const d of order) {
    const base = bases.get(d.section.index)!;
    const relocated = new Set<number>();
    for (const r of elf.relocationsFor(d.section)) {
      if (r.type === R_BPF.NONE) continue;
      const slot = relocSlot(elf, d, r);
      relocated.add(slot);
      if (r.type === R_BPF.R64_64) {
        relocateLddw(elf, d, r, slot, insns, base, layout);
      } else if (r.type === R_BPF.R64_32) {
        relocateCall(elf, d, r, slot, insns, base, bases, decoded);
      } else {
        throw elf.error(`${relocName(r.type)} at slot ${slot} of section '${d.section.name}' is not supported in code`, r.fileOffset);
      }
    }
    checkBranches(elf, d, relocated);
  }

  return {
    insns,
    entry: entry.slot + bases.get(entry.section.index)!,
    symbols: collectSymbols(elf, bases),
    placement: order.map((d) => ({ section: d.section, base: bases.get(d.section.index)! })),
  };
}

function decodeSection(elf: ElfObject, section: ElfSection): DecodedSection {
  if (section.size % INSN_BYTES !== 0) {
    throw elf.error(
      `code section '${section.name}' is ${section.size} bytes, not a multiple of the ${INSN_BYTES}-byte instruction size`,
      section.headerOffset,
    );
  }
  const insns = decodeProgram(elf.contents(section));
  const specs: (InsnSpec | undefined)[] = new Array(insns.length).fill(undefined);
  for (let slot = 0; slot < insns.length; slot++) {
    const res = decodeSpec(insns[slot]!);
    const at = section.offset + slot * INSN_BYTES;
    if (!res.ok) throw elf.error(`section '${section.name}', slot ${slot}: ${res.reason}`, at);
    specs[slot] = res.spec;
    if (res.spec.slots === 2) {
      if (slot + 1 >= insns.length) {
        throw elf.error(`section '${section.name}', slot ${slot}: ${res.spec.mnemonic} is cut off by the end of the section`, at);
      }
      slot++;
    }
  }
  return { section, insns, specs };
}

function relocSlot(elf: ElfObject, d: DecodedSection, r: ElfReloc): number {
  if (r.offset % INSN_BYTES !== 0 || r.offset >= d.section.size) {
    throw elf.error(
      `${relocName(r.type)} at offset ${r.offset} does not point at an instruction of section '${d.section.name}' (${d.section.size} bytes)`,
      r.fileOffset,
    );
  }
  return r.offset / INSN_BYTES;
}

function expectKind(elf: ElfObject, d: DecodedSection, r: ElfReloc, slot: number, ok: (s: InsnSpec) => boolean, want: string): void {
  const spec = d.specs[slot];
  if (!spec || !ok(spec)) {
    const got = spec ? spec.mnemonic : 'the second half of an lddw';
    throw elf.error(`${relocName(r.type)} at slot ${slot} of section '${d.section.name}' applies to ${got}, expected ${want}`, r.fileOffset);
  }
}

function relocateLddw(
  elf: ElfObject, d: DecodedSection, r: ElfReloc, slot: number, insns: Insn[], base: number, layout: DataLayout,
): void {
  expectKind(elf, d, r, slot, (s) => s.sem.kind === 'lddw', 'lddw');
  const use = `lddw at slot ${slot} of section '${d.section.name}'`;
  const lo = insns[base + slot]!;
  const hi = insns[base + slot + 1]!;
  const addend = implicitOrExplicitAddend(r, () => BigInt(lo.imm));
  const value = BigInt.asUintN(64, dataAddress(elf, r.symbol, layout, use, r.fileOffset) + addend);
  lo.imm = Number(BigInt.asIntN(32, value));
  hi.imm = Number(BigInt.asIntN(32, value >> 32n));
}

function relocateCall(
  elf: ElfObject, d: DecodedSection, r: ElfReloc, slot: number, insns: Insn[], base: number,
  bases: ReadonlyMap<number, number>, decoded: ReadonlyMap<number, DecodedSection>,
): void {
  expectKind(elf, d, r, slot, (s) => s.sem.kind === 'call' && s.sem.target === 'local', 'a local call (call with src=1)');
  const use = `call at slot ${slot} of section '${d.section.name}'`;
  const what = symbolLabel(elf, r.symbol);
  if (r.symbol.shndx === SHN_UNDEF) {
    throw elf.error(`${use} calls undefined function ${what}: extern functions and kfuncs are not supported`, r.fileOffset);
  }
  const target = symbolSection(elf, r.symbol);
  const targetDecoded = target && decoded.get(target.index);
  if (!target || !targetDecoded) {
    throw elf.error(`${use} calls ${what}, which is not in an executable section`, r.fileOffset);
  }
  if (r.table.type !== SHT_REL) {
    // No BPF compiler emits RELA call relocations; guessing their addend convention could call the wrong function.
    throw elf.error(`${use}: ${relocName(r.type)} in a RELA section ('${r.table.name}') is not supported; clang emits REL`, r.fileOffset);
  }
  // LLVM: field = (S + A) / 8 - 1, section relative. libbpf: target slot = st_value / 8 + imm + 1.
  const call = insns[base + slot]!;
  const byte = BigInt(r.symbol.value) + BigInt(call.imm + 1) * BigInt(INSN_BYTES);
  const targetSlot = Number(byte / BigInt(INSN_BYTES));
  if (byte % BigInt(INSN_BYTES) !== 0n || targetSlot < 0 || !targetDecoded.specs[targetSlot]) {
    throw elf.error(`${use} targets byte ${byte} of section '${target.name}', which is not the start of an instruction`, r.fileOffset);
  }
  call.imm = bases.get(target.index)! + targetSlot - (base + slot + 1);
}

/** Jumps and unrelocated local calls are relative to their own section; they must stay inside it. */
function checkBranches(elf: ElfObject, d: DecodedSection, relocated: ReadonlySet<number>): void {
  d.specs.forEach((spec, slot) => {
    if (!spec) return;
    const insn = d.insns[slot]!;
    let target: number;
    const sem = spec.sem;
    if (sem.kind === 'jmp' || (sem.kind === 'ja' && sem.target === 'off')) target = slot + 1 + insn.off;
    else if (sem.kind === 'ja') target = slot + 1 + insn.imm;
    else if (sem.kind === 'call' && sem.target === 'local' && !relocated.has(slot)) target = slot + 1 + insn.imm;
    else return;
    if (target < 0 || target >= d.insns.length || !d.specs[target]) {
      throw elf.error(
        `section '${d.section.name}', slot ${slot}: ${spec.mnemonic} targets slot ${target}, which is not an instruction of this section`,
        d.section.offset + slot * INSN_BYTES,
      );
    }
  });
}

/** Function names win over local labels (LBB0_3) at the same slot. */
function collectSymbols(elf: ElfObject, bases: ReadonlyMap<number, number>): Map<number, string> {
  const out = new Map<number, string>();
  const isFunc = new Set<number>();
  for (const sym of elf.symbols) {
    const base = bases.get(sym.shndx);
    if (base === undefined || sym.name === '' || sym.type === STT_SECTION) continue;
    if (sym.type !== STT_FUNC && sym.type !== STT_NOTYPE) continue;
    if (sym.value % INSN_BYTES !== 0) continue;
    const slot = base + sym.value / INSN_BYTES;
    if (isFunc.has(slot)) continue;
    if (sym.type === STT_FUNC) isFunc.add(slot);
    if (sym.type === STT_FUNC || !out.has(slot)) out.set(slot, sym.name);
  }
  return out;
}
