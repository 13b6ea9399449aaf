// The compiled path: a loaded program translated once into JavaScript source
// (one `new Function` per program and access-hook mode), basic blocks as
// straight-line code under a switch on the block's first pc. Registers stay
// in the machine's value array (lo, hi int32 pairs), so the compiled code and
// the run loop share all state and can hand a run back and forth at any
// instruction.
//
// What is compiled is generated from each slot's ISA table semantics
// (`spec.sem`: kind, op, width, operand, bytes): the common ALU forms, jumps,
// lddw, loads and stores. Everything else — helper and local calls, exit,
// atomics, division and modulo, byte swaps, sign extensions, every slot that
// faults, and any access the inline bounds test does not accept — is run by
// the interpreter's own loop for that one instruction (`runUntil(m, n + 1)`),
// so faults, their messages, helper calls and the budget fault come from the
// one implementation in run-loop.ts and cold-path.ts. A block whose
// instructions would cross the budget limit is run by the interpreter too.
//
// test/interp/compile.test.ts runs the conformance suite and random programs
// on both and compares r0, registers, memory, instruction counts and faults.

import type { Semantics } from '../isa/table.ts';
import { REG_WORDS, type LoadedProgram } from './slots.ts';
import type { Interpreter } from './interpreter.ts';
import { Machine } from './machine.ts';
import { physical } from './memory.ts';
import { callHelper, exitRun } from './cold-path.ts';
import { Op, runUntil } from './run-loop.ts';
import { DEFAULT_MAX_INSNS, type ExecOptions, type RunResult } from './types.ts';

/**
 * Called before a load, store or atomic the hook mode covers (except, with
 * isolated frames, loads and stores through r10: they stay in the current
 * stack frame), with the slot,
 * the base register's (lo, hi) words, the offset, size and direction. Return
 * false to stop the run before the access (the hook keeps why); the machine's
 * pc and retired count then name the access.
 */
export type AccessHook = (pc: number, lo: number, hi: number, off: number, bytes: number, write: boolean) => boolean;

/** Which accesses reach the hook: none, stores and atomics, or every memory access. */
export type HookMode = 'none' | 'writes' | 'all';

/** How a compiled run stopped: at `limit` with no result, with m.result set, or by the hook. */
export const enum Stop {
  LIMIT = 0,
  ENDED = 1,
  HOOK = 2,
}

/** Run m until the program ends, `limit` instructions are retired in all, or the hook says stop. */
export type CompiledRun = (m: Machine, limit: number, hook?: AccessHook) => Stop;

/** Programs longer than this stay on the interpreter: the generated source grows with the program. */
export const MAX_COMPILED_SLOTS = 50_000;

const compiled = new WeakMap<LoadedProgram, Map<HookMode, CompiledRun>>();

/** The compiled form of `loaded` for a hook mode (made once per program and mode), or undefined for a huge program. */
export function compiledRun(loaded: LoadedProgram, mode: HookMode = 'none'): CompiledRun | undefined {
  if (loaded.length > MAX_COMPILED_SLOTS) return undefined;
  let modes = compiled.get(loaded);
  if (!modes) compiled.set(loaded, (modes = new Map()));
  let run = modes.get(mode);
  if (!run) {
    run = build(loaded, mode);
    modes.set(mode, run);
  }
  return run;
}

/**
 * Run from a fresh state on the compiled path (the interpreter for a program
 * too large to compile): the RunResult Interpreter.run would give. For tests
 * and callers that want one compiled run; hot loops keep a machine and call
 * compiledRun's function themselves.
 */
export function runCompiled(interp: Interpreter, opts: ExecOptions = {}): RunResult {
  const m = new Machine(interp.loaded, opts);
  const budget = opts.maxInsns ?? DEFAULT_MAX_INSNS;
  if (!(budget >= 0)) throw new RangeError(`maxInsns must be a non-negative number, got ${budget}`);
  compiledRun(interp.loaded)?.(m, budget);
  // Short of the end (at the budget, or not compiled) the interpreter finishes the run and gives the budget fault.
  return m.result ?? interp.runIn(m, budget)!;
}

// ---------------------------------------------------------------------------
// Code generation

