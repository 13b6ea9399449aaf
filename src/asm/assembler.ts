// Assembler for the bpf_conformance `.data` assembly syntax. The instruction
// set comes entirely from the ISA table: a mnemonic selects candidate specs,
// the operands' look (register, memory, number/label) picks one, and the
// shape's operand syntax (./shape-syntax.ts) says which field each operand
// fills. Two passes: emit slots and collect labels, then resolve targets.

import {
  allMnemonics, decodeSpec, specsByMnemonic, wordToInsn,
  type Insn, type InsnSpec,
} from '../isa/index.ts';
import { MAX_PROGRAM_SLOTS, programTooLarge, type Program, type SourceRef } from '../program.ts';
import { asmError, type SourcePos } from './errors.ts';
import { fitsSigned, parseLiteral } from './numbers.ts';
import {
  looksLikeRegister, parseImm32, parseImm64, parseMemory, parseRegister, parseTarget,
} from './operands.ts';
import { SHAPE_OPERANDS, syntaxHint, type OperandSyntax } from './shape-syntax.ts';
import { buildMnemonicSet, parseStatement, type Token } from './statement.ts';

export interface AssembleOptions {
  /** Name used in error messages and `Program.sources` (default `<asm>`). */
  file?: string;
  /** Line number of the first line of `source` in `file` (default 1), e.g. for a `-- asm` section. */
  firstLine?: number;
  /** Most slots accepted (default MAX_PROGRAM_SLOTS); past it is a "program too large" error at that line. */
  maxSlots?: number;
}

/** `.raw 0x<64-bit word>`: one slot given as its raw word (what the disassembler prints for slots it cannot decode). */
export const RAW_DIRECTIVE = '.raw';

/**
 * The reference assembler lets `exit` name the first `exit` instruction when
 * no label of that name exists (`jne %r0, %r1, exit`).
 */
export const IMPLICIT_EXIT_LABEL = 'exit';

const MNEMONICS = buildMnemonicSet([...allMnemonics(), RAW_DIRECTIVE]);

interface Fixup {
  readonly slot: number;
  readonly field: 'off' | 'imm';
  readonly label: string;
  readonly at: SourcePos;
}

export function assemble(source: string, opts: AssembleOptions = {}): Program {
  const file = opts.file ?? '<asm>';
  const firstLine = opts.firstLine ?? 1;
  const maxSlots = opts.maxSlots ?? MAX_PROGRAM_SLOTS;
  const insns: Insn[] = [];
  const sources: SourceRef[] = [];
  const labels = new Map<string, { slot: number; at: SourcePos }>();
  const fixups: Fixup[] = [];
  let firstExit: number | undefined;

  // Line by line without splitting the whole text first: a huge source stops
  // at the slot limit having held only the lines up to it.
  let lineStart = 0;
  for (let i = 0; lineStart <= source.length; i++) {
    const lineEnd = source.indexOf('\n', lineStart);
    const text = source.slice(lineStart, lineEnd < 0 ? source.length : lineEnd);
    lineStart = lineEnd < 0 ? source.length + 1 : lineEnd + 1;
    const line = firstLine + i;
    const pos = (column: number): SourcePos => ({ file, line, column });
    const stmt = parseStatement(text, MNEMONICS);

    for (const label of stmt.labels) {
      const prev = labels.get(label.text);
      if (prev) {
        throw asmError(pos(label.column), `duplicate label '${label.text}' (first defined at line ${prev.at.line})`);
      }
      labels.set(label.text, { slot: insns.length, at: pos(label.column) });
    }
    if (!stmt.mnemonic) continue;

    const mnemonicAt = pos(stmt.mnemonic.column);
    const ref: SourceRef = { file, line, column: stmt.mnemonic.column };
    if (stmt.mnemonic.text === RAW_DIRECTIVE) {
      insns.push(parseRawDirective(stmt.operands, mnemonicAt, pos));
      sources.push(ref);
      if (insns.length > maxSlots) throw asmError(pos(1), programTooLarge(maxSlots));
      continue;
    }
    if (stmt.incompleteMnemonic) {
      const next = stmt.operands[0];
      const word = next && /^[A-Za-z_]\w*/.exec(next.text);
      if (word) throw asmError(pos(next.column), `unknown mnemonic '${stmt.mnemonic.text} ${word[0]}'`);
      throw asmError(mnemonicAt, `Invalid number of operands for ${stmt.mnemonic.text}: expected an operation and its operands`);
    }

    const spec = chooseSpec(stmt.mnemonic.text, stmt.operands, mnemonicAt, pos(stmt.endColumn));
    const slot = insns.length;
    const encoded = encode(spec, stmt.operands, pos, (field, label, at) => fixups.push({ slot, field, label, at }));
    for (const insn of encoded) {
      insns.push(insn);
      sources.push(ref);
    }
    if (spec.sem.kind === 'exit' && firstExit === undefined) firstExit = slot;
    if (insns.length > maxSlots) throw asmError(pos(1), programTooLarge(maxSlots));
  }

  if (insns.length === 0) {
    throw asmError({ file, line: firstLine, column: 1 }, 'empty program: no instructions');
  }

  for (const f of fixups) {
    const target = labels.get(f.label)?.slot ?? (f.label === IMPLICIT_EXIT_LABEL ? firstExit : undefined);
    if (target === undefined) throw asmError(f.at, `undefined label '${f.label}'`);
    const rel = target - (f.slot + 1);
    checkRelativeRange(BigInt(rel), f.field, f.at, `label '${f.label}'`);
    insns[f.slot] = { ...insns[f.slot]!, [f.field]: rel };
  }

  const symbols = new Map<number, string>();
  for (const [name, { slot }] of labels) if (!symbols.has(slot)) symbols.set(slot, name);
  return { insns, entry: 0, symbols, sources };
}

