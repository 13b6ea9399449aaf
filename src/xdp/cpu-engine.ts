// The simulated bpfgate CPU (src/engines/cpu-sim.ts) as an XDP engine. The
// CPU is elaborated and compiled once per engine; each packet loads the
// program, the data memory image the session built (globals, maps, xdp_md,
// frame) and r1..r5, and runs to halt. Helper calls stall the core on its
// extension port; the port is answered from the session's XDP helper table
// (the same code the interpreter engine calls), reaching data memory through
// the port's HelperContext. bpf_ktime_get_ns reads the core's cycle counter
// at the call, scaled by the board clock.
//
// Two differences from the interpreter engine, both documented in README.md:
// - No per-access check (checksAccesses: false): the CPU's own bounds apply.
//   The session then ends data memory at data_end (or at the frame's hard end
//   for programs that call bpf_xdp_adjust_tail), so the CPU's data limit
//   makes reads and writes past the packet fault.
// - The core has helper 5 built in (the conformance suite's "unwind"), but in
//   XDP 5 is bpf_ktime_get_ns. Helper calls to 5 are renumbered to
//   KTIME_ALIAS_ID before loading, so they go out on the port, and the port
//   answers that id with helper 5.

import { describeSlot } from '../interp/describe.ts';
import type { Helper, HelperContext, HelperTable } from '../interp/types.ts';
import type { Insn } from '../isa/encoding.ts';
import { decodeSpec } from '../isa/lookup.ts';
import { DEFAULT_MEMORY_MAP, type MemoryMap } from '../isa/memory-map.ts';
import type { Program } from '../program.ts';
import { makeConfig, type CpuConfig } from '../../hdl/cpu/config.ts';
import { BUILTIN_UNWIND_HELPER } from '../abi/helper-port.ts';
import { CpuSim } from '../engines/cpu-sim.ts';
import { cpuFaultMessage } from '../engines/fault-message.ts';
import type { XdpEngine, XdpEngineClock, XdpEngineRequest, XdpEngineResult } from './engine.ts';
import { xdpRunImage } from './cpu-image.ts';
import { helperName, MAX_KNOWN_HELPER } from './helper-names.ts';
import { ICEBREAKER_HZ } from './throughput.ts';
import { PROBES } from '../abi/probes.ts';

export interface SimXdpEngineOptions {
  /** Must be the session's memory map (default: DEFAULT_MEMORY_MAP, like the session's). */
  memoryMap?: MemoryMap;
  /** Other CPU build options (memoryMap above wins). */
  config?: Partial<CpuConfig>;
  /** The board clock the cycle counts are turned into time with (default 12 MHz). */
  clockHz?: number;
}

/** The id helper-5 calls are renumbered to (outside Linux's helper ids, so it cannot clash). */
export const KTIME_ALIAS_ID = 0x4000_0000 + BUILTIN_UNWIND_HELPER;

/** Cycle limit per packet: the instruction budget faults first; this only stops a hung core. */
const CYCLES_PER_INSN_LIMIT = 80;

