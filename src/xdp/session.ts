// An XDP session: one program with its maps, run over packets one after the
// other on an engine. Maps and global variables keep their contents from
// packet to packet (as the kernel's do); a packet whose run faults leaves
// them as they were, as if the program had never run (the kernel would not
// have loaded it).

import { DEFAULT_MEMORY_MAP, type MemoryMap } from '../isa/memory-map.ts';
import type { Program } from '../program.ts';
import { AccessPolicy, type PacketBounds } from './access.ts';
import { actionName, mapTypeName, XDP_MD } from './constants.ts';
import { frameRefusal } from './frames.ts';
import { contextChange, writeContext } from './context.ts';
import type { XdpEngine, XdpEngineClock, XdpEngineResult } from './engine.ts';
import { XdpError } from './errors.ts';
import { CLOCK_HELPERS, HELPER, xdpHelpers, type XdpHelperEnv, type XdpRunOutcome } from './helpers.ts';
import type { Helper, HelperContext, HelperTable } from '../interp/types.ts';
import { createInterpXdpEngine } from './interp-engine.ts';
import { planXdpMemory, type XdpLayout } from './layout.ts';
import { initialMapsArea, MapTable, type MapEntry } from './map-table.ts';
import { areaMemory, hostMap, mapsSnapshot, type XdpMap } from './map-views.ts';
import { fillInitialMaps } from './map-init.ts';
import { seededRandom } from './random.ts';
import { bindMapHandles, formatSource, type XdpObject } from './object.ts';
import type { XdpExit, XdpRunResult } from './result.ts';

export interface XdpSessionOptions {
  /** Default: the reference interpreter. */
  engine?: XdpEngine;
  /** xdp_md.ingress_ifindex (default 1, the loopback device BPF_PROG_TEST_RUN uses). */
  ingressIfindex?: number;
  /** xdp_md.rx_queue_index (default 0). */
  rxQueueIndex?: number;
  /** Seed of bpf_get_prandom_u32. */
  seed?: number;
  /** Instruction budget per packet (default 1,000,000). */
  maxInsns?: number;
  /**
   * Check every access like the verifier would (default true). Without it,
   * only data memory's bounds are enforced (and the packet end, when the
   * program never calls bpf_xdp_adjust_tail).
   */
  check?: boolean;
  memoryMap?: MemoryMap;
  /**
   * A frame the kernel's test run refuses (under 14 bytes) or that needs
   * multi-buffer XDP (over 3520): 'refuse' (default) gives that packet a
   * `refused` result and the run goes on; 'throw' rejects the run with an XdpError.
   */
  badFrames?: 'refuse' | 'throw';
  /**
   * Give each result a snapshot of every map (`maps`; default true). A copy
   * of the maps area per packet: turn it off for throughput and read the
   * maps through map() instead (results then carry an empty `maps`).
   */
  mapSnapshots?: boolean;
  /**
   * Give each result its own copy of the packet and metadata (default true).
   * false: `packet` and `meta` are views of the session's memory, valid only
   * until the next run (which overwrites them), for a throughput user that
   * reads the verdict and perhaps the packet before running the next one.
   */
  packetCopies?: boolean;
}

const NO_MAPS: ReadonlyMap<string, readonly MapEntry[]> = new Map();
/** Bytes per slab the results' packets are copied into (see copyOut). */
const SLAB_BYTES = 256 * 1024;
/** Views of the image kept by length (stagedView); past this many the cache starts again. */
const MAX_CACHED_VIEWS = 64;
/** No metadata (the usual case); shared, as results are read-only. */
const NO_BYTES = new Uint8Array(0);

/** The default address map with data memory just large enough for the object's globals, maps, xdp_md and frame. */
function sizedMemoryMap(object: XdpObject): MemoryMap {
  // Everything must stay below 4 GiB: xdp_md holds 32-bit addresses.
  const roomy = { ...DEFAULT_MEMORY_MAP, dataSize: 0x1_0000_0000 - DEFAULT_MEMORY_MAP.dataBase };
  const plan = planXdpMemory(object.program, object.maps, roomy, object);
  return { ...DEFAULT_MEMORY_MAP, dataSize: Math.max(DEFAULT_MEMORY_MAP.dataSize, plan.hardEnd - plan.dataBase) };
}

