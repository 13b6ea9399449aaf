// Indexes over the ISA table: decode an instruction slot to its spec, and
// find specs by mnemonic for the assembler. Nothing here adds instructions.

import type { Insn } from './encoding.ts';
import { ISA, type InsnSpec } from './table.ts';

const byOpcode: InsnSpec[][] = Array.from({ length: 256 }, () => []);
for (const spec of ISA) byOpcode[spec.opcode]!.push(spec);

const byId = new Map<string, InsnSpec>(ISA.map((s) => [s.id, s]));

const byMnemonic = new Map<string, InsnSpec[]>();
for (const spec of ISA) {
  const list = byMnemonic.get(spec.mnemonic) ?? [];
  list.push(spec);
  byMnemonic.set(spec.mnemonic, list);
}

/** Alternative spellings the conformance suite uses for the same instructions. */
export const MNEMONIC_ALIASES: Readonly<Record<string, string>> = {
  swap16: 'bswap16',
  swap32: 'bswap32',
  swap64: 'bswap64',
};

export function specById(id: string): InsnSpec {
  const spec = byId.get(id);
  if (!spec) throw new Error(`no instruction with id '${id}' in the ISA table`);
  return spec;
}

/** All specs with this mnemonic (aliases resolved), or an empty list. */
export function specsByMnemonic(mnemonic: string): readonly InsnSpec[] {
  return byMnemonic.get(MNEMONIC_ALIASES[mnemonic] ?? mnemonic) ?? [];
}

export function specsByOpcode(opcode: number): readonly InsnSpec[] {
  return byOpcode[opcode & 0xff]!;
}

/** Every mnemonic the assembler accepts (aliases included). */
export function allMnemonics(): string[] {
  return [...byMnemonic.keys(), ...Object.keys(MNEMONIC_ALIASES)];
}

export type DecodeResult = { ok: true; spec: InsnSpec } | { ok: false; reason: string };

function fixedMatches(spec: InsnSpec, insn: Insn): boolean {
  const f = spec.fixed;
  return (
    (f.src === undefined || f.src === insn.src) &&
    (f.off === undefined || f.off === insn.off) &&
    (f.imm === undefined || f.imm === insn.imm)
  );
}

/**
 * Decode one slot strictly: the opcode must be known, the discriminating
 * fields must select one spec, and every field the instruction does not use
 * must be zero (RFC 9669: "unused fields ... MUST be zero"). Registers must be
 * r0..r10. Returns a reason instead of throwing so callers can attach a pc.
 */
export function decodeSpec(insn: Insn): DecodeResult {
  const candidates = byOpcode[insn.opcode & 0xff]!;
  if (candidates.length === 0) {
    return { ok: false, reason: `unknown opcode 0x${hex2(insn.opcode)}` };
  }
  const spec = candidates.find((s) => fixedMatches(s, insn));
  if (!spec) {
    const fields = describeDiscriminator(candidates[0]!, insn);
    return { ok: false, reason: `opcode 0x${hex2(insn.opcode)} with ${fields} is not a defined instruction` };
  }
  const f = spec.fixed;
  const unused: string[] = [];
  if (!spec.uses.dst && insn.dst !== 0) unused.push(`dst=${insn.dst}`);
  if (!spec.uses.src && f.src === undefined && insn.src !== 0) unused.push(`src=${insn.src}`);
  if (!spec.uses.off && f.off === undefined && insn.off !== 0) unused.push(`offset=${insn.off}`);
  if (!spec.uses.imm && f.imm === undefined && insn.imm !== 0) unused.push(`imm=${insn.imm}`);
  if (unused.length > 0) {
    return { ok: false, reason: `${spec.mnemonic}: unused field${unused.length > 1 ? 's' : ''} not zero (${unused.join(', ')})` };
  }
  if (spec.uses.dst && insn.dst > 10) return { ok: false, reason: `${spec.mnemonic}: invalid register r${insn.dst}` };
  if (spec.uses.src && insn.src > 10) return { ok: false, reason: `${spec.mnemonic}: invalid register r${insn.src}` };
  return { ok: true, spec };
}

function describeDiscriminator(sample: InsnSpec, insn: Insn): string {
  if (sample.fixed.imm !== undefined) return `imm=0x${(insn.imm >>> 0).toString(16)}`;
  if (sample.fixed.off !== undefined) return `offset=${insn.off}`;
  if (sample.fixed.src !== undefined) return `src=${insn.src}`;
  return 'these fields';
}

function hex2(n: number): string {
  return (n & 0xff).toString(16).padStart(2, '0');
}
