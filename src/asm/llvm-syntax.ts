// One instruction in LLVM's BPF assembly syntax (what clang -S emits and
// llvm-mc reads), derived from the ISA table's semantics. Used to cross-check
// our encoder against llvm-mc, and handy for showing code to people who know
// the kernel's notation.
//
// Forms newer than LLVM 14 (v4: sdiv/smod, movsx, bswap, sign-extending
// loads, gotol, callx) are written the way later LLVM releases spell them.
// Two forms have no numeric spelling in LLVM at all: a local call (LLVM
// encodes it from a symbol) and a `call runtime` (BTF kfunc, also a symbol).
// Give `label` to print a local call's target by name; otherwise these print
// in angle brackets, which no LLVM parser accepts, so they can never be
// silently mis-assembled as a helper call.

import { decodeSpec, type AluOp, type Insn, type JmpCond, type MemBytes } from '../isa/index.ts';
import { formatRelative } from './numbers.ts';

const ALU_OPERATOR: Readonly<Record<Exclude<AluOp, 'neg' | 'le' | 'be' | 'bswap' | 'movsx8' | 'movsx16' | 'movsx32'>, string>> = {
  add: '+=', sub: '-=', mul: '*=', div: '/=', sdiv: 's/=', or: '|=', and: '&=', lsh: '<<=', rsh: '>>=',
  mod: '%=', smod: 's%=', xor: '^=', mov: '=', arsh: 's>>=',
};

const JMP_OPERATOR: Readonly<Record<JmpCond, string>> = {
  eq: '==', gt: '>', ge: '>=', set: '&', ne: '!=', sgt: 's>', sge: 's>=', lt: '<', le: '<=', slt: 's<', sle: 's<=',
};

const ATOMIC_OPERATOR = { add: '+=', or: '|=', and: '&=', xor: '^=' } as const;

const BITS: Record<MemBytes, number> = { 1: 8, 2: 16, 4: 32, 8: 64 };

export interface LlvmFormatOptions {
  /** Name to print as the target of a jump or local call instead of `+N`. */
  label?: string;
}

/**
 * Format one instruction. `next` is the following slot (lddw). Throws on a
 * slot that does not decode: callers format programs they have validated.
 */
export function formatLlvm(insn: Insn, next?: Insn, opts: LlvmFormatOptions = {}): string {
  const decoded = decodeSpec(insn);
  if (!decoded.ok) throw new Error(`cannot format an invalid slot in LLVM syntax: ${decoded.reason}`);
  const sem = decoded.spec.sem;
  const r = (n: number): string => `r${n}`;
  const mem = (reg: number): string => `(r${reg} ${insn.off < 0 ? '-' : '+'} ${Math.abs(insn.off)})`;
  const target = (rel: number): string => opts.label ?? formatRelative(rel);

  switch (sem.kind) {
    case 'alu': {
      const w = (n: number): string => `${sem.width === 32 ? 'w' : 'r'}${n}`;
      const d = w(insn.dst);
      switch (sem.op) {
        case 'neg':
          return `${d} = -${d}`;
        case 'le': case 'be': case 'bswap':
          return `${r(insn.dst)} = ${sem.op}${sem.swapBits} ${r(insn.dst)}`;
        case 'movsx8': case 'movsx16': case 'movsx32':
          return `${d} = (s${sem.op.slice(5)})${w(insn.src)}`;
        default: {
          const operand = sem.operand === 'reg' ? w(insn.src) : `${insn.imm}`;
          return `${d} ${ALU_OPERATOR[sem.op]} ${operand}`;
        }
      }
    }
    case 'jmp': {
      const w = (n: number): string => `${sem.width === 32 ? 'w' : 'r'}${n}`;
      const operand = sem.operand === 'reg' ? w(insn.src) : `${insn.imm}`;
      return `if ${w(insn.dst)} ${JMP_OPERATOR[sem.cond]} ${operand} goto ${target(insn.off)}`;
    }
    case 'ja':
      return sem.target === 'off' ? `goto ${target(insn.off)}` : `gotol ${target(insn.imm)}`;
    case 'call':
      return formatCall(sem.target, insn, opts);
    case 'exit':
      return 'exit';
    case 'lddw': {
      const value = (BigInt((next?.imm ?? 0) >>> 0) << 32n) | BigInt(insn.imm >>> 0);
      return `${r(insn.dst)} = 0x${value.toString(16)} ll`;
    }
    case 'load':
      return `${r(insn.dst)} = *(${sem.signed ? 's' : 'u'}${BITS[sem.bytes]} *)${mem(insn.src)}`;
    case 'store': {
      const value = sem.operand === 'reg' ? r(insn.src) : `${insn.imm}`;
      return `*(u${BITS[sem.bytes]} *)${mem(insn.dst)} = ${value}`;
    }
    case 'atomic': {
      const bits = BITS[sem.bytes];
      const v = `${sem.bytes === 4 ? 'w' : 'r'}${insn.src}`;
      const addr = `r${insn.dst} ${insn.off < 0 ? '-' : '+'} ${Math.abs(insn.off)}`;
      if (sem.op === 'xchg') return `${v} = xchg${sem.bytes === 4 ? '32_32' : '_64'}(${addr}, ${v})`;
      if (sem.op === 'cmpxchg') {
        const r0 = sem.bytes === 4 ? 'w0' : 'r0';
        return `${r0} = cmpxchg${sem.bytes === 4 ? '32_32' : '_64'}(${addr}, ${r0}, ${v})`;
      }
      if (sem.fetch) return `${v} = atomic_fetch_${sem.op}((u${bits} *)(${addr}), ${v})`;
      return `lock *(u${bits} *)${mem(insn.dst)} ${ATOMIC_OPERATOR[sem.op]} ${v}`;
    }
    case 'ldpkt': {
      const index = sem.mode === 'abs' ? `${insn.imm}` : insn.imm === 0 ? r(insn.src) : `${r(insn.src)} + ${insn.imm}`;
      return `r0 = *(u${BITS[sem.bytes]} *)skb[${index}]`;
    }
  }
}

function formatCall(target: 'helper' | 'local' | 'btf' | 'reg', insn: Insn, opts: LlvmFormatOptions): string {
  switch (target) {
    case 'helper': return `call ${insn.imm}`;
    case 'reg': return `callx r${insn.dst}`;
    case 'local': return opts.label !== undefined ? `call ${opts.label}` : `call <local ${formatRelative(insn.imm)}>`;
    case 'btf': return `call <runtime ${insn.imm}>`;
  }
}
