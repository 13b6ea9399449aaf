// The reference interpreter as an XDP engine. The program is decoded once
// (per Program object) and reused for every packet; per-run helpers reach it
// through a table of forwarding entries, and one machine is restarted for
// each packet. With an access check it runs one instruction at a time,
// vetting each load and store before it happens.

import { compiledRun, Stop, type AccessHook, type CompiledRun, type HookMode } from '../interp/compile.ts';
import { describeSlot } from '../interp/describe.ts';
import { Interpreter } from '../interp/interpreter.ts';
import type { Machine } from '../interp/machine.ts';
import { DEFAULT_MAX_INSNS, type Helper, type HelperTable, type RunResult } from '../interp/types.ts';
import { DEFAULT_MEMORY_MAP, type MemoryMap } from '../isa/memory-map.ts';
import type { Semantics } from '../isa/table.ts';
import { packetOffset, type Program } from '../program.ts';
import type { AccessCheck, XdpEngine, XdpEngineClock, XdpEngineRequest, XdpEngineResult } from './engine.ts';
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
  /**
   * Run on the compiled path (src/interp/compile.ts; default true). false:
   * the interpreter's loop stepping up to each access to vet or note, the
   * path a program too large to compile takes (and the one tests compare
   * the compiled path against).
   */
  compiled?: boolean;
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
  readonly hooks: Hooks;
  /** The compiled forms by hook mode (null: the program is too large to compile). */
  readonly compiled: Partial<Record<HookMode, CompiledRun | null>>;
  /** Requests' memories (a session reuses a few) and their input and globals views. */
  readonly staged: Map<Uint8Array, Staged>;
  /** The decoded program's helper table (ids 0..FORWARDED_IDS), and the run table it points at. */
  readonly forward: Map<number, Helper>;
  current: HelperTable | null;
  /** This run's request memory when it is the machine's data memory itself (results then hand it back). */
  own: Uint8Array | undefined;
}

/** A request's memory as the machine takes it: its input and globals views, and whether it is the machine's own memory. */
interface Staged {
  readonly input: Uint8Array;
  readonly globals: Uint8Array;
  /** The machine memory the request's memory was found to be a view of, at dataBase (undefined: it is not). */
  placedIn: Uint8Array | undefined;
}

/** Helper ids a program can call on this engine (every Linux id bpfgate names, and at least 0..255). */
const FORWARDED_IDS = Math.max(MAX_KNOWN_HELPER, 255);

/** What an id the run's table lacks does when called. */
function missingHelper(id: number): Helper {
  return (_1, _2, _3, _4, _5, ctx) => ctx.fail(`no helper ${id} in this run's helper table`);
}

/** Point the decoded program's table at this run's helpers (a no-op while the session's table stays the same). */
function pointHelpers(p: Prepared, table: HelperTable): void {
  if (p.current === table) return;
  for (let id = 0; id <= FORWARDED_IDS; id++) p.forward.set(id, table.get(id) ?? missingHelper(id));
  p.current = table;
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

/** Request memories whose views are kept per program; past this many the cache starts again. */
const MAX_STAGED = 64;

/** Instruction counts whose run times are kept as BigInts (see nsFor). */
const NS_CACHE = 4096;

/** A free run's longest stretch: the budget still ends loops without memory accesses. */
const MAX_FREE_RUN = 1 << 20;

export function createInterpXdpEngine(opts: InterpXdpEngineOptions = {}): XdpEngine {
  const hz = opts.nominalHz ?? 12_000_000;
  const prepared = new WeakMap<Program, Prepared>();
  // Runs of a program retire a few counts over and over: one BigInt per count (below NS_CACHE), not one per run.
  const nsCache: (bigint | undefined)[] = [];
  const nsFor = (insns: number): bigint => {
    if (insns < NS_CACHE) return (nsCache[insns] ??= BigInt(Math.round((insns * 1e9) / hz)));
    return BigInt(Math.round((insns * 1e9) / hz));
  };

  // The last program prepared: a session runs one program packet after packet (a WeakMap lookup per run costs).
  let last: Prepared | undefined;
  let lastProgram: Program | undefined;
  const prepare = (program: Program, memoryMap: MemoryMap): Prepared => {
    if (program === lastProgram && last!.memoryMap === memoryMap) return last!;
    const known = prepared.get(program);
    if (known && known.memoryMap === memoryMap) {
      last = known;
      lastProgram = program;
      return known;
    }
    const copy = { ...program, globals: new Uint8Array(program.globals?.length ?? 0) };
    const p = { memoryMap, program: copy, current: null, own: undefined } as { -readonly [K in keyof Prepared]: Prepared[K] };
    // The decoded program's helper table is this map, pointed at each run's table (see pointHelpers), so one
    // decoded program serves all runs and a call reaches the run's helper directly (its numeric form too).
    const forward = new Map<number, Helper>();
    for (let id = 0; id <= FORWARDED_IDS; id++) forward.set(id, missingHelper(id));
    p.forward = forward;
    p.interp = new Interpreter(copy, { helpers: forward, memoryMap });
    p.machine = p.interp.newMachine();
    // The run's result memory is read (and copied where kept) before the next run restarts the machine.
    p.machine.viewResults = true;
    // Engine results carry r0, never the register file.
    p.machine.skipResultRegs = true;
    p.access = accessTable(p.interp, copy);
    p.hooks = makeHooks();
    p.compiled = {};
    p.staged = new Map();
    // Helpers run inside the machine's loop, which publishes its instruction count before each call.
    p.clock = { elapsedNs: () => nsFor(p.machine.retired) };
    prepared.set(program, p);
    last = p;
    lastProgram = program;
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
      // The input (from the packet offset) and the globals as views of the request's memory, made again only when it changes.
      let staged = p.staged.get(req.memory);
      if (staged === undefined) {
        if (p.staged.size >= MAX_STAGED) p.staged.clear();
        staged = { input: req.memory.subarray(packetOffset(p.program)), globals: req.memory.subarray(0, p.program.globals?.length ?? 0), placedIn: undefined };
        p.staged.set(req.memory, staged);
      }
      m.restart(staged.input, req.args, staged.globals);
      // A request in the machine's own memory (a workspace view) gets itself back as the result's memory: the same
      // bytes as the machine's view of its data, and the caller sees it is its own by identity.
      if (staged.placedIn !== m.mem) {
        const mine = req.memory.buffer === m.mem.buffer && req.memory.byteOffset === m.mem.byteOffset + m.layout.stackSize;
        staged.placedIn = mine ? m.mem : undefined;
      }
      p.own = staged.placedIn === m.mem && req.memory.length === m.layout.dataLimit ? req.memory : undefined;
      pointHelpers(p, req.helpers(p.clock));
      const budget = req.maxInsns ?? DEFAULT_MAX_INSNS;
      {
        const check = req.checkAccess;
        const note = req.beforeWrite;
        const mode = check ? 'all' : note ? 'writes' : 'none';
        const compiled = opts.compiled === false ? null : (p.compiled[mode] ??= compiledRun(p.interp.loaded, mode) ?? null);
        if (compiled) return runCompiledXdp(p, m, compiled, budget, check, note, nsFor);
        if (!check && !note) return fromRunResult(p.interp.runIn(m, budget)!, nsFor, p.own); // at the budget it always ends
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
              if (reason !== undefined) return accessFault(p, pc, m.retired, reason);
              if (!check && note && isWrite && address >= 0) note(address, bytes[pc]!);
            }
          }
          const result = p.interp.runIn(m, m.retired + Math.max(ahead, 1), budget);
          if (result !== null) return fromRunResult(result, nsFor, p.own);
        }
      }
    },
  };
}