/** The instruction and cycle counts a result reports (those the engine counted). */
function counts(st: RunState): { insns?: number; cycles?: number } {
  const out: { insns?: number; cycles?: number } = {};
  if (st.countedInsns) out.insns = st.insns;
  if (st.countedCycles) out.cycles = st.cycles;
  return out;
}

/** One packet's run in progress: the program the tail-call chain is in, its memory, the counts so far. */
interface RunState {
  readonly outcome: XdpRunOutcome;
  readonly vetted: boolean;
  /** Nanoseconds of the chain's earlier programs (an exact integer: time is kept in numbers, see timeNs). */
  elapsedNs: number;
  program: Program;
  image: Uint8Array;
  insns: number;
  cycles: number;
  countedInsns: boolean;
  countedCycles: boolean;
}

export class XdpSession {
  readonly layout: XdpLayout;
  /** The program with map handles bound. */
  readonly program: Program;
  /** The program and its tail-call targets (by the numbers PROG_ARRAY slots hold), handles bound. */
  readonly programs: readonly Program[];
  readonly engine: XdpEngine;
  /** The address map runs use: the engine's, or (interpreter) one whose data memory fits this object. */
  readonly memoryMap: MemoryMap;
  private readonly maps: MapTable;
  /** The maps area and the globals: views of `image`, which holds the state between runs. */
  private readonly area: Uint8Array;
  private readonly globals: Uint8Array;
  private readonly bounds: PacketBounds = { meta: 0, data: 0, end: 0 };
  private readonly policy: AccessPolicy;
  private readonly helperEnv: XdpHelperEnv;
  private readonly helpers: HelperTable;
  private readonly growsTail: boolean;
  private readonly needsClock: boolean;
  private readonly opts: Required<Omit<XdpSessionOptions, 'engine' | 'memoryMap'>>;
  /**
   * Data memory, [globals][maps][xdp_md][frame], from packet to packet: the
   * state between runs lives here. With an engine that runs in place
   * (workspace) it is the engine's own memory and nothing is copied in or out.
   */
  private readonly image: Uint8Array;
  private readonly inPlace: boolean;
  /**
   * Undoing an in-place run that faults: each write into globals or maps
   * saves the bytes it replaces first (the journal), seen by the access
   * check, the engine's beforeWrite, or the helpers' wrapper.
   */
  private readonly journal = new WriteJournal();
  private journaling = false;
  /** r1 = the xdp_md pointer, r2..r5 = 0: the same for every run. */
  private readonly args: Readonly<Record<'r1' | 'r2' | 'r3' | 'r4' | 'r5', bigint>>;
  /**
   * Packets handed out in results are carved from a shared slab: a typed
   * array of its own per packet costs a backing store allocation (far more
   * than a view), which dominated the per-packet cost.
   */
  private slab = new Uint8Array(0);
  private slabUsed = 0;
  /** xdp_md as the run starts (to catch writes to it on engines that do not vet accesses). */
  private readonly ctxBefore = new Uint8Array(XDP_MD.bytes);
  /**
   * Nanoseconds of the session so far, and at the start of the current engine run: numbers (exact integers
   * below 2^53 ns, 104 days of program time), so a packet costs no BigInt arithmetic; the helpers read
   * the start as a bigint (helperEnv.timeBaseNs) only when they ask for the time.
   */
  private timeNs = 0;
  private runStartNs = 0;
  private queue: Promise<unknown> = Promise.resolve();
  /** Runs queued by run() and not yet finished. */
  private pending = 0;
  /** The per-run callbacks engines get, made once. */
  private readonly helpersFor = (clock: XdpEngineClock): HelperTable => {
    this.helperEnv.clock = clock;
    return this.helpers;
  };
  private readonly noteWrite = (address: number, bytes: number): void => this.beforeWrite(address, bytes);
  private readonly checkAccess = (address: number, bytes: number, write: boolean): string | undefined => {
    const reason = this.policy.check(address, bytes, write);
    if (write && reason === undefined) this.beforeWrite(address, bytes);
    return reason;
  };

