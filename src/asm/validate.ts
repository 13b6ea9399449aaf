// The loader check every engine runs before executing a program. Structural
// checks first (every slot decodes strictly, lddw pairs are whole, targets
// land on instruction starts inside the program, r10 is never written), then
// a forward dataflow pass in the spirit of the Linux verifier's "R0 !read_ok":
// no register may be read on a path where it was never written.

import { decodeSpec, type Insn, type InsnSpec } from '../isa/index.ts';
import type { Program } from '../program.ts';
import { disassembleOne, secondSlotProblem } from './disassembler.ts';
import { ARG_REGS, FRAME_POINTER, registerEffects, type RegisterEffects } from './reg-effects.ts';

export interface ValidationIssue {
  /** Slot index of the offending instruction. */
  readonly pc: number;
  readonly message: string;
  /** The instruction, disassembled. */
  readonly insn: string;
}

/** Registers defined at entry: r1 (input pointer), r2 (input length), r3..r5 (zero), r10 (frame pointer). */
export const ENTRY_DEFINED: readonly number[] = [1, 2, 3, 4, 5, FRAME_POINTER];

const mask = (regs: readonly number[]): number => regs.reduce((m, r) => m | (1 << r), 0);
const ARG_MASK = mask(ARG_REGS);
const FP_MASK = 1 << FRAME_POINTER;

interface Decoded {
  readonly spec: InsnSpec;
  readonly insn: Insn;
  readonly effects: RegisterEffects;
}

/** Issues a ProgramValidationError lists before "... and N more problems". */
export const MAX_REPORTED_ISSUES = 10;

export function validateProgram(program: Pick<Program, 'insns' | 'entry'>): ValidationIssue[] {
  return checkProgram(program, Infinity).issues;
}

/**
 * validateProgram keeping at most `maxIssues` issues (the first found) and
 * counting the rest: a large random file has an issue per slot, and building
 * the text of each would exhaust the heap.
 */