export function createSimXdpEngine(opts: SimXdpEngineOptions = {}): XdpEngine & { readonly cpu: CpuSim } {
  const cfg = makeConfig({ ...opts.config, memoryMap: opts.memoryMap ?? opts.config?.memoryMap ?? DEFAULT_MEMORY_MAP });
  const clockHz = opts.clockHz ?? ICEBREAKER_HZ;
  const cpu = new CpuSim(cfg);
  const cycleCount = cpu.probe.readerBig(PROBES.cycleCount);
  const nsFor = (cycles: bigint): bigint => (cycles * 1_000_000_000n) / BigInt(Math.round(clockHz));
  const renumbered = new WeakMap<Program, Program>();

  // This run's table and what its last failing helper said (the port only carries a status code).
  let current: HelperTable | null = null;
  let failure: string | undefined;
  const port = portTable(() => current, (message) => {
    failure ??= message;
  });

  return {
    name: 'sim',
    checksAccesses: false,
    clockHz,
    memoryMap: cfg.memoryMap,
    cpu,
    run(req: XdpEngineRequest): XdpEngineResult {
      let program = renumbered.get(req.program);
      if (!program) {
        program = renumberKtime(req.program);
        renumbered.set(req.program, program);
      }
      const prepared = xdpRunImage(cfg, program, req, 'sim');
      if ('fault' in prepared) return prepared.fault;
      const image = prepared.image;
      const clock: XdpEngineClock = { elapsedNs: () => nsFor(cycleCount()) };
      current = req.helpers(clock);
      failure = undefined;
      let r;
      try {
        r = cpu.run(image, {
          maxCycles: req.maxInsns * CYCLES_PER_INSN_LIMIT + 10_000,
          maxInsns: req.maxInsns,
          helpers: port,
        });
      } finally {
        current = null;
      }
      const counts = { insns: r.insns, cycles: r.cycles };
      if (r.kind === 'exit') {
        const words = cpu.dataWords;
        const memory = new Uint8Array(words.buffer, words.byteOffset, req.memory.length).slice();
        return { kind: 'exit', r0: r.r0, memory, ...counts, elapsedNs: nsFor(BigInt(r.cycles)) };
      }
      if (r.kind === 'timeout') {
        return { kind: 'fault', code: 'timeout', message: `the CPU was still running after ${r.cycles} cycles (${r.insns} instructions) on sim`, ...counts };
      }
      const code = r.faultCode!;
      const pc = r.faultPc!;
      // Messages name the instruction as the program has it (before the renumbering).
      let message = cpuFaultMessage('sim', req.program, code, pc);
      if (code === 'helper-fault' && failure !== undefined) message = `pc ${pc}: ${describeSlot(req.program, pc)}: ${failure}`;
      if (code === 'out-of-bounds') {
        const base = cfg.memoryMap.dataBase;
        message += `; data memory this run is [0x${base.toString(16)}, 0x${(base + req.memory.length).toString(16)}), ending at the packet's end unless the program calls bpf_xdp_adjust_tail`;
      }
      return { kind: 'fault', code, pc, message, ...counts };
    },
  };
}

/**
 * The table the CPU's port is answered from: one forwarding entry per helper
 * id (and KTIME_ALIAS_ID), calling this run's XDP helper with a context that
 * reports the helper's own id and records why it failed.
 */
function portTable(current: () => HelperTable | null, failed: (message: string) => void): HelperTable {
  const table = new Map<number, Helper>();
  const forward = (id: number): Helper => (r1, r2, r3, r4, r5, ctx) => {
    const helper = current()?.get(id);
    if (!helper) {
      failed(`no helper ${id} in this run's helper table`);
      return ctx.fail('no helper');
    }
    try {
      return helper(r1, r2, r3, r4, r5, recordingContext(ctx, id, failed));
    } catch (e) {
      // A failure through the context was recorded first (the first one is kept); anything else is a helper bug.
      failed(`helper ${id} failed: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  };
  for (let id = 0; id <= Math.max(MAX_KNOWN_HELPER, 255); id++) table.set(id, forward(id));
  table.set(KTIME_ALIAS_ID, forward(BUILTIN_UNWIND_HELPER));
  return table;
}

function recordingContext(ctx: HelperContext, id: number, failed: (message: string) => void): HelperContext {
  const outside = (what: string, addr: bigint, length: number): string =>
    `${helperName(id)}: ${what} ${length} bytes at 0x${BigInt.asUintN(64, addr).toString(16)}: outside data memory and the stack`;
  return {
    id,
    pc: ctx.pc,
    read(addr, length) {
      try {
        return ctx.read(addr, length);
      } catch (e) {
        failed(outside('reads', addr, length));
        throw e;
      }
    },
    write(addr, data) {
      try {
        ctx.write(addr, data);
      } catch (e) {
        failed(outside('writes', addr, data.length));
        throw e;
      }
    },
    stop: (r0) => ctx.stop(r0),
    fail(message): never {
      // The interpreter's wording: `helper N: message`.
      failed(`helper ${id}: ${message}`);
      return ctx.fail(message);
    },
  };
}

/** The program with every `call 5` (helper) renumbered to KTIME_ALIAS_ID; the same object when there is none. */
export function renumberKtime(program: Program): Program {
  let insns: Insn[] | undefined;
  for (let pc = 0; pc < program.insns.length; pc++) {
    const insn = program.insns[pc]!;
    const d = decodeSpec(insn);
    if (!d.ok) continue;
    if (d.spec.sem.kind === 'lddw') {
      pc++; // its second slot is data
      continue;
    }
    if (d.spec.sem.kind === 'call' && d.spec.sem.target === 'helper' && insn.imm === BUILTIN_UNWIND_HELPER) {
      insns ??= program.insns.slice();
      insns[pc] = { ...insn, imm: KTIME_ALIAS_ID };
    }
  }
  return insns ? { ...program, insns } : program;
}