  constructor(readonly object: XdpObject, opts: XdpSessionOptions = {}) {
    this.engine = opts.engine ?? createInterpXdpEngine(opts.memoryMap ? { memoryMap: opts.memoryMap } : {});
    // A CPU engine has the data RAM its build has; the interpreter gets as much as the object's maps need.
    const fixed = opts.memoryMap ?? this.engine.memoryMap;
    const memoryMap = fixed ?? sizedMemoryMap(object);
    this.memoryMap = memoryMap;
    this.layout = planXdpMemory(object.program, object.maps, memoryMap, object);
    const handles = new Map(this.layout.maps.map((m) => [m.index, m.handle]));
    this.program = bindMapHandles(object, handles);
    this.programs = [this.program, ...(object.tailCalls?.programs ?? []).map((p) => bindMapHandles(p, handles))];
    this.maps = new MapTable(this.layout.maps);
    const L = this.layout;
    const imageBytes = L.hardEnd - L.dataBase;
    this.inPlace = this.engine.workspace !== undefined;
    this.image = this.engine.workspace?.(this.program, memoryMap, imageBytes) ?? new Uint8Array(imageBytes);
    if (this.image.length !== imageBytes) throw new Error(`engine ${this.engine.name}: workspace of ${this.image.length} bytes, not ${imageBytes}`);
    this.image.fill(0);
    this.imageView = new DataView(this.image.buffer, this.image.byteOffset, this.image.byteLength);
    this.area = this.image.subarray(L.mapsBase - L.dataBase, L.ctx - L.dataBase);
    this.area.set(initialMapsArea(L.maps, L.mapsBase, L.mapsBytes));
    fillInitialMaps(object.file, object.maps, L.maps, this.maps, areaMemory(this.area, L.mapsBase), object.tailCalls?.slots ?? []);
    this.globals = this.image.subarray(0, L.globalsBytes);
    if (object.program.globals) this.globals.set(object.program.globals.subarray(0, L.globalsBytes));
    this.policy = new AccessPolicy(this.layout, this.bounds);
    this.growsTail = object.helpersCalled.has(HELPER.xdpAdjustTail);
    this.needsClock = [...object.helpersCalled].some((id) => CLOCK_HELPERS.has(id));
    this.opts = {
      ingressIfindex: opts.ingressIfindex ?? 1,
      rxQueueIndex: opts.rxQueueIndex ?? 0,
      seed: opts.seed ?? 0x5eed,
      maxInsns: opts.maxInsns ?? 1_000_000,
      check: opts.check ?? true,
      badFrames: opts.badFrames ?? 'refuse',
      mapSnapshots: opts.mapSnapshots ?? true,
      packetCopies: opts.packetCopies ?? true,
    };
    // Frozen: an engine may convert it once (Machine.restart does).
    this.args = Object.freeze({ r1: BigInt(L.ctx), r2: 0n, r3: 0n, r4: 0n, r5: 0n });
    this.helperEnv = {
      layout: this.layout, packet: this.bounds, maps: this.maps, policy: this.policy,
      clock: { elapsedNs: () => 0n }, timeBaseNs: 0n, random: seededRandom(this.opts.seed), outcome: { log: [], tailCalls: 0, events: [] },
      ringUsed: new Map(),
    };
    Object.defineProperty(this.helperEnv, 'timeBaseNs', { get: () => BigInt(this.runStartNs), enumerable: true });
    this.helpers = this.inPlace ? this.journaledHelpers(xdpHelpers(this.helperEnv)) : xdpHelpers(this.helperEnv);
  }