/** Source of one slot's operand: a register pair or the immediate as literals. */
interface Operand {
  lo: string;
  hi: string;
}

function build(L: LoadedProgram, mode: HookMode): CompiledRun {
  const leaders = blockLeaders(L);
  const out: string[] = [];
  const emit = (s: string): void => { out.push(s); };

  emit('"use strict";');
  emit('return function compiled(m, limit, hook) {');
  emit('const V = m.values, mem = m.mem, dv = m.view, layout = m.layout;');
  // runUntil sets the stack floor from the depth at its start; so does this entry (later changes come from runUntil).
  emit(`layout.stackFloor = ${L.isolateFrames ? `${'layout.stackSize - layout.frameSize'} - m.depth * layout.frameSize` : '0'};`);
  emit('let pc = m.pc, n = m.retired, p = 0;');
  // Hand one instruction (at pc, i instructions into the block) to the interpreter.
  emit('for (;;) {');
  emit('switch (pc) {');
  const n = L.length;
  for (let start = 0; start < n; start++) {
    if (!leaders[start]) continue;
    // The block: from start to the next leader or the first instruction that ends it.
    const body: string[] = [];
    let i = 0;
    let pc = start;
    let open = true;
    for (;;) {
      const step = slotCode(L, pc, i, mode);
      body.push(step.code);
      i++;
      if (step.ends) { open = false; break; }
      pc += step.width;
      if (pc >= n || leaders[pc]) break;
    }
    const len = i;
    emit(`case ${start}: {`);
    // Budget: a block that would cross the limit runs on the interpreter, which stops exactly there.
    emit(`if (n + ${len} > limit) { m.pc = ${start}; m.retired = n; runUntil(m, limit); return m.result !== null ? 1 : 0; }`);
    for (const line of body) emit(line);
    if (open) emit(`n += ${len}; pc = ${pc}; continue;`);
    emit('}');
  }
  // Any other pc (a sentinel slot, a local call's return, an entry mid-block): one instruction on the interpreter.
  emit('default:');
  emit('if (n >= limit) { m.pc = pc; m.retired = n; return 0; }');
  emit('m.pc = pc; m.retired = n; runUntil(m, n + 1);');
  emit('if (m.result !== null) return 1;');
  emit('pc = m.pc; n = m.retired; continue;');
  emit('}');
  emit('}');
  emit('};');
  const factory = new Function('runUntil', 'physical', 'callHelper', 'exitRun', out.join('\n')) as (
    r: typeof runUntil, ph: typeof physical, c: typeof callHelper, e: typeof exitRun,
  ) => CompiledRun;
  return factory(runUntil, physical, callHelper, exitRun);
}

/** Slots where a block starts: the entry, jump and call targets, and the slot after any jump, call or exit. */
function blockLeaders(L: LoadedProgram): Uint8Array {
  const n = L.length;
  const leaders = new Uint8Array(n + 1);
  if (n > 0) leaders[L.entry] = 1;
  if (n > 0) leaders[0] = 1;
  for (let pc = 0; pc < n; pc++) {
    const sem = L.specs[pc]?.sem;
    if (!sem) { leaders[pc] = 1; if (pc + 1 <= n) leaders[pc + 1] = 1; continue; }
    // (A helper call goes on at the next slot, so it does not end a block.)
    if (sem.kind === 'jmp' || sem.kind === 'ja' || (sem.kind === 'call' && sem.target !== 'helper') || sem.kind === 'exit') {
      const t = L.off[pc]!;
      if ((sem.kind === 'jmp' || sem.kind === 'ja' || (sem.kind === 'call' && sem.target === 'local')) && t >= 0 && t < n) leaders[t] = 1;
      leaders[pc + 1] = 1;
    }
  }
  return leaders;
}

interface SlotCode {
  code: string;
  /** Control leaves the straight line here (a jump, call, exit or fault): the block ends. */
  ends: boolean;
  /** Slots the instruction takes (2 for lddw). */
  width: number;
}

