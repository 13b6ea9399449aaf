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
import { contextBytes, contextChange } from './context.ts';
import type { XdpEngine, XdpEngineResult } from './engine.ts';
import { XdpError } from './errors.ts';
import { CLOCK_HELPERS, HELPER, xdpHelpers, type XdpHelperEnv, type XdpRunOutcome } from './helpers.ts';
import type { HelperTable } from '../interp/types.ts';
import { createInterpXdpEngine } from './interp-engine.ts';
import { planXdpMemory, type XdpLayout } from './layout.ts';
import { initialMapsArea, MapTable, type MapEntry } from './map-table.ts';
import { areaMemory, hostMap, mapsSnapshot, type XdpMap } from './map-views.ts';
import { fillInitialMaps } from './map-init.ts';
import { seededRandom } from './random.ts';
import { bindMapHandles, formatSource, type XdpObject } from './object.ts';
import type { XdpRunResult } from './result.ts';

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
}

/** The default address map with data memory just large enough for the object's globals, maps, xdp_md and frame. */
function sizedMemoryMap(object: XdpObject): MemoryMap {
  // Everything must stay below 4 GiB: xdp_md holds 32-bit addresses.
  const roomy = { ...DEFAULT_MEMORY_MAP, dataSize: 0x1_0000_0000 - DEFAULT_MEMORY_MAP.dataBase };
  const plan = planXdpMemory(object.program, object.maps, roomy, object);
  return { ...DEFAULT_MEMORY_MAP, dataSize: Math.max(DEFAULT_MEMORY_MAP.dataSize, plan.hardEnd - plan.dataBase) };
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
  private readonly area: Uint8Array;
  private globals: Uint8Array;
  private readonly bounds: PacketBounds = { meta: 0, data: 0, end: 0 };
  private readonly policy: AccessPolicy;
  private readonly helperEnv: XdpHelperEnv;
  private readonly helpers: HelperTable;
  private readonly growsTail: boolean;
  private readonly needsClock: boolean;
  private readonly opts: Required<Omit<XdpSessionOptions, 'engine' | 'memoryMap'>>;
  private timeNs = 0n;
  private queue: Promise<unknown> = Promise.resolve();

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
    this.area = initialMapsArea(this.layout.maps, this.layout.mapsBase, this.layout.mapsBytes);
    fillInitialMaps(object.file, object.maps, this.layout.maps, this.maps, areaMemory(this.area, this.layout.mapsBase), object.tailCalls?.slots ?? []);
    this.globals = object.program.globals?.slice() ?? new Uint8Array(0);
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
    };
    this.helperEnv = {
      layout: this.layout, packet: this.bounds, maps: this.maps, policy: this.policy,
      clock: { elapsedNs: () => 0n }, timeBaseNs: 0n, random: seededRandom(this.opts.seed), outcome: { log: [], tailCalls: 0, events: [] },
      ringUsed: new Map(),
    };
    this.helpers = xdpHelpers(this.helperEnv);
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
    const next = this.queue.then(() => this.runNow(packet));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runNow(packet: Uint8Array): Promise<XdpRunResult> {
    const refusal = frameRefusal(packet.length);
    if (refusal) {
      if (this.opts.badFrames === 'throw') throw new XdpError(refusal.message);
      return { kind: 'refused', reason: refusal.reason, message: refusal.message, log: [], maps: this.snapshot() };
    }
    const L = this.layout;
    const b = this.bounds;
    b.meta = b.data = L.initialData;
    b.end = L.initialData + packet.length;
    // Memory ends at the packet when nothing may follow it (unchecked, no adjust_tail): then even an engine that
    // cannot vet accesses faults past data_end. With the check, the whole frame is there and the check explains.
    const vetted = this.opts.check && this.engine.checksAccesses;
    const memory = new Uint8Array((this.growsTail || vetted ? L.hardEnd : b.end) - L.dataBase);
    memory.set(this.globals, 0);
    memory.set(this.area, L.mapsBase - L.dataBase);
    memory.set(contextBytes(b, this.opts), L.ctx - L.dataBase);
    memory.set(packet, b.data - L.dataBase);

    const outcome: XdpRunOutcome = { log: [], tailCalls: 0, events: [] };
    this.helperEnv.outcome = outcome;
    let elapsedNs = 0n;
    let program = this.program;
    let image: Uint8Array = memory;
    const total = { insns: 0, cycles: 0, counted: { insns: false, cycles: false } };
    let result: XdpEngineResult;
    // A tail call stops the run at the call; the chain goes on in the target with the same memory and r1, a fresh stack.
    for (;;) {
      this.helperEnv.timeBaseNs = this.timeNs + elapsedNs;
      result = await this.engine.run({
        program,
        memory: image,
        args: { r1: BigInt(L.ctx), r2: 0n, r3: 0n, r4: 0n, r5: 0n },
        helpers: (clock) => {
          this.helperEnv.clock = clock;
          return this.helpers;
        },
        maxInsns: this.opts.maxInsns,
        ...(vetted ? { checkAccess: (a: number, n: number, w: boolean) => this.policy.check(a, n, w) } : {}),
        needsClock: this.needsClock,
        memoryMap: this.memoryMap,
      });
      if (result.insns !== undefined) { total.insns += result.insns; total.counted.insns = true; }
      if (result.cycles !== undefined) { total.cycles += result.cycles; total.counted.cycles = true; }
      if (result.kind === 'fault' || outcome.tailCall === undefined) break;
      const next = this.programs[outcome.tailCall];
      if (!next) {
        result = { kind: 'fault', message: `bpf_tail_call: the PROG_ARRAY slot holds program ${outcome.tailCall}, which this session does not have`, code: 'helper-fault' };
        break;
      }
      elapsedNs += result.elapsedNs;
      outcome.tailCall = undefined;
      program = next;
      image = result.memory;
    }
    const counts = { ...(total.counted.insns ? { insns: total.insns } : {}), ...(total.counted.cycles ? { cycles: total.cycles } : {}) };
    if (result.kind === 'fault') return this.faulted(result, counts, outcome.log);
    elapsedNs += result.elapsedNs;

    const changed = contextChange(contextBytes(b, this.opts), result.memory.subarray(L.ctx - L.dataBase, L.ctx - L.dataBase + XDP_MD.bytes));
    if (changed !== undefined) {
      return this.faulted({ kind: 'fault', message: changed, code: 'context' }, counts, outcome.log);
    }
    this.timeNs += elapsedNs;
    this.globals = result.memory.slice(0, L.globalsBytes);
    this.area.set(result.memory.subarray(L.mapsBase - L.dataBase, L.ctx - L.dataBase));
    const action = Number(result.r0 & 0xffffffffn);
    return {
      kind: 'exit', action, actionName: actionName(action), r0: result.r0,
      packet: result.memory.slice(b.data - L.dataBase, b.end - L.dataBase),
      meta: result.memory.slice(b.meta - L.dataBase, b.data - L.dataBase),
      ...(outcome.redirect ? { redirect: outcome.redirect } : {}),
      ...(outcome.tailCalls > 0 ? { tailCalls: outcome.tailCalls } : {}),
      ...(outcome.events.length > 0 ? { events: outcome.events } : {}),
      ...counts, log: outcome.log, maps: this.snapshot(),
    };
  }

  private faulted(
    result: Extract<XdpEngineResult, { kind: 'fault' }>, counts: { insns?: number; cycles?: number }, log: string[],
  ): XdpRunResult {
    // The run's map changes were made in the engine's memory and are dropped; the key index may have seen them.
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

  private snapshot(): ReadonlyMap<string, readonly MapEntry[]> {
    return mapsSnapshot(this.maps, this.layout.maps, this.area, this.layout.mapsBase);
  }
}