  /** The helper table with every helper's memory writes journaled (see beforeWrite), for in-place runs. */
  private journaledHelpers(table: HelperTable): HelperTable {
    // The interpreter hands every call the same context: one wrapper per context, not one per call.
    const wrappers = new WeakMap<HelperContext, HelperContext>();
    // The last context and its wrapper: the interpreter passes the same context to every call.
    let lastCtx: HelperContext | undefined;
    let lastWrapper: HelperContext | undefined;
    const wrap = (ctx: HelperContext): HelperContext => {
      if (ctx === lastCtx) return lastWrapper!;
      let w = wrappers.get(ctx);
      if (w === undefined) {
        w = {
          get id() { return ctx.id; },
          get pc() { return ctx.pc; },
          read: (address, length) => ctx.read(address, length),
          ...(ctx.view ? { view: (address: number, length: number) => ctx.view!(address, length) } : {}),
          write: (address, data) => {
            if (address <= 0xffffffffn) this.beforeWrite(Number(address), data.length);
            ctx.write(address, data);
          },
          stop: (r0) => ctx.stop(r0),
          fail: (message) => ctx.fail(message),
        };
        wrappers.set(ctx, w);
      }
      lastCtx = ctx;
      lastWrapper = w;
      return w;
    };
    const journaled = (helper: Helper): Helper => {
      const wrapped = (r1: bigint, r2: bigint, r3: bigint, r4: bigint, r5: bigint, ctx: HelperContext): bigint => helper(r1, r2, r3, r4, r5, wrap(ctx));
      const numeric = helper.numeric;
      if (numeric === undefined) return wrapped;
      return Object.assign(wrapped, { numeric: (r1: number, r2: number, r3: number, r4: number, r5: number, ctx: HelperContext): number => numeric(r1, r2, r3, r4, r5, wrap(ctx)) });
    };
    return new Map([...table].map(([id, helper]): [number, Helper] => [id, journaled(helper)]));
  }

  /** Names of the object's maps, in definition order. */
  get mapNames(): string[] {
    return this.layout.maps.map((m) => m.def.name);
  }

  /** The global variables (.data/.bss/.rodata, as laid out in Program.globals) as the last run left them. */
  globalData(): Uint8Array {
    return this.globals.slice();
  }

  /** The map called `name`, for reading and writing from the host. Throws XdpError naming the maps there are. */
  map(name: string): XdpMap {
    const m = this.layout.maps.find((p) => p.def.name === name);
    const unplaced = this.object.maps.find((d) => d.name === name);
    if (!m && unplaced) {
      throw new XdpError(
        `${this.object.file}: map '${name}' (${mapTypeName(unplaced.type)}) is not loaded: program '${this.object.section}' does not use it and bpfgate does not support its type`,
      );
    }
    if (!m) {
      throw new XdpError(`${this.object.file}: no map '${name}'; maps: ${this.mapNames.map((n) => `'${n}'`).join(', ') || 'none'}`);
    }
    return hostMap(this.maps, m, areaMemory(this.area, this.layout.mapsBase));
  }