/** Hand slot `pc` (instruction i of its block) to the interpreter; control goes on at whatever pc it leaves. */
function viaInterpreter(pc: number, i: number, ends: boolean): string {
  const sync = `m.pc = ${pc}; m.retired = n + ${i}; runUntil(m, n + ${i + 1}); if (m.result !== null) return 1;`;
  if (ends) return `${sync} pc = m.pc; n = m.retired; continue;`;
  // A straight-line instruction: the interpreter went to pc + 1 and changed nothing the block holds in locals.
  return sync;
}

function operandOf(L: LoadedProgram, pc: number): Operand {
  const s = L.operand[pc]!;
  if (s < REG_WORDS) return { lo: `V[${s}]`, hi: `V[${s + 1}]` };
  return { lo: String(L.values[s]! | 0), hi: String(L.values[s + 1]! | 0) };
}

function slotCode(L: LoadedProgram, pc: number, i: number, mode: HookMode): SlotCode {
  const spec = L.specs[pc];
  // A slot that faults when reached (decode problem, r10 write, frame escape, lddw tail): the interpreter reports it.
  if (spec === undefined || L.faults.has(pc) || FAULT_OPS.has(L.op[pc]!)) {
    // An access slot that faults still meets the hook first, as a stepping caller would vet it before running it.
    const s = spec?.sem;
    const access = s && (s.kind === 'load' || s.kind === 'store' || s.kind === 'atomic') ? s : undefined;
    const hooked = access !== undefined && (access.kind === 'load' ? mode === 'all' : mode !== 'none');
    const hook = hooked ? hookCall(L, pc, i, access.kind === 'load' ? L.operand[pc]! : L.dst[pc]!, access.bytes, access.kind !== 'load') : '';
    return { code: hook + viaInterpreter(pc, i, true), ends: true, width: 1 };
  }
  const sem = spec.sem;
  const d = L.dst[pc]!;
  switch (sem.kind) {
    case 'alu': {
      const code = aluCode(sem, d, operandOf(L, pc));
      return { code: code ?? viaInterpreter(pc, i, false), ends: false, width: 1 };
    }
    case 'lddw': {
      const s = L.operand[pc]!;
      return { code: `V[${d}] = ${L.values[s]! | 0}; V[${d + 1}] = ${L.values[s + 1]! | 0};`, ends: false, width: 2 };
    }
    case 'ja':
      return { code: `n += ${i + 1}; pc = ${L.off[pc]!}; continue;`, ends: true, width: 1 };
    case 'jmp': {
      const cond = jumpCondition(sem, d, operandOf(L, pc));
      // Taken: to the target; not taken: the next slot, which starts the next block (case labels are in order, so fall through).
      return { code: `n += ${i + 1}; if (${cond}) { pc = ${L.off[pc]!}; continue; } pc = ${pc + 1}; continue;`, ends: true, width: 1 };
    }
    case 'load':
    case 'store':
      return { code: accessCode(L, pc, i, sem, mode), ends: false, width: 1 };
    case 'atomic': {
      const hook = mode !== 'none' ? hookCall(L, pc, i, d, sem.bytes, true) : '';
      return { code: hook + viaInterpreter(pc, i, false), ends: false, width: 1 };
    }
    case 'call':
      // A helper call goes on at the next slot (or ends the run): the interpreter's own call, without its dispatch.
      if (sem.target === 'helper') {
        return { code: `m.retired = n + ${i}; if (!callHelper(m, ${pc}, n + ${i}, ${L.values[L.operand[pc]!]! | 0}, 'helper')) return 1;`, ends: false, width: 1 };
      }
      return { code: viaInterpreter(pc, i, true), ends: true, width: 1 };
    case 'exit':
      // The entry function's exit ends the run (the interpreter's own ending); a local call's returns through it.
      return { code: `if (m.depth === 0) { exitRun(m, ${pc}, n + ${i + 1}); return 1; } ${viaInterpreter(pc, i, true)}`, ends: true, width: 1 };
    default:
      // Local calls, legacy packet loads: the interpreter (control may go anywhere).
      return { code: viaInterpreter(pc, i, true), ends: true, width: 1 };
  }
}

/** Micro-ops of slots the loader marked to fault when reached: they have no compiled form. */
const FAULT_OPS: ReadonlySet<number> = new Set([Op.ILLEGAL, Op.BAD_REG, Op.BAD_JUMP, Op.FRAME_ESCAPE]);