/**
 * Pick the spec among those sharing a mnemonic (`add` reg/imm, `call` helper/
 * register) whose operand syntax matches the operands' look. If none matches
 * exactly, the first with the right operand count is used so its operand
 * parser reports the specific problem.
 */
function chooseSpec(mnemonic: string, operands: readonly Token[], at: SourcePos, end: SourcePos): InsnSpec {
  const candidates = specsByMnemonic(mnemonic);
  if (candidates.length === 0) throw asmError(at, `unknown mnemonic '${mnemonic}'`);
  const sameCount = candidates.filter((s) => SHAPE_OPERANDS[s.shape].length === operands.length);
  if (sameCount.length === 0) {
    const hints = [...new Set(candidates.map((s) => syntaxHint(mnemonic, s.shape)))].join(' or ');
    const where = operands.length > 0 ? at : end;
    throw asmError(where, `Invalid number of operands for ${mnemonic}: got ${operands.length}, expected ${hints}`);
  }
  const exact = sameCount.find((s) => SHAPE_OPERANDS[s.shape].every((syn, i) => looksLike(syn, operands[i]!.text)));
  return exact ?? sameCount[0]!;
}

function looksLike(syn: OperandSyntax, text: string): boolean {
  const isMem = text.startsWith('[');
  const isReg = !isMem && looksLikeRegister(text);
  switch (syn.kind) {
    case 'reg': return isReg;
    case 'mem': return isMem;
    case 'imm': case 'imm64': case 'target': return !isMem && !isReg;
  }
}

type FixupSink = (field: 'off' | 'imm', label: string, at: SourcePos) => void;

/** Fill an instruction's fields from its operands; returns its slot(s). */
function encode(spec: InsnSpec, operands: readonly Token[], pos: (col: number) => SourcePos, fixup: FixupSink): Insn[] {
  const insn: Insn = {
    opcode: spec.opcode,
    dst: 0,
    src: spec.fixed.src ?? 0,
    off: spec.fixed.off ?? 0,
    imm: spec.fixed.imm ?? 0,
  };
  let imm64: bigint | undefined;
  SHAPE_OPERANDS[spec.shape].forEach((syn, i) => {
    const op = operands[i]!;
    const at = pos(op.column);
    if (op.text === '') throw asmError(at, `missing operand ${i + 1} of ${spec.mnemonic}`);
    switch (syn.kind) {
      case 'reg':
        insn[syn.field] = parseRegister(op.text, at);
        break;
      case 'imm':
        insn.imm = parseImm32(op.text, at);
        break;
      case 'imm64':
        imm64 = parseImm64(op.text, at);
        break;
      case 'mem': {
        const mem = parseMemory(op.text, at);
        insn[syn.base] = mem.reg;
        insn.off = mem.off;
        break;
      }
      case 'target': {
        const t = parseTarget(op.text, at);
        if ('label' in t) {
          fixup(syn.field, t.label, at);
        } else {
          checkRelativeRange(t.relative, syn.field, at, op.text);
          insn[syn.field] = Number(t.relative);
        }
        break;
      }
    }
  });

  const slots: Insn[] = [insn];
  if (spec.slots === 2) {
    const v = imm64 ?? 0n;
    insn.imm = Number(BigInt.asIntN(32, v));
    slots.push({ opcode: 0, dst: 0, src: 0, off: 0, imm: Number(BigInt.asIntN(32, v >> 32n)) });
  }
  // The table must decode what we encode back to the same spec; a mismatch is
  // a bug in the table or here, never a user error.
  const check = decodeSpec(insn);
  if (!check.ok || check.spec !== spec) {
    throw new Error(`internal: ${spec.id} encoded as ${JSON.stringify(insn)} does not decode back (${check.ok ? check.spec.id : check.reason})`);
  }
  return slots;
}

function checkRelativeRange(rel: bigint, field: 'off' | 'imm', at: SourcePos, what: string): void {
  const bits = field === 'off' ? 16 : 32;
  if (!fitsSigned(rel, bits)) {
    throw asmError(at, `jump to ${what} is ${rel} slots away, out of the signed ${bits}-bit ${field === 'off' ? 'offset' : 'immediate'} range`);
  }
}

function parseRawDirective(operands: readonly Token[], at: SourcePos, pos: (col: number) => SourcePos): Insn {
  if (operands.length !== 1) {
    throw asmError(at, `Invalid number of operands for ${RAW_DIRECTIVE}: expected one 64-bit word (${RAW_DIRECTIVE} 0x...)`);
  }
  const op = operands[0]!;
  const lit = parseLiteral(op.text);
  if (!lit || !lit.hex || lit.value < 0n || lit.value >= 1n << 64n) {
    throw asmError(pos(op.column), `${RAW_DIRECTIVE} takes one 64-bit hex word (0x0..0xffffffffffffffff), got '${op.text}'`);
  }
  return wordToInsn(lit.value);
}