export function checkProgram(program: Pick<Program, 'insns' | 'entry'>, maxIssues: number): { issues: ValidationIssue[]; omitted: number } {
  const { insns } = program;
  const issues: ValidationIssue[] = [];
  let omitted = 0;
  if (insns.length === 0) return { issues: [{ pc: 0, message: 'Invalid program: it is empty', insn: '' }], omitted };

  // The disassembly of an undecodable slot carries its reason as a comment;
  // the issue message already says it.
  const text = (pc: number): string => disassembleOne(insns[pc]!, insns[pc + 1]).replace(/\s+#.*$/, '');
  const report = (pc: number, message: string): void => {
    if (issues.length < maxIssues) issues.push({ pc, message, insn: text(pc) });
    else omitted++;
  };

  // Pass 1: decode every slot; remember instruction starts.
  const decoded: (Decoded | undefined)[] = new Array(insns.length);
  const isStart = new Array<boolean>(insns.length).fill(false);
  for (let pc = 0; pc < insns.length; ) {
    isStart[pc] = true;
    const insn = insns[pc]!;
    const d = decodeSpec(insn);
    if (!d.ok) {
      report(pc, `Invalid instruction: ${d.reason}`);
      pc++;
      continue;
    }
    if (d.spec.slots === 2) {
      const problem = secondSlotProblem(d.spec, insns[pc + 1]);
      if (problem) {
        report(pc, `Invalid instruction: ${problem}`);
        pc++;
        continue;
      }
    }
    decoded[pc] = { spec: d.spec, insn, effects: registerEffects(d.spec, insn) };
    pc += d.spec.slots;
  }

  const targetProblem = (target: number): string | undefined => {
    if (target < 0 || target >= insns.length) return `outside the program (0..${insns.length - 1})`;
    if (!isStart[target]) return 'into the middle of an lddw';
    return undefined;
  };
  if (targetProblem(program.entry)) {
    issues.push({ pc: program.entry, message: `Invalid entry point ${program.entry}: ${targetProblem(program.entry)}`, insn: '' });
    return { issues, omitted };
  }

  // Pass 2: per-instruction structure (targets, r10 writes).
  decoded.forEach((d, pc) => {
    if (!d) return;
    const target = branchTarget(d, pc);
    if (target !== undefined) {
      const problem = targetProblem(target);
      if (problem) report(pc, `Invalid ${d.spec.sem.kind === 'call' ? 'call' : 'jump'} target ${target}: ${problem}`);
    }
    if (d.effects.writes.includes(FRAME_POINTER)) {
      report(pc, 'Invalid write to r10: the frame pointer is read-only');
    }
  });
  if (issues.length > 0) return { issues, omitted };

  // Pass 3: dataflow over defined-register sets (bit r = register r is
  // written on every path here). Must-analysis: states meet by intersection,
  // starting from "everything defined" for unvisited instructions.
  const state = new Int32Array(insns.length);
  const visited = new Array<boolean>(insns.length).fill(false);
  const work: number[] = [];
  const flow = (to: number, defined: number): void => {
    const merged = visited[to] ? state[to]! & defined : defined;
    if (!visited[to] || merged !== state[to]) {
      visited[to] = true;
      state[to] = merged;
      work.push(to);
    }
  };
  flow(program.entry, mask(ENTRY_DEFINED));
  const fallsOff = new Set<number>();
  while (work.length > 0) {
    const pc = work.pop()!;
    const d = decoded[pc]!;
    const inState = state[pc]!;
    const out = (inState & ~mask(d.effects.clobbers)) | mask(d.effects.writes);
    const sem = d.spec.sem;
    const next = pc + d.spec.slots;
    const fallThrough = (): void => {
      if (next >= insns.length) fallsOff.add(pc);
      else flow(next, out);
    };
    if (sem.kind === 'exit') continue;
    const target = branchTarget(d, pc);
    if (sem.kind === 'call' && sem.target === 'local') {
      // The callee gets the caller's argument registers and its own frame;
      // r0 and r6..r9 start undefined there, as in the Linux verifier.
      flow(target!, (inState & ARG_MASK) | FP_MASK);
      fallThrough();
    } else if (sem.kind === 'ja') {
      flow(target!, out);
    } else {
      if (target !== undefined) flow(target, out);
      fallThrough();
    }
  }

  decoded.forEach((d, pc) => {
    if (!d || !visited[pc]) return;
    const undefinedReads = [...new Set(d.effects.reads)].filter((r) => (state[pc]! & (1 << r)) === 0);
    for (const r of undefinedReads) {
      report(pc, `Invalid read of r${r}: it is not written on every path to here (uninitialised register, like the kernel's "R${r} !read_ok")`);
    }
  });
  for (const pc of [...fallsOff].sort((a, b) => a - b)) {
    report(pc, 'Invalid control flow: execution can run past the last instruction');
  }
  return { issues: issues.sort((a, b) => a.pc - b.pc), omitted };
}

/** Slot a jump, `ja32` or local call transfers to; undefined for other instructions (helper calls included). */
function branchTarget(d: Decoded, pc: number): number | undefined {
  const sem = d.spec.sem;
  if (sem.kind === 'jmp') return pc + 1 + d.insn.off;
  if (sem.kind === 'ja') return pc + 1 + (sem.target === 'off' ? d.insn.off : d.insn.imm);
  if (sem.kind === 'call' && sem.target === 'local') return pc + 1 + d.insn.imm;
  return undefined;
}

/** Thrown by assertValidProgram; carries every issue found. */
export class ProgramValidationError extends Error {
  override readonly name = 'ProgramValidationError';
  /** `omitted`: issues found beyond `issues` (counted, not kept). */
  constructor(readonly issues: readonly ValidationIssue[], readonly program: Pick<Program, 'sources'>, readonly omitted = 0) {
    super([...issues.map((i) => formatIssue(i, program)), ...(omitted > 0 ? [`... and ${omitted} more problems`] : [])].join('\n'));
  }
}

/**
 * `file:line:col: pc N (insn): message` when the slot has a source,
 * `pc N (insn): message` otherwise.
 */
export function formatIssue(issue: ValidationIssue, program: Pick<Program, 'sources'>): string {
  const src = program.sources?.[issue.pc];
  const where = src ? `${src.file}:${src.line}:${src.column}: ` : '';
  const insn = issue.insn ? ` (${issue.insn})` : '';
  return `${where}pc ${issue.pc}${insn}: ${issue.message}`;
}

export function assertValidProgram(program: Pick<Program, 'insns' | 'entry' | 'sources'>): void {
  const { issues, omitted } = checkProgram(program, MAX_REPORTED_ISSUES);
  if (issues.length > 0) throw new ProgramValidationError(issues, program, omitted);
}