function hookCall(L: LoadedProgram, pc: number, i: number, base: number, bytes: number, write: boolean): string {
  return `if (!hook(${pc}, V[${base}], V[${base + 1}], ${L.off[pc]!}, ${bytes}, ${write})) { m.pc = ${pc}; m.retired = n + ${i}; return 2; }`;
}

function accessCode(L: LoadedProgram, pc: number, i: number, sem: Extract<Semantics, { kind: 'load' | 'store' }>, mode: HookMode): string {
  const write = sem.kind === 'store';
  const base = write ? L.dst[pc]! : L.operand[pc]!;
  const off = L.off[pc]!;
  const bytes = sem.bytes;
  // With isolated frames an access through r10 that runs at all stays in the current frame (frames.ts makes the
  // others faulting slots), so it never reaches the stack's neighbours: such accesses skip the hook.
  const inFrame = L.isolateFrames && base === 2 * 10;
  const hooked = !inFrame && (mode === 'all' || (mode === 'writes' && write));
  const hook = hooked ? hookCall(L, pc, i, base, bytes, write) : '';
  // The interpreter's own bounds rule; outside it, the interpreter runs the slot and reports the fault.
  const bounds = `p = physical(layout, V[${base + 1}], V[${base}], ${off}, ${bytes}); if (p < 0) { ${viaInterpreter(pc, i, true)} }`;
  let action: string;
  if (write) {
    const v = operandOf(L, pc);
    action = bytes === 1 ? `mem[p] = ${v.lo};`
      : bytes === 2 ? `dv.setInt16(p, ${v.lo}, true);`
      : bytes === 4 ? `dv.setInt32(p, ${v.lo}, true);`
      : `dv.setInt32(p, ${v.lo}, true); dv.setInt32(p + 4, ${v.hi}, true);`;
  } else {
    const d = L.dst[pc]!;
    if (sem.signed) {
      const read = bytes === 1 ? 'dv.getInt8(p)' : bytes === 2 ? 'dv.getInt16(p, true)' : 'dv.getInt32(p, true)';
      action = `{ const x = ${read}; V[${d}] = x; V[${d + 1}] = x >> 31; }`;
    } else {
      action = bytes === 1 ? `V[${d}] = mem[p]; V[${d + 1}] = 0;`
        : bytes === 2 ? `V[${d}] = dv.getUint16(p, true); V[${d + 1}] = 0;`
        : bytes === 4 ? `V[${d}] = dv.getInt32(p, true); V[${d + 1}] = 0;`
        : `V[${d}] = dv.getInt32(p, true); V[${d + 1}] = dv.getInt32(p + 4, true);`;
    }
  }
  return `${hook}${bounds} ${action}`;
}

/**
 * The compiled form of an ALU slot, from its semantics, or undefined for the
 * forms the interpreter runs (division and modulo, neg, sign extension, byte order).
 */
function aluCode(sem: Extract<Semantics, { kind: 'alu' }>, d: number, s: Operand): string | undefined {
  const dl = `V[${d}]`, dh = `V[${d + 1}]`;
  if (sem.width === 32) {
    // 32-bit forms operate on the low words and zero the high word (the int32 store wraps).
    const expr = ALU32[sem.op]?.(dl, s.lo);
    return expr === undefined ? undefined : `${dl} = ${expr}; ${dh} = 0;`;
  }
  switch (sem.op) {
    case 'mov': return `${dl} = ${s.lo}; ${dh} = ${s.hi};`;
    case 'or': return `${dl} = ${dl} | ${s.lo}; ${dh} = ${dh} | ${s.hi};`;
    case 'and': return `${dl} = ${dl} & ${s.lo}; ${dh} = ${dh} & ${s.hi};`;
    case 'xor': return `${dl} = ${dl} ^ ${s.lo}; ${dh} = ${dh} ^ ${s.hi};`;
    // Carry and borrow from the unsigned low words, as the run loop computes them.
    case 'add': return `{ const lo = (${dl} >>> 0) + (${s.lo} >>> 0); ${dh} = ${dh} + ${s.hi} + (lo > 0xffffffff ? 1 : 0); ${dl} = lo; }`;
    case 'sub': return `{ const lo = (${dl} >>> 0) - (${s.lo} >>> 0); ${dh} = ${dh} - ${s.hi} - (lo < 0 ? 1 : 0); ${dl} = lo; }`;
    case 'lsh': return shift64(dl, dh, s.lo, 'lsh');
    case 'rsh': return shift64(dl, dh, s.lo, 'rsh');
    case 'arsh': return shift64(dl, dh, s.lo, 'arsh');
    default: return undefined;
  }
}

