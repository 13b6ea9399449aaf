// Random eBPF programs for the lockstep fuzzer, drawn from the ISA table (the
// entries the CPU build enables). Programs always terminate: jumps go
// forward, except the back edge of bounded loops (counter in r9, which
// nothing in the loop body may write), and local calls only go to functions
// defined later (no recursion). Memory accesses mostly hit the stack or the
// packet, with offsets around the region edges, unaligned, sometimes out of
// range; a few slots are deliberately broken (random words, r10 writes,
// jumps out of the program) so fault paths are compared too.

import type { Insn } from '../isa/encoding.ts';
import type { InsnSpec } from '../isa/table.ts';
import type { Program } from '../program.ts';
import { enabledSpecs, type CpuConfig } from '../../hdl/cpu/config.ts';
import { Rng } from '../random.ts';


const EDGE_IMMS = [0, 1, -1, 2, 3, 7, 8, 15, 16, 31, 32, 33, 63, 64, 0xff, 0x80, 0x7fff, -0x8000, 0xffff, 0x7fffffff, -0x80000000, 5];
const EDGE_U64 = [0n, 1n, 0xffffffffffffffffn, 0x8000000000000000n, 0x7fffffffffffffffn, 0xffffffffn, 0x100000000n, 0x80000000n, 0xffffffff80000000n, 63n, 64n];

type Item =
  | { t: 'insn'; insn: Insn }
  | { t: 'lddw'; dst: number; value: bigint }
  | { t: 'jump'; spec: InsnSpec; dst: number; src: number; imm: number; target: number; wild?: number }
  | { t: 'call'; fn: number };

interface Fn {
  items: Item[];
  /** [mov index, jne index] of each loop: jumps from outside may not land inside. */
  loops: [number, number][];
}

export interface RandomProgram {
  program: Program;
  input: Uint8Array;
}

export interface RandomProgramOptions {
  /** Instructions per function body (default [6, 28]). */
  length?: [number, number];
}

export class ProgramGenerator {
  private readonly byKind = new Map<string, InsnSpec[]>();

  constructor(readonly cfg: CpuConfig, readonly opts: RandomProgramOptions = {}) {
    for (const spec of enabledSpecs(cfg)) {
      const k = kindOf(spec);
      const list = this.byKind.get(k) ?? [];
      list.push(spec);
      this.byKind.set(k, list);
    }
  }

  private specs(kind: string): InsnSpec[] {
    return this.byKind.get(kind) ?? [];
  }

  generate(seed: number): RandomProgram {
    const rng = new Rng(seed);
    const input = new Uint8Array(rng.int(0, 48));
    for (let i = 0; i < input.length; i++) input[i] = rng.int(0, 255);
    // Sometimes a chain of calls deeper than the stack allows (a call-depth fault).
    const chain = rng.chance(0.04);
    const frames = this.cfg.memoryMap.maxFrames;
    const fnCount = chain ? rng.int(Math.max(1, frames - 2), frames + 1) : rng.chance(0.5) ? rng.int(1, 4) : 0;
    const fns: Fn[] = [];
    for (let f = 0; f <= fnCount; f++) fns.push(this.genFunction(rng, f, fnCount, input.length, chain));
    // Sometimes the entry point is not slot 0: a few slots of anything come first.
    const prefix: Insn[] = [];
    if (rng.chance(0.1)) for (let i = rng.int(1, 3); i > 0; i--) prefix.push(randomWord(rng));
    const program = layout(fns, this.spec('lddw'), this.spec('call_local'));
    return { program: { insns: [...prefix, ...program.insns], entry: prefix.length }, input };
  }