  /**
   * Run one packet. Runs queue up: each starts from the maps the previous one left. A frame that cannot run gets a
   * `refused` result (or, with badFrames 'throw', an XdpError).
   */
  run(packet: Uint8Array): Promise<XdpRunResult> {
    this.pending++;
    const next = this.queue.then(() => this.runNow(packet)).finally(() => { this.pending--; });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Run one packet now, synchronously, on an engine that answers synchronously
   * (interp, sim): the fast path for throughput, without run()'s queue.
   * Throws XdpError when runs are queued or the engine is asynchronous.
   */
  runSync(packet: Uint8Array): XdpRunResult {
    if (this.pending > 0) throw new XdpError('runSync: runs queued by run() have not finished; await them first');
    const r = this.runNow(packet);
    if (r instanceof Promise) {
      // The run goes on and is applied; later runs queue behind it like run()'s, so none overlaps it.
      this.pending++;
      this.queue = r.finally(() => { this.pending--; }).catch(() => undefined);
      throw new XdpError(`runSync: the ${this.engine.name} engine answers asynchronously; use run()`);
    }
    return r;
  }

  private runNow(packet: Uint8Array): XdpRunResult | Promise<XdpRunResult> {
    const refusal = frameRefusal(packet.length);
    if (refusal) {
      if (this.opts.badFrames === 'throw') throw new XdpError(refusal.message);
      return { kind: 'refused', reason: refusal.reason, message: refusal.message, log: [], maps: this.snapshot() };
    }
    const L = this.layout;
    const b = this.bounds;
    b.meta = b.data = L.initialData;
    b.end = L.initialData + packet.length;
    this.startEnd = b.end;
    // Memory ends at the packet when nothing may follow it (unchecked, no adjust_tail): then even an engine that
    // cannot vet accesses faults past data_end. With the check, the whole frame is there and the check explains.
    const vetted = this.opts.check && this.engine.checksAccesses;
    // One buffer for every run (engines copy it in or run on a copy): the frame around the packet starts zeroed, as the kernel's.
    const staged = this.image;
    const memory = this.stagedView((this.growsTail || vetted ? L.hardEnd : b.end) - L.dataBase);
    if (this.inPlace) {
      this.journal.clear();
      this.journaling = true;
    }
    writeContext(this.ctxBefore, b, this.opts);
    staged.set(this.ctxBefore, L.ctx - L.dataBase);
    // The headroom may be exposed (adjust_head/meta) and must read as the kernel's fresh frame does: zeros. Bytes past
    // data_end stay unread (the access check and helpers stop there; adjust_tail clears what it grows), so stay as they are.
    staged.fill(0, L.hardStart - L.dataBase, b.data - L.dataBase);
    staged.set(packet, b.data - L.dataBase);

    const outcome: XdpRunOutcome = { log: [], tailCalls: 0, events: [] };
    this.helperEnv.outcome = outcome;
    const st: RunState = { outcome, vetted, elapsedNs: 0, program: this.program, image: memory, insns: 0, cycles: 0, countedInsns: false, countedCycles: false };
    return this.continueRun(st);
  }

  /** Run the engine until the chain of tail calls ends; asynchronous only if the engine is. */
  private continueRun(st: RunState): XdpRunResult | Promise<XdpRunResult> {
    for (;;) {
      this.runStartNs = this.timeNs + st.elapsedNs;
      // One object shape for every run (no spread per packet): the unused hook is undefined.
      const answer = this.engine.run({
        program: st.program,
        memory: st.image,
        args: this.args,
        helpers: this.helpersFor,
        maxInsns: this.opts.maxInsns,
        checkAccess: st.vetted ? this.checkAccess : undefined,
        beforeWrite: !st.vetted && this.inPlace ? this.noteWrite : undefined,
        needsClock: this.needsClock,
        memoryMap: this.memoryMap,
      });
      if (answer instanceof Promise) return answer.then((result) => this.afterEngine(st, result) ?? this.continueRun(st));
      const done = this.afterEngine(st, answer);
      if (done) return done;
    }
  }

  /** Account for one engine run: the packet's result, or undefined when a tail call goes on (st is moved to the target). */
  private afterEngine(st: RunState, engineResult: XdpEngineResult): XdpRunResult | undefined {
    const L = this.layout;
    const b = this.bounds;
    const outcome = st.outcome;
    let result = engineResult;
    if (result.insns !== undefined) { st.insns += result.insns; st.countedInsns = true; }
    if (result.cycles !== undefined) { st.cycles += result.cycles; st.countedCycles = true; }
    // A tail call stops the run at the call; the chain goes on in the target with the same memory and r1, a fresh stack.
    if (result.kind !== 'fault' && outcome.tailCall !== undefined) {
      const next = this.programs[outcome.tailCall];
      if (next) {
        st.elapsedNs += Number(result.elapsedNs);
        outcome.tailCall = undefined;
        st.program = next;
        st.image = result.memory;
        return undefined;
      }
      result = { kind: 'fault', message: `bpf_tail_call: the PROG_ARRAY slot holds program ${outcome.tailCall}, which this session does not have`, code: 'helper-fault' };
    }
    if (result.kind === 'fault') return this.faulted(result, counts(st), outcome.log);

    // xdp_md as the helpers left it (adjust_head/meta/tail move the bounds), against what the program left.
    const mem = result.memory;
    // A run in place hands back one of the image's own views (the interpreter's), or another view of the image.
    const inPlace = this.views.get(mem.length) === mem || (mem.buffer === this.image.buffer && mem.byteOffset === this.image.byteOffset);
    // (Unless a helper moved the bounds, ctxBefore already holds xdp_md as the run started.)
    if (b.meta !== L.initialData || b.data !== L.initialData || b.end !== this.startEnd) writeContext(this.ctxBefore, b, this.opts);
    // In place, xdp_md is compared word by word first (its message comes from contextChange).
    const changed = inPlace && this.sameContext() ? undefined : contextChange(this.ctxBefore, mem, L.ctx - L.dataBase);
    if (changed !== undefined) {
      return this.faulted({ kind: 'fault', message: changed, code: 'context' }, counts(st), outcome.log);
    }
    this.timeNs += st.elapsedNs + Number(result.elapsedNs);
    // After an in-place run the state is already in the image; otherwise (another engine, a tail call's target) copy it back.
    if (!inPlace) {
      this.globals.set(mem.subarray(0, L.globalsBytes));
      this.area.set(mem.subarray(L.mapsBase - L.dataBase, L.ctx - L.dataBase));
    }
    // (A comparison allocates no BigInt; the mask only for an r0 past 32 bits.)
    const action = result.r0 <= 0xffffffffn ? Number(result.r0) : Number(result.r0 & 0xffffffffn);
    const exit: { -readonly [K in keyof XdpExit]: XdpExit[K] } = {
      kind: 'exit', action, actionName: actionName(action), r0: result.r0,
      packet: this.opts.packetCopies ? this.copyOut(mem, b.data - L.dataBase, b.end - L.dataBase) : this.packetView(mem, b.data - L.dataBase, b.end - L.dataBase),
      meta: b.meta === b.data ? NO_BYTES : this.opts.packetCopies ? this.copyOut(mem, b.meta - L.dataBase, b.data - L.dataBase) : mem.subarray(b.meta - L.dataBase, b.data - L.dataBase),
      log: outcome.log, maps: this.snapshot(),
    };
    if (st.countedInsns) exit.insns = st.insns;
    if (st.countedCycles) exit.cycles = st.cycles;
    if (outcome.redirect) exit.redirect = outcome.redirect;
    if (outcome.tailCalls > 0) exit.tailCalls = outcome.tailCalls;
    if (outcome.events.length > 0) exit.events = outcome.events;
    return exit;
  }

  /** data_end as the current packet's run started. */
  private startEnd = 0;

  /** Whether xdp_md in the image holds ctxBefore (a word at a time). */
  private sameContext(): boolean {
    const at = this.layout.ctx - this.layout.dataBase;
    const dv = this.imageView, w = this.ctxWords;
    for (let i = 0; i < w.length; i++) if (dv.getInt32(at + 4 * i, true) !== w[i]) return false;
    return true;
  }
  private readonly ctxWords = new Int32Array(this.ctxBefore.buffer, 0, XDP_MD.bytes >> 2);
  private imageView!: DataView;

  private faulted(
    result: Extract<XdpEngineResult, { kind: 'fault' }>, counts: { insns?: number; cycles?: number }, log: string[],
  ): XdpRunResult {
    // The run's map changes are dropped (undone where the engine ran in place); the key index may have seen them.
    this.undoRun();
    this.maps.invalidate();
    const source = result.pc !== undefined ? this.program.sources?.[result.pc] : undefined;
    return {
      kind: 'fault',
      message: source ? `${result.message} (${formatSource(source)})` : result.message,
      ...(result.code !== undefined ? { code: result.code } : {}),
      ...(result.pc !== undefined ? { pc: result.pc } : {}),
      ...(source ? { source } : {}),
      ...counts, log, maps: this.snapshot(),
    };
  }

  /**
   * image[0, bytes), the same view for the same length (a view per packet costs an allocation; unchecked runs
   * end memory at data_end, so traffic of a few packet sizes uses a few views).
   */
  private stagedView(bytes: number): Uint8Array {
    let view = this.views.get(bytes);
    if (view === undefined) {
      if (this.views.size >= MAX_CACHED_VIEWS) this.views.clear();
      view = this.image.subarray(0, bytes);
      this.views.set(bytes, view);
    }
    return view;
  }
  private readonly views = new Map<number, Uint8Array>();

  /**
   * mem[from, to) itself (packetCopies false): for the packet where the run started it, the same view for the same
   * length of the same memory (the image's, from packet to packet).
   */
  private packetView(mem: Uint8Array, from: number, to: number): Uint8Array {
    if (from !== this.layout.initialData - this.layout.dataBase) return mem.subarray(from, to);
    if (this.packetViewsOf !== mem.buffer) {
      this.packetViews.clear();
      this.packetViewsOf = mem.buffer;
    }
    let view = this.packetViews.get(to);
    if (view === undefined || view.byteOffset !== mem.byteOffset + from) {
      if (this.packetViews.size >= MAX_CACHED_VIEWS) this.packetViews.clear();
      view = mem.subarray(from, to);
      this.packetViews.set(to, view);
    }
    return view;
  }
  private readonly packetViews = new Map<number, Uint8Array>();
  private packetViewsOf: ArrayBufferLike | undefined;

  /** A copy of mem[from, to) for a result: a view of the slab, which nothing else writes to again. */
  private copyOut(mem: Uint8Array, from: number, to: number): Uint8Array {
    const n = to - from;
    if (this.slabUsed + n > this.slab.length) {
      // A fresh slab; the old one lives on as long as results still hold views of it.
      this.slab = new Uint8Array(Math.max(SLAB_BYTES, n));
      this.slabUsed = 0;
    }
    const out = this.slab.subarray(this.slabUsed, this.slabUsed + n);
    out.set(mem.subarray(from, to));
    // Keep views 8-aligned, so a reader's DataView/typed array at an aligned offset stays aligned.
    this.slabUsed += (n + 7) & ~7;
    return out;
  }

  /** Save what a write at `address` will replace, when it lands in the globals or maps of an in-place run. */
  private beforeWrite(address: number, bytes: number): void {
    if (!this.journaling) return;
    const at = address - this.layout.dataBase;
    const end = Math.min(at + bytes, this.layout.ctx - this.layout.dataBase);
    if (at >= 0 && at < end) this.journal.save(this.image, at, end);
  }

  /** Put globals and maps back as they were before an in-place run. */
  private undoRun(): void {
    if (!this.inPlace) return;
    this.journal.undo(this.image);
  }

  private snapshot(): ReadonlyMap<string, readonly MapEntry[]> {
    if (!this.opts.mapSnapshots) return NO_MAPS;
    return mapsSnapshot(this.maps, this.layout.maps, this.area, this.layout.mapsBase);
  }
}

/**
 * The bytes writes into globals and maps replaced during one in-place run,
 * in order, so a run that faults can be undone: one growing buffer for the
 * bytes and one for (offset, length) pairs, reused from run to run (no
 * allocation per write).
 */
class WriteJournal {
  private bytes = new Uint8Array(1024);
  private spans = new Int32Array(64);
  private used = 0;
  private count = 0;

