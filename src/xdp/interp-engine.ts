// The reference interpreter as an XDP engine. The program is decoded once
// (per Program object) and reused for every packet; per-run helpers reach it
// through a table of forwarding entries, and one machine is restarted for
// each packet. With an access check it runs one instruction at a time,
// vetting each load and store before it happens.

import { describeSlot } from '../interp/describe.ts';
import { Interpreter } from '../interp/interpreter.ts';
import type { Machine } from '../interp/machine.ts';
import { DEFAULT_MAX_INSNS, type Helper, type HelperTable, type RunResult } from '../interp/types.ts';
import { DEFAULT_MEMORY_MAP, type MemoryMap } from '../isa/memory-map.ts';
import type { Semantics } from '../isa/table.ts';
import { packetOffset, type Program } from '../program.ts';
import type { XdpEngine, XdpEngineClock, XdpEngineRequest, XdpEngineResult } from './engine.ts';
import { MAX_KNOWN_HELPER } from './helper-names.ts';

export interface InterpXdpEngineOptions {
  /** A fixed data memory; without it each session's memory map (sized to its maps) is used. */
  memoryMap?: MemoryMap;
  /**
   * The clock bpf_ktime_get_ns pretends the interpreter runs at, one
   * instruction per cycle (default: the iCEBreaker's 12 MHz), so times read
   * on the interpreter resemble the CPU's.
   */
  nominalHz?: number;
}

interface Prepared {
  readonly interp: Interpreter;
  readonly memoryMap: MemoryMap;
  /** Private copy of the program (its globals come from each request's memory). */
  readonly program: Program;
  /** One machine for every run of this program: restart() instead of a new machine and memory per packet. */
  readonly machine: Machine;
  /** Per slot, the memory access it makes, for the access check: see accessTable(). */
  readonly access: AccessTable;
  /** bpf_ktime_get_ns's view of the run: its instructions at the nominal clock. */
  readonly clock: XdpEngineClock;
  current: HelperTable | null;
}

/**
 * Per slot: the base register's index in the machine's value array (-1: no
 * access), offset, bytes, write; and `free`, how many instructions surely run
 * from this slot before one that must stop the free run (0: this one).
 */
interface AccessTable {
  readonly base: Int32Array;
  readonly off: Int32Array;
  readonly bytes: Uint8Array;
  readonly write: Uint8Array;
  readonly free: Int32Array;
  /** The same for a run that only notes writes (beforeWrite): loads run freely. */
  readonly freeWrites: Int32Array;
}

/** A free run's longest stretch: the budget still ends loops without memory accesses. */
const MAX_FREE_RUN = 1 << 20;

export function createInterpXdpEngine(opts: InterpXdpEngineOptions = {}): XdpEngine {
  const hz = opts.nominalHz ?? 12_000_000;
  const prepared = new WeakMap<Program, Prepared>();
  const nsFor = (insns: number): bigint => BigInt(Math.round((insns * 1e9) / hz));

  const prepare = (program: Program, memoryMap: MemoryMap): Prepared => {
    const known = prepared.get(program);
    if (known && known.memoryMap === memoryMap) return known;
    const copy = { ...program, globals: new Uint8Array(program.globals?.length ?? 0) };
    const p = { memoryMap, program: copy, current: null } as { -readonly [K in keyof Prepared]: Prepared[K] };
    // Every helper id forwards to the current run's table, so one decoded program serves all runs.
    const forward = new Map<number, Helper>();
    for (let id = 0; id <= Math.max(MAX_KNOWN_HELPER, 255); id++) {
      forward.set(id, (r1, r2, r3, r4, r5, ctx) => {
        const helper = p.current?.get(id);
        if (!helper) return ctx.fail(`no helper ${id} in this run's helper table`);
        return helper(r1, r2, r3, r4, r5, ctx);
      });
    }
    p.interp = new Interpreter(copy, { helpers: forward, memoryMap });
    p.machine = p.interp.newMachine();
    // The run's result memory is read (and copied where kept) before the next run restarts the machine.
    p.machine.viewResults = true;
    p.access = accessTable(p.interp, copy);
    // Helpers run inside the machine's loop, which publishes its instruction count before each call.
    p.clock = { elapsedNs: () => nsFor(p.machine.retired) };
    prepared.set(program, p);
    return p;
  };

  return {
    name: 'interp',
    checksAccesses: true,
    ...(opts.memoryMap ? { memoryMap: opts.memoryMap } : {}),
    workspace(program: Program, memoryMap: MemoryMap, bytes: number): Uint8Array {
      return prepare(program, opts.memoryMap ?? memoryMap).machine.dataWorkspace(bytes);
    },
    run(req: XdpEngineRequest): XdpEngineResult {
      const memoryMap = opts.memoryMap ?? req.memoryMap ?? DEFAULT_MEMORY_MAP;
      const p = prepare(req.program, memoryMap);
      const m = p.machine;
      const offset = packetOffset(p.program);
      m.restart(req.memory.subarray(offset), req.args, req.memory.subarray(0, p.program.globals?.length ?? 0));
      p.current = req.helpers(p.clock);
      const budget = req.maxInsns ?? DEFAULT_MAX_INSNS;
      try {
        const check = req.checkAccess;
        const note = req.beforeWrite;
        if (!check && !note) return fromRunResult(p.interp.runIn(m, budget)!, nsFor); // at the budget it always ends
        // The machine runs freely up to the next instruction it must stop at (any access to vet, or, with only
        // beforeWrite, a store or atomic), which then runs alone after the check or the note (no generator, no BigInt).
        const { base, off, bytes, write } = p.access;
        const free = check ? p.access.free : p.access.freeWrites;
        const v = m.values;
        for (;;) {
          const pc = m.pc;
          const ahead = free[pc]!;
          if (ahead === 0) {
            const b = base[pc]!;
            if (b >= 0) {
              const address = accessAddress(v[b]!, v[b + 1]!, off[pc]!);
              const isWrite = write[pc] === 1;
              const reason = check && address >= 0 ? check(address, bytes[pc]!, isWrite) : undefined;
              if (reason !== undefined) {
                const message = `pc ${pc}: ${describeSlot(p.program, pc)}: ${reason}`;
                return { kind: 'fault', message, code: 'access', pc, insns: m.retired };
              }
              if (!check && note && isWrite && address >= 0) note(address, bytes[pc]!);
            }
          }
          const result = p.interp.runIn(m, m.retired + Math.max(ahead, 1), budget);
          if (result !== null) return fromRunResult(result, nsFor);
        }
      } finally {
        p.current = null;
      }
    },
  };
}