  private genFunction(rng: Rng, index: number, last: number, inputLen: number, chain: boolean): Fn {
    const [lo, hi] = this.opts.length ?? [6, 28];
    const items: Item[] = [];
    const loops: [number, number][] = [];
    if (chain && index > 0 && index < last) items.push({ t: 'call', fn: index + 1 });
    if (index === 0) {
      // Random starting values (r1 stays the packet pointer, r2 its length).
      for (const r of [0, 3, 4, 5, 6, 7, 8, 9]) {
        if (rng.chance(0.6)) items.push({ t: 'lddw', dst: r, value: this.value64(rng) });
      }
      if (chain) items.push({ t: 'call', fn: 1 });
    }
    const n = rng.int(index === 0 ? lo : 2, index === 0 ? hi : Math.max(3, hi >> 1));
    while (items.length < n + (index === 0 ? 8 : 0)) {
      if (rng.chance(0.06)) {
        const start = items.length;
        items.push({ t: 'insn', insn: this.aluImm(rng, 'mov64_imm', 9, rng.int(1, 4)) });
        const body = rng.int(1, 6);
        for (let i = 0; i < body; i++) items.push(this.item(rng, index, last, inputLen, true));
        items.push({ t: 'insn', insn: this.aluImm(rng, 'add64_imm', 9, -1) });
        items.push({ t: 'jump', spec: this.spec('jne_imm'), dst: 9, src: 0, imm: 0, target: start + 1 });
        loops.push([start, items.length - 1]);
      } else {
        items.push(this.item(rng, index, last, inputLen, false));
      }
    }
    items.push({ t: 'insn', insn: plain(this.spec('exit')) });
    // Forward targets, never into a loop body from outside it.
    items.forEach((it, i) => {
      if (it.t !== 'jump' || it.target >= 0) return;
      if (rng.chance(0.01)) {
        it.wild = rng.pick([-1, -5, 1 << 12, 100000]);
        return;
      }
      const inLoop = loops.find(([s, e]) => i > s && i < e);
      const ok: number[] = [];
      for (let j = i + 1; j < items.length; j++) {
        const inside = loops.find(([s, e]) => j > s && j <= e);
        if (inside && inside !== inLoop) continue;
        if (inLoop && j > inLoop[1] - 1 && j <= inLoop[1]) continue; // not onto the back edge itself
        ok.push(j);
      }
      it.target = ok.length ? rng.pick(ok) : items.length - 1;
    });
    return { items, loops };
  }

  private spec(id: string): InsnSpec {
    for (const list of this.byKind.values()) for (const s of list) if (s.id === id) return s;
    throw new Error(`random programs: '${id}' is not enabled in this CPU build`);
  }

  private aluImm(_rng: Rng, id: string, dst: number, imm: number): Insn {
    const s = this.spec(id);
    return { opcode: s.opcode, dst, src: 0, off: s.fixed.off ?? 0, imm };
  }

  private imm(rng: Rng): number {
    return rng.chance(0.6) ? rng.pick(EDGE_IMMS) : rng.u32() | 0;
  }

  private value64(rng: Rng): bigint {
    const mm = this.cfg.memoryMap;
    const r = rng.next();
    if (r < 0.4) return rng.pick(EDGE_U64);
    if (r < 0.55) return BigInt(mm.stackBase + rng.int(0, mm.frameSize * mm.maxFrames));
    if (r < 0.65) return BigInt(mm.dataBase + rng.int(0, 64));
    if (r < 0.8) return BigInt(rng.int(-300, 300)) & 0xffffffffffffffffn;
    return rng.u64();
  }

  /** A register an instruction may write: r0-r9, rarely r1 (the packet pointer), never r9 in a loop body, very rarely r10. */
  private dstReg(rng: Rng, inLoop: boolean): number {
    if (rng.chance(0.004)) return 10;
    for (;;) {
      const r = rng.int(0, 9);
      if (r === 1 && !rng.chance(0.1)) continue;
      if (r === 9 && inLoop) continue;
      return r;
    }
  }