  clear(): void {
    this.used = 0;
    this.count = 0;
  }

  /** Save image[at, end) before it is overwritten. */
  save(image: Uint8Array, at: number, end: number): void {
    const n = end - at;
    if (this.used + n > this.bytes.length) this.bytes = grown(this.bytes, this.used + n);
    if (2 * this.count + 2 > this.spans.length) this.spans = grown(this.spans, 2 * this.count + 2);
    // (A short span byte by byte: a subarray per write costs more than the copy.)
    if (n <= 16) { const b = this.bytes; for (let i = 0; i < n; i++) b[this.used + i] = image[at + i]!; }
    else this.bytes.set(image.subarray(at, end), this.used);
    this.spans[2 * this.count] = at;
    this.spans[2 * this.count + 1] = n;
    this.used += n;
    this.count++;
  }

  /** Put every saved span back, the latest first (so the oldest bytes win where writes overlap), and clear. */
  undo(image: Uint8Array): void {
    let end = this.used;
    for (let i = this.count - 1; i >= 0; i--) {
      const at = this.spans[2 * i]!, n = this.spans[2 * i + 1]!;
      image.set(this.bytes.subarray(end - n, end), at);
      end -= n;
    }
    this.clear();
  }
}

function grown<T extends Uint8Array | Int32Array>(a: T, atLeast: number): T {
  const next = new (a.constructor as new (n: number) => T)(Math.max(2 * a.length, atLeast));
  next.set(a);
  return next;
}