/** Which slots load, store or do atomics, through which register, for the access check. */
function accessTable(interp: Interpreter, program: Program): AccessTable {
  const n = interp.loaded.specs.length;
  const t = { base: new Int32Array(n).fill(-1), off: new Int32Array(n), bytes: new Uint8Array(n), write: new Uint8Array(n),
    free: freeRuns(interp, program, (sem) => sem.kind === 'load' || sem.kind === 'store' || sem.kind === 'atomic'),
    freeWrites: freeRuns(interp, program, (sem) => sem.kind === 'store' || sem.kind === 'atomic'),
  };
  interp.loaded.specs.forEach((spec, pc) => {
    const sem = spec?.sem;
    const insn = program.insns[pc];
    if (!sem || !insn) return;
    if (sem.kind !== 'load' && sem.kind !== 'store' && sem.kind !== 'atomic') return;
    // Registers are (lo, hi) pairs in the machine's value array: register r is at 2r.
    t.base[pc] = 2 * (sem.kind === 'load' ? insn.src : insn.dst);
    t.off[pc] = insn.off;
    t.bytes[pc] = sem.bytes;
    t.write[pc] = sem.kind === 'load' ? 0 : 1;
  });
  return t;
}

/**
 * For each slot, the fewest instructions any path from it runs before reaching
 * a slot that must be stepped alone: those `stopsAt` picks (the accesses to
 * vet or to note), and exits and local calls (where the path goes on is not
 * known here). Helper calls run freely: the helpers vet their own pointer
 * arguments and the session notes their writes.
 */
function freeRuns(interp: Interpreter, program: Program, stopsAt: (sem: Semantics) => boolean): Int32Array {
  const specs = interp.loaded.specs;
  const n = specs.length;
  const free = new Int32Array(n).fill(MAX_FREE_RUN);
  const next: number[][] = [];
  for (let pc = 0; pc < n; pc++) {
    const sem = specs[pc]?.sem;
    const insn = program.insns[pc];
    let succ: number[] | undefined;
    if (sem && insn && !stopsAt(sem)) {
      if (sem.kind === 'alu' || sem.kind === 'load') succ = [pc + 1];
      else if (sem.kind === 'lddw') succ = [pc + 2];
      else if (sem.kind === 'jmp') succ = [pc + 1, pc + 1 + insn.off];
      else if (sem.kind === 'ja') succ = [pc + 1 + (sem.target === 'imm' ? insn.imm : insn.off)];
      else if (sem.kind === 'call' && sem.target === 'helper') succ = [pc + 1];
    }
    if (succ === undefined || succ.some((s) => s < 0 || s >= n)) free[pc] = 0;
    next.push(succ ?? []);
  }
  // Shortest distance to a stopping slot, by relaxing until nothing changes (at most n rounds).
  for (let round = 0, changed = true; changed && round <= n; round++) {
    changed = false;
    for (let pc = n - 1; pc >= 0; pc--) {
      if (free[pc] === 0) continue;
      let best = MAX_FREE_RUN;
      for (const s of next[pc]!) best = Math.min(best, free[s]! + 1);
      if (best < free[pc]!) {
        free[pc] = best;
        changed = true;
      }
    }
  }
  return free;
}

/** The address register (lo, hi) + off gives, when it lands below 4 GiB; else -1 (the interpreter faults such an access). */
function accessAddress(lo: number, hi: number, off: number): number {
  // The 64-bit sum, wrapped, only matters when it lands below 4 GiB: hi is 0, or all ones with a negative carry.
  const address = hi === 0 ? (lo >>> 0) + off : hi === -1 ? (lo >>> 0) + off - 0x1_0000_0000 : -1;
  return address < 0 || address > 0xffffffff ? -1 : address;
}

function fromRunResult(result: RunResult, nsFor: (insns: number) => bigint): XdpEngineResult {
  if (result.kind === 'exit') {
    return { kind: 'exit', r0: result.r0, memory: result.memory, insns: result.insns, elapsedNs: nsFor(result.insns) };
  }
  return { kind: 'fault', message: result.message, code: result.code, pc: result.pc, insns: result.insns };
}