  private item(rng: Rng, fn: number, lastFn: number, inputLen: number, inLoop: boolean): Item {
    const r = rng.next();
    if (r < 0.004) return { t: 'insn', insn: randomWord(rng) };
    if (r < 0.40) return this.alu(rng, inLoop);
    if (r < 0.52) {
      const list = this.specs('jmp').concat(this.specs('ja'));
      const spec = rng.pick(list);
      return { t: 'jump', spec, dst: rng.int(0, 10), src: rng.int(0, 10), imm: this.imm(rng), target: -1 };
    }
    if (r < 0.72) return this.memory(rng, inputLen, inLoop);
    if (r < 0.77 && this.specs('atomic').length) return this.atomic(rng, inLoop);
    if (r < 0.81) return { t: 'lddw', dst: this.dstReg(rng, inLoop), value: this.value64(rng) };
    if (r < 0.86 && fn < lastFn) return { t: 'call', fn: rng.int(fn + 1, lastFn) };
    if (r < 0.90) {
      // Helper calls: mostly the built-in unwind helper, sometimes unknown ids or callx.
      const callx = this.specs('callx');
      if (callx.length && rng.chance(0.15)) {
        return { t: 'insn', insn: { opcode: callx[0]!.opcode, dst: rng.int(0, 10), src: 0, off: 0, imm: 0 } };
      }
      const spec = rng.pick(this.specs('call'));
      return { t: 'insn', insn: { opcode: spec.opcode, dst: 0, src: spec.fixed.src ?? 0, off: 0, imm: rng.chance(0.92) ? 5 : rng.int(0, 9) } };
    }
    if (r < 0.92 && this.specs('ldpkt').length) {
      const spec = rng.pick(this.specs('ldpkt'));
      return { t: 'insn', insn: { opcode: spec.opcode, dst: 0, src: spec.uses.src ? rng.int(0, 10) : 0, off: 0, imm: rng.int(-2, inputLen + 2) } };
    }
    if (r < 0.925) return { t: 'insn', insn: plain(this.spec('exit')) };
    if (r < 0.94) return { t: 'insn', insn: this.aluImm(rng, 'mov64_imm', 1, rng.chance(0.5) ? 0 : rng.int(0, 3)) };
    return this.alu(rng, inLoop);
  }

  private alu(rng: Rng, inLoop: boolean): Item {
    const spec = rng.pick(this.specs('alu'));
    return { t: 'insn', insn: this.fill(rng, spec, this.dstReg(rng, inLoop)) };
  }

  private fill(rng: Rng, spec: InsnSpec, dst: number): Insn {
    return {
      opcode: spec.opcode,
      dst: spec.uses.dst ? dst : 0,
      src: spec.fixed.src ?? (spec.uses.src ? rng.int(0, 10) : 0),
      off: spec.fixed.off ?? (spec.uses.off ? rng.int(-8, 8) : 0),
      imm: spec.fixed.imm ?? (spec.uses.imm ? this.imm(rng) : 0),
    };
  }

  /** A base register and offset: the stack (r10), the packet (r1), or anything. */
  private address(rng: Rng, inputLen: number, bytes: number): { base: number; off: number } {
    const r = rng.next();
    const stack = this.cfg.memoryMap.frameSize * this.cfg.memoryMap.maxFrames;
    if (r < 0.62) {
      const edge = rng.chance(0.04);
      const off = edge ? rng.pick([0, 1, 1 - bytes, -bytes, -stack - 1, -stack, -stack + 1, -stack - 8]) : -rng.int(bytes, Math.min(520, stack));
      return { base: 10, off };
    }
    if (r < 0.96) {
      if (inputLen >= bytes && !rng.chance(0.06)) return { base: 1, off: rng.int(0, inputLen - bytes) };
      return { base: 1, off: rng.int(-3, inputLen + 3) };
    }
    return { base: rng.int(0, 9), off: rng.int(-16, 16) };
  }