/** The fault of an access the check refused: the instruction and the check's reason. */
function accessFault(p: Prepared, pc: number, insns: number, reason: string): XdpEngineResult {
  return { kind: 'fault', message: `pc ${pc}: ${describeSlot(p.program, pc)}: ${reason}`, code: 'access', pc, insns };
}

/**
 * A run on the compiled path (src/interp/compile.ts): the check or the note
 * is called from the compiled code before each access it covers, in the same
 * order and with the same addresses as the stepping loop above gives them.
 */
function runCompiledXdp(
  p: Prepared, m: Machine, compiled: CompiledRun, budget: number,
  check: AccessCheck | undefined, note: ((address: number, bytes: number) => void) | undefined,
  nsFor: (insns: number) => bigint,
): XdpEngineResult {
  const h = p.hooks;
  h.check = check;
  h.note = note;
  h.refused = undefined;
  const stop = compiled(m, budget, check ? h.vet : note ? h.noteWrite : undefined);
  if (stop === Stop.HOOK) return accessFault(p, m.pc, m.retired, h.refused!);
  // Short of an end, the run is at the budget: the interpreter gives its fault.
  return fromRunResult(m.result ?? p.interp.runIn(m, budget)!, nsFor, p.own);
}

/** The compiled code's access hooks, made once per program: each run sets the check or note they call. */
interface Hooks {
  check: AccessCheck | undefined;
  note: ((address: number, bytes: number) => void) | undefined;
  /** Why the check refused the access the run stopped at. */
  refused: string | undefined;
  readonly vet: AccessHook;
  readonly noteWrite: AccessHook;
}

function makeHooks(): Hooks {
  const h: Hooks = {
    check: undefined, note: undefined, refused: undefined,
    vet: (_pc, lo, hi, off, bytes, write) => {
      const address = accessAddress(lo, hi, off);
      if (address >= 0) h.refused = h.check!(address, bytes, write);
      return h.refused === undefined;
    },
    noteWrite: (_pc, lo, hi, off, bytes) => {
      const address = accessAddress(lo, hi, off);
      if (address >= 0) h.note!(address, bytes);
      return true;
    },
  };
  return h;
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

/** The engine's result; `own`: the request's memory, when it is the machine's data memory (result.memory's bytes). */
function fromRunResult(result: RunResult, nsFor: (insns: number) => bigint, own?: Uint8Array): XdpEngineResult {
  if (result.kind === 'exit') {
    return { kind: 'exit', r0: result.r0, memory: own ?? result.memory, insns: result.insns, elapsedNs: nsFor(result.insns) };
  }
  return { kind: 'fault', message: result.message, code: result.code, pc: result.pc, insns: result.insns };
}