const ALU32: Partial<Record<string, (a: string, b: string) => string>> = {
  add: (a, b) => `${a} + ${b}`,
  sub: (a, b) => `${a} - ${b}`,
  mul: (a, b) => `Math.imul(${a}, ${b})`,
  or: (a, b) => `${a} | ${b}`,
  and: (a, b) => `${a} & ${b}`,
  xor: (a, b) => `${a} ^ ${b}`,
  mov: (_a, b) => b,
  lsh: (a, b) => `${a} << (${b} & 31)`,
  rsh: (a, b) => `${a} >>> (${b} & 31)`,
  arsh: (a, b) => `${a} >> (${b} & 31)`,
};

/** 64-bit shifts by the low 6 bits of the operand, on the (lo, hi) pair. */
function shift64(lo: string, hi: string, by: string, op: 'lsh' | 'rsh' | 'arsh'): string {
  const k = 'k';
  const big = op === 'lsh' ? `${hi} = ${lo} << (${k} - 32); ${lo} = 0;`
    : op === 'rsh' ? `${lo} = ${hi} >>> (${k} - 32); ${hi} = 0;`
    : `${lo} = ${hi} >> (${k} - 32); ${hi} = ${hi} >> 31;`;
  const small = op === 'lsh' ? `${hi} = (${hi} << ${k}) | (${lo} >>> (32 - ${k})); ${lo} = ${lo} << ${k};`
    : op === 'rsh' ? `${lo} = (${lo} >>> ${k}) | (${hi} << (32 - ${k})); ${hi} = ${hi} >>> ${k};`
    : `${lo} = (${lo} >>> ${k}) | (${hi} << (32 - ${k})); ${hi} = ${hi} >> ${k};`;
  return `{ const k = ${by} & 63; if (k >= 32) { ${big} } else if (k !== 0) { ${small} } }`;
}

/** A jump's condition as a JS expression, from its semantics: relation, signedness and width. */
function jumpCondition(sem: Extract<Semantics, { kind: 'jmp' }>, d: number, s: Operand): string {
  const dl = `V[${d}]`, dh = `V[${d + 1}]`;
  const cond = sem.cond;
  if (cond === 'eq') return sem.width === 32 ? `${dl} === ${s.lo}` : `${dl} === ${s.lo} && ${dh} === ${s.hi}`;
  if (cond === 'ne') return sem.width === 32 ? `${dl} !== ${s.lo}` : `(${dl} !== ${s.lo} || ${dh} !== ${s.hi})`;
  if (cond === 'set') return sem.width === 32 ? `(${dl} & ${s.lo}) !== 0` : `((${dl} & ${s.lo}) | (${dh} & ${s.hi})) !== 0`;
  const signed = cond.startsWith('s');
  const rel = ({ gt: '>', ge: '>=', lt: '<', le: '<=' } as const)[(signed ? cond.slice(1) : cond) as 'gt' | 'ge' | 'lt' | 'le'];
  const strict = rel === '>=' ? '>' : rel === '<=' ? '<' : rel;
  const u = (x: string): string => `(${x} >>> 0)`;
  if (sem.width === 32) return signed ? `${dl} ${rel} ${s.lo}` : `${u(dl)} ${rel} ${u(s.lo)}`;
  // 64-bit: the high words decide (signed or unsigned), equal high words leave it to the unsigned low words.
  const h = (x: string): string => (signed ? `(${x} | 0)` : u(x));
  return `(${h(dh)} ${strict} ${h(s.hi)} || (${h(dh)} === ${h(s.hi)} && ${u(dl)} ${rel} ${u(s.lo)}))`;
}
