// The instruction decoder, generated from the ISA table (filtered by the
// build config): one match term per spec — opcode, its fixed
// discriminator fields, and "every field it neither uses nor fixes is zero"
// (decodeSpec's strictness) — and each control bit is the OR of the matches
// of the specs whose control word has it set. There is no opcode list here:
// add an entry to src/isa/table.ts and the decoder follows.

import { bundle, C, cat, Module, mux, type Expr } from '../../src/dsl/index.ts';
import { ISA, type InsnSpec } from '../../src/isa/table.ts';
import { enabledSpecs, type CpuConfig } from './config.ts';
import { CONTROL_FIELDS, controlFor, packControl, registerUse, UNIT, type Control } from './control.ts';
import { FAULT } from '../../src/abi/faults.ts';

export const CONTROL_LAYOUT = bundle(Object.fromEntries(CONTROL_FIELDS) as Record<keyof Control, number>);

/** Decoder fault output: 0 = executable, else FAULT.ILLEGAL or FAULT.BAD_REGISTER. */
export const DECODE_FAULT_BITS = 2;

/** Instruction word fields (RFC 9669 encoding, slot as a little-endian 64-bit word). */
export function insnFields(word: Expr): { opcode: Expr; dst: Expr; src: Expr; off: Expr; imm: Expr } {
  return {
    opcode: word.slice(7, 0),
    dst: word.slice(11, 8),
    src: word.slice(15, 12),
    off: word.slice(31, 16),
    imm: word.slice(63, 32),
  };
}

/** Balanced OR of 1-bit terms (0 when empty). */
export function orAll(terms: Expr[]): Expr {
  if (terms.length === 0) return C(1, 0);
  let level = terms;
  while (level.length > 1) {
    const next: Expr[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? level[i]!.or(level[i + 1]!) : level[i]!);
    level = next;
  }
  return level[0]!;
}

/**
 * Decoder module: input `insn` (64-bit slot), outputs `ctl` (CONTROL_LAYOUT)
 * and `fault` (0, FAULT.ILLEGAL, FAULT.BAD_REGISTER — the same codes the
 * interpreter's loader gives the slot).
 */
