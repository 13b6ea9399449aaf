// The bpfgate CPU's emitted Verilog under Verilator as an XDP engine
// (`verilator`), for programs that call no helpers: the bench
// (src/engines/hdl-bench.ts) ties the helper extension port off, so there is
// nothing to answer a helper call with. Such programs are refused with an
// error before anything runs.
//
// Each request becomes a bench run with the same images cpu-engine.ts loads
// (program, data memory from dataBase, r1..r5, data limit) and asks the bench
// to print the data region after the run, which becomes the result's memory.
//
// Batching: a simulator process costs a start-up, so run() does not start one
// per request. Requests made in the same turn of the event loop (e.g. one
// session per packet, all run at once) are queued and go through as few
// bench processes as the bench's command memory allows. A single session
// awaiting each packet still works; it just pays a process per packet.

import { describeSlot } from '../interp/describe.ts';
import { decodeSpec } from '../isa/lookup.ts';
import { DEFAULT_MEMORY_MAP, type MemoryMap } from '../isa/memory-map.ts';
import type { Program } from '../program.ts';
import type { CpuConfig } from '../../hdl/cpu/config.ts';
import type { CpuRunResult } from '../engines/cpu-sim.ts';
import { cpuFaultMessage } from '../engines/fault-message.ts';
import { benchCommands, type BenchRun } from '../engines/hdl-bench.ts';
import { HDL_MAX_CYCLES, type HdlEngine } from '../engines/hdl-engine.ts';
import { createVerilatorEngine } from '../engines/verilator.ts';
import type { XdpEngine, XdpEngineRequest, XdpEngineResult } from './engine.ts';
import { XdpError } from './errors.ts';
import { xdpRunImage } from './cpu-image.ts';
import { helperName } from './helper-names.ts';
import { ICEBREAKER_HZ } from './throughput.ts';

export interface VerilatorXdpEngineOptions {
  /** Must be the session's memory map (default: DEFAULT_MEMORY_MAP, like the session's). */
  memoryMap?: MemoryMap;
  /** Other CPU build options (memoryMap above wins). */
  config?: Partial<CpuConfig>;
  /** The board clock the cycle counts are turned into time with (default 12 MHz). */
  clockHz?: number;
}

export interface VerilatorXdpEngine extends XdpEngine {
  /** The Verilator bench driver (build(), its cache folder). */
  readonly hdl: HdlEngine;
  /** Simulator processes started so far (one per batch). */
  readonly processes: number;
}

/** Cycle limit per packet, as on sim; the bench's 24-bit limit caps it. */
const CYCLES_PER_INSN_LIMIT = 80;

/** The command memory of the bench HdlEngine builds by default (its maxCommands). */
const HDL_BENCH_COMMANDS = 1 << 18;

interface Pending {
  readonly req: XdpEngineRequest;
  readonly run: BenchRun;
  readonly resolve: (r: XdpEngineResult) => void;
  readonly reject: (e: unknown) => void;
}