  private memory(rng: Rng, inputLen: number, inLoop: boolean): Item {
    const kind = rng.pick(['load', 'load', 'store']);
    const spec = rng.pick(this.specs(kind));
    const bytes = spec.sem.kind === 'load' || spec.sem.kind === 'store' ? spec.sem.bytes : 8;
    const { base, off } = this.address(rng, inputLen, bytes);
    if (kind === 'load') return { t: 'insn', insn: { opcode: spec.opcode, dst: this.dstReg(rng, inLoop), src: base, off, imm: 0 } };
    return { t: 'insn', insn: { opcode: spec.opcode, dst: base, src: spec.uses.src ? rng.int(0, 10) : 0, off, imm: spec.uses.imm ? this.imm(rng) : 0 } };
  }

  private atomic(rng: Rng, inLoop: boolean): Item {
    const spec = rng.pick(this.specs('atomic'));
    const { base, off } = rng.chance(0.8) ? { base: 10, off: -rng.int(8, 64) } : this.address(rng, 16, 8);
    let src = rng.int(0, 10);
    while (inLoop && src === 9) src = rng.int(0, 8);
    return { t: 'insn', insn: { opcode: spec.opcode, dst: base, src, off, imm: spec.fixed.imm! } };
  }
}

function kindOf(spec: InsnSpec): string {
  const sem = spec.sem;
  if (sem.kind === 'call') return sem.target === 'reg' ? 'callx' : sem.target === 'local' ? 'call_local' : 'call';
  return sem.kind;
}

function plain(spec: InsnSpec): Insn {
  return { opcode: spec.opcode, dst: 0, src: spec.fixed.src ?? 0, off: spec.fixed.off ?? 0, imm: spec.fixed.imm ?? 0 };
}

function randomWord(rng: Rng): Insn {
  return { opcode: rng.int(0, 255), dst: rng.int(0, 15), src: rng.int(0, 15), off: rng.int(-32768, 32767), imm: rng.u32() | 0 };
}

/** Place the functions one after another and resolve jump and call targets to offsets. */
function layout(fns: Fn[], lddw: InsnSpec, callLocal: InsnSpec): Program {
  const starts: number[][] = [];
  const fnStart: number[] = [];
  let at = 0;
  for (const fn of fns) {
    fnStart.push(at);
    const s: number[] = [];
    for (const it of fn.items) {
      s.push(at);
      at += it.t === 'lddw' ? 2 : 1;
    }
    starts.push(s);
  }
  const insns: Insn[] = [];
  fns.forEach((fn, f) => {
    fn.items.forEach((it, i) => {
      const pc = starts[f]![i]!;
      switch (it.t) {
        case 'insn':
          insns.push(it.insn);
          break;
        case 'lddw':
          insns.push({ opcode: lddw.opcode, dst: it.dst, src: 0, off: 0, imm: Number(BigInt.asIntN(32, it.value)) });
          insns.push({ opcode: 0, dst: 0, src: 0, off: 0, imm: Number(BigInt.asIntN(32, it.value >> 32n)) });
          break;
        case 'call':
          insns.push({ opcode: callLocal.opcode, dst: 0, src: callLocal.fixed.src ?? 0, off: 0, imm: fnStart[it.fn]! - pc - 1 });
          break;
        case 'jump': {
          const target = it.wild ?? starts[f]![it.target]!;
          const rel = target - pc - 1;
          const s = it.spec;
          const useImm = s.sem.kind === 'ja' && s.sem.target === 'imm';
          const fits = useImm || (rel >= -32768 && rel <= 32767);
          insns.push({
            opcode: s.opcode,
            dst: s.uses.dst ? it.dst : 0,
            src: s.uses.src ? it.src : 0,
            off: useImm ? 0 : fits ? rel : 0,
            imm: useImm ? rel : s.uses.imm ? it.imm : 0,
          });
          break;
        }
      }
    });
  });
  return { insns, entry: 0 };
}