export function makeDecoder(cfg: CpuConfig): Module {
  const enabled = new Set(enabledSpecs(cfg));
  const m = new Module('decoder');
  const insn = m.input('insn', 64);
  const ctl = m.output('ctl', CONTROL_LAYOUT);
  const fault = m.output('fault', DECODE_FAULT_BITS);
  const raw = insnFields(insn);
  // Like the interpreter's loader, match with register fields above r10
  // read as 0: such a slot is a bad-register fault when the field it
  // breaks is one the instruction uses, else illegal.
  const dstBig = raw.dst.gtU(10);
  const srcBig = raw.src.gtU(10);
  const f = { ...raw, dst: mux(dstBig, C(4, 0), raw.dst), src: mux(srcBig, C(4, 0), raw.src) };

  // Shared sub-terms: one comparator per (field, value) however many specs
  // use it. Opcodes are matched as (high nibble one-hot) AND (low nibble
  // one-hot): 32 small decoders instead of one 8-bit comparator per opcode.
  const nibble = (v: Expr, n: number): Expr[] => Array.from({ length: 16 }, (_, i) => v.slice(4 * n + 3, 4 * n).eq(i));
  const opHi = nibble(f.opcode, 1);
  const opLo = nibble(f.opcode, 0);
  const cache = new Map<string, Expr>();
  const fieldEq = (name: 'opcode' | 'dst' | 'src' | 'off' | 'imm', value: number): Expr => {
    const key = `${name}=${value}`;
    let e = cache.get(key);
    if (!e) {
      const field = f[name];
      e = name === 'opcode' ? opHi[value >> 4]!.and(opLo[value & 15]!) : byteWise(name, field, BigInt.asUintN(field.width, BigInt(value)));
      cache.set(key, e);
    }
    return e;
  };

  // Wide fields are compared byte by byte, each byte's compare shared by
  // every value with that byte (the fixed imm and off values of atomics,
  // movsx, bswap, ... differ in their low byte only).
  const byteCache = new Map<string, Expr>();
  function byteWise(name: string, field: Expr, value: bigint): Expr {
    const parts: Expr[] = [];
    for (let lo = 0; lo < field.width; lo += 8) {
      const hi = Math.min(lo + 7, field.width - 1);
      const v = (value >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n);
      const key = `${name}[${lo}]=${v}`;
      let e = byteCache.get(key);
      if (!e) {
        e = field.slice(hi, lo).eq(C(hi - lo + 1, v));
        byteCache.set(key, e);
      }
      parts.push(e);
    }
    return parts.reduce((a, b) => a.and(b));
  }

  const groups = new Map<number, Expr[]>();
  const usesDst: Expr[] = [];
  const usesSrc: Expr[] = [];
  const writesDst: Expr[] = [];
  const writesSrc: Expr[] = [];
  const all: Expr[] = [];
  // Every table entry is matched, so a slot of an entry the build leaves out
  // is classified like the interpreter's loader does (bad register first,
  // then illegal); only enabled entries execute.
  const known: Expr[] = [];
  for (const spec of ISA) {
    const terms: Expr[] = [fieldEq('opcode', spec.opcode)];
    const fx = spec.fixed;
    if (fx.src !== undefined) terms.push(fieldEq('src', fx.src));
    if (fx.off !== undefined) terms.push(fieldEq('off', fx.off));
    if (fx.imm !== undefined) terms.push(fieldEq('imm', fx.imm));
    if (!spec.uses.dst) terms.push(fieldEq('dst', 0));
    if (!spec.uses.src && fx.src === undefined) terms.push(fieldEq('src', 0));
    if (!spec.uses.off && fx.off === undefined) terms.push(fieldEq('off', 0));
    if (!spec.uses.imm && fx.imm === undefined) terms.push(fieldEq('imm', 0));
    const match = terms.reduce((a, b) => a.and(b));
    all.push(match);
    const use = registerUse(spec);
    if (use.usesDst) usesDst.push(match);
    if (use.usesSrc) usesSrc.push(match);
    if (!enabled.has(spec)) continue;
    known.push(match);
    const word = packControl(controlFor(spec));
    const list = groups.get(word) ?? [];
    list.push(match);
    groups.set(word, list);
    if (use.writesDst) writesDst.push(match);
    if (use.writesSrc) writesSrc.push(match);
  }

  // Control bits: OR over the groups of specs sharing a control word.
  const groupMatch = [...groups].map(([word, list]) => ({ word, match: orAll(list) }));
  let at = 0;
  for (const [name, width] of CONTROL_FIELDS) {
    const bitsOut: Expr[] = [];
    for (let b = width - 1; b >= 0; b--) {
      bitsOut.push(orAll(groupMatch.filter((g) => (g.word >> (at + b)) & 1).map((g) => g.match)));
    }
    const value = cat(...bitsOut);
    m.comb((ctl as Record<string, Expr>)[name] as never, value);
    at += width;
  }

  // lateBranch: hints from the opcode alone, for D's jump prediction and
  // target (on the path from the program RAM back to its address, the
  // core's tightest loop): is it an unconditional / a conditional jump, and is its target
  // pc + 1 + imm (else + off)? They may be wrong only for slots E faults as
  // illegal, and for helper calls, which share call local's opcode and use
  // no target.
  if (cfg.lateBranch) {
    const hint = { ja: m.output('hint_ja', 1), jmp: m.output('hint_jmp', 1), tgtImm: m.output('hint_tgt_imm', 1) };
    const opcodeIs = (pred: (c: Control) => boolean): Expr =>
      orAll([...new Set([...enabled].filter((s) => pred(controlFor(s))).map((s) => s.opcode))].map((op) => fieldEq('opcode', op)));
    // The target hint is exact only if every jump or call sharing an opcode agrees on the target field.
    const targetUnits: number[] = [UNIT.JA, UNIT.JMP, UNIT.CALL_LOCAL];
    const firstByOpcode = new Map<number, InsnSpec>();
    for (const spec of enabled) {
      if (!targetUnits.includes(controlFor(spec).unit)) continue;
      const first = firstByOpcode.get(spec.opcode);
      if (!first) firstByOpcode.set(spec.opcode, spec);
      else if (controlFor(first).tgtImm !== controlFor(spec).tgtImm) {
        throw new Error(`decoder: '${first.id}' and '${spec.id}' share opcode 0x${spec.opcode.toString(16)} but not the target field: the opcode-only target hint cannot tell them apart`);
      }
    }
    m.comb(hint.ja, opcodeIs((c) => c.unit === UNIT.JA));
    m.comb(hint.jmp, opcodeIs((c) => c.unit === UNIT.JMP));
    m.comb(hint.tgtImm, opcodeIs((c) => c.tgtImm === 1));
  }

  // Fault code, in the interpreter loader's order: no match -> illegal; a
  // register field above r10 -> bad register if the instruction uses it
  // (else illegal); a write to r10 -> bad register.
  const matched = orAll(all);
  const anyBig = dstBig.or(srcBig);
  const usedBig = orAll(usesDst).and(dstBig).or(orAll(usesSrc).and(srcBig));
  const writesR10 = orAll(writesDst).and(raw.dst.eq(10)).or(orAll(writesSrc).and(raw.src.eq(10)));
  const regBad = mux(anyBig, usedBig, writesR10);
  const code = (n: number): Expr => C(DECODE_FAULT_BITS, n);
  const broken = matched.not().or(anyBig.and(usedBig.not())).or(anyBig.not().and(orAll(known).not()));
  m.comb(fault, mux(broken, code(FAULT.ILLEGAL), mux(regBad, code(FAULT.BAD_REGISTER), code(0))));
  return m;
}