export function createVerilatorXdpEngine(opts: VerilatorXdpEngineOptions = {}): VerilatorXdpEngine {
  const memoryMap = opts.memoryMap ?? opts.config?.memoryMap ?? DEFAULT_MEMORY_MAP;
  const hdl = createVerilatorEngine({ config: { ...opts.config, memoryMap } });
  const cfg = hdl.cfg;
  const clockHz = opts.clockHz ?? ICEBREAKER_HZ;
  const nsFor = (cycles: number): bigint => (BigInt(cycles) * 1_000_000_000n) / BigInt(Math.round(clockHz));
  const checked = new WeakSet<Program>();
  let queue: Pending[] = [];
  let processes = 0;

  const flush = (): void => {
    const batch = queue;
    queue = [];
    for (const chunk of chunks(cfg, batch)) {
      let out;
      try {
        processes++;
        out = hdl.runBatch(chunk.map((p) => p.run));
      } catch (e) {
        for (const p of chunk) p.reject(e);
        continue;
      }
      chunk.forEach((p, i) => {
        try {
          p.resolve(toResult(p.req, out.results[i]!, out.dumps[i]));
        } catch (e) {
          p.reject(e);
        }
      });
    }
  };

  const toResult = (req: XdpEngineRequest, r: CpuRunResult, dump: bigint[] | undefined): XdpEngineResult => {
    const counts = { insns: r.insns, cycles: r.cycles };
    if (r.kind === 'exit') {
      if (!dump) throw new Error('verilator: the bench printed no data memory after the run');
      return { kind: 'exit', r0: r.r0, memory: wordsToBytes(dump, req.memory.length), ...counts, elapsedNs: nsFor(r.cycles) };
    }
    if (r.kind === 'timeout') {
      return { kind: 'fault', code: 'timeout', message: `the CPU was still running after ${r.cycles} cycles (${r.insns} instructions) on verilator`, ...counts };
    }
    const code = r.faultCode!;
    const pc = r.faultPc!;
    let message = cpuFaultMessage('verilator', req.program, code, pc);
    if (code === 'out-of-bounds') {
      const base = cfg.memoryMap.dataBase;
      message += `; data memory this run is [0x${base.toString(16)}, 0x${(base + req.memory.length).toString(16)}), ending at the packet's end unless the program calls bpf_xdp_adjust_tail`;
    }
    return { kind: 'fault', code, pc, message, ...counts };
  };

  return {
    name: 'verilator',
    checksAccesses: false,
    clockHz,
    memoryMap: cfg.memoryMap,
    hdl,
    get processes() {
      return processes;
    },
    run(req: XdpEngineRequest): Promise<XdpEngineResult> | XdpEngineResult {
      if (!checked.has(req.program)) {
        refuseHelperCalls(req.program);
        checked.add(req.program);
      }
      const program = req.program;
      const prepared = xdpRunImage(cfg, program, req, 'verilator');
      if ('fault' in prepared) return prepared.fault;
      const image = prepared.image;
      const run: BenchRun = {
        image,
        maxCycles: Math.min(req.maxInsns * CYCLES_PER_INSN_LIMIT + 10_000, HDL_MAX_CYCLES),
        maxInsns: req.maxInsns,
        dumpBytes: req.memory.length,
      };
      return new Promise((resolve, reject) => {
        if (queue.length === 0) setImmediate(flush);
        queue.push({ req, run, resolve, reject });
      });
    },
  };
}

/** Throws XdpError naming the first helper call: the bench cannot answer it. */
export function refuseHelperCalls(program: Program): void {
  for (let pc = 0; pc < program.insns.length; pc++) {
    const insn = program.insns[pc]!;
    const d = decodeSpec(insn);
    if (!d.ok) continue;
    if (d.spec.sem.kind === 'lddw') {
      pc++; // its second slot is data
      continue;
    }
    if (d.spec.sem.kind === 'call' && d.spec.sem.target === 'helper') {
      throw new XdpError(
        `pc ${pc}: ${describeSlot(program, pc)}: the program calls ${helperName(insn.imm)}; ` +
          'the verilator XDP engine cannot service helper calls; use --engine sim',
      );
    }
  }
}

/** Split queued runs so that each batch fits the bench's command memory. */
function chunks(cfg: CpuConfig, pending: readonly Pending[], maxCommands = HDL_BENCH_COMMANDS): Pending[][] {
  const out: Pending[][] = [];
  let current: Pending[] = [];
  let used = 1; // the END command
  for (const p of pending) {
    const cost = benchCommands(cfg, [p.run]).length - 1;
    if (current.length > 0 && used + cost > maxCommands) {
      out.push(current);
      current = [];
      used = 1;
    }
    current.push(p);
    used += cost;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function wordsToBytes(words: readonly bigint[], length: number): Uint8Array {
  if (words.length * 8 < length) throw new Error(`verilator: the bench printed ${words.length * 8} bytes of data memory, expected ${length}`);
  const bytes = new Uint8Array(words.length * 8);
  const view = new DataView(bytes.buffer);
  words.forEach((w, i) => view.setBigUint64(i * 8, w, true));
  return bytes.slice(0, length);
}
