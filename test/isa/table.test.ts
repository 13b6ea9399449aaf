// The ISA table against the specification's own opcode registry
// (shared/spec/instruction-set-opcodes.rst): every row there must decode to a
// table entry with the same conformance group, and every RFC entry of the
// table must appear there.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISA, decodeSpec, type Insn, type InsnSpec } from '../../src/isa/index.ts';
import { SHARED_DIR } from '../../src/paths.ts';

interface RegistryRow {
  opcode: number;
  src: number | 'any';
  off: number | 'any';
  imm: number | 'any';
  group: string;
  description: string;
}

function readRegistry(): RegistryRow[] {
  const text = readFileSync(resolve(SHARED_DIR, 'spec', 'instruction-set-opcodes.rst'), 'utf8');
  const rows: RegistryRow[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(0x[0-9a-f]{2})\s+(0x[0-9a-f]+|any)\s+(\d+|any)\s+(0x[0-9a-f]+|any)\s+(.*?)\s{2,}(\w+)\s+`/.exec(line);
    if (!m) continue;
    const num = (s: string): number | 'any' => (s === 'any' ? 'any' : Number(s));
    rows.push({
      opcode: Number(m[1]), src: num(m[2]!), off: num(m[3]!), imm: num(m[4]!), description: m[5]!, group: m[6]!,
    });
  }
  return rows;
}

/** An instance of a registry row: 'any' fields get a plausible operand value. */
function rowInstance(row: RegistryRow): Insn {
  return {
    opcode: row.opcode,
    dst: 1,
    src: row.src === 'any' ? 2 : row.src,
    off: row.off === 'any' ? 4 : row.off,
    imm: row.imm === 'any' ? 7 : row.imm,
  };
}

/** Fields the spec marks 'any' but that our strict decoder requires to be zero for that instruction. */
function zeroUnused(spec: InsnSpec, insn: Insn): Insn {
  return {
    opcode: insn.opcode,
    dst: spec.uses.dst ? insn.dst : 0,
    src: spec.uses.src || spec.fixed.src !== undefined ? insn.src : 0,
    off: spec.uses.off || spec.fixed.off !== undefined ? insn.off : 0,
    imm: spec.uses.imm || spec.fixed.imm !== undefined ? insn.imm : 0,
  };
}

describe('ISA table', () => {
  const registry = readRegistry();

  it('reads the spec registry', () => {
    expect(registry.length).toBeGreaterThan(150);
  });

  it('has unique ids and distinct encodings', () => {
    const ids = new Set(ISA.map((s) => s.id));
    expect(ids.size).toBe(ISA.length);
    const keys = ISA.map((s) => `${s.opcode}:${s.fixed.src}:${s.fixed.off}:${s.fixed.imm}`);
    expect(new Set(keys).size).toBe(ISA.length);
  });

  it('decodes a canonical instance of every entry back to itself', () => {
    for (const spec of ISA) {
      const insn: Insn = {
        opcode: spec.opcode,
        dst: spec.uses.dst ? 3 : 0,
        src: spec.fixed.src ?? (spec.uses.src ? 4 : 0),
        off: spec.fixed.off ?? (spec.uses.off ? -2 : 0),
        imm: spec.fixed.imm ?? (spec.uses.imm ? 9 : 0),
      };
      const d = decodeSpec(insn);
      expect(d.ok ? d.spec.id : d.reason, spec.id).toBe(spec.id);
    }
  });

  it('covers every row of the registry with the same group', () => {
    // The lddw pseudo-sources 1..6 (map fds, BTF ids) need a loader, not a CPU; and the
    // 'additional immediate' row is lddw's second slot. Both are handled by the loader.
    const skip = (r: RegistryRow) => (r.opcode === 0x18 && r.src !== 0) || r.opcode === 0x00;
    for (const row of registry.filter((r) => !skip(r))) {
      const candidates = ISA.filter((s) => s.opcode === row.opcode);
      const insn = rowInstance(row);
      const match = candidates.find((s) => {
        const d = decodeSpec(zeroUnused(s, insn));
        return d.ok && d.spec === s;
      });
      expect(match, `registry row 0x${row.opcode.toString(16)} ${row.description}`).toBeDefined();
      expect(match!.group, `group of ${match!.id}`).toBe(row.group);
    }
  });

  it('lists no RFC instruction the registry does not have (sign-extending loads excepted, RFC 5.2)', () => {
    const opcodes = new Set(registry.map((r) => r.opcode));
    const extra = ISA.filter((s) => s.rfc && !opcodes.has(s.opcode)).map((s) => s.id);
    expect(extra.sort()).toEqual(['ldxsb', 'ldxsh', 'ldxsw']);
  });

  it('rejects non-zero unused fields, bad registers and unknown opcodes with a reason', () => {
    const add = { opcode: 0x07, dst: 1, src: 0, off: 0, imm: 1 };
    expect(decodeSpec(add).ok).toBe(true);
    const bad = [
      { ...add, off: 1 },
      { ...add, src: 3 },
      { ...add, dst: 11 },
      { ...add, opcode: 0xff },
      { opcode: 0xdc, dst: 1, src: 0, off: 0, imm: 8 },
    ];
    for (const insn of bad) {
      const d = decodeSpec(insn);
      expect(d.ok).toBe(false);
      if (!d.ok) expect(d.reason.length).toBeGreaterThan(10);
    }
  });
});
