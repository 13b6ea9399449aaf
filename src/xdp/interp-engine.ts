// The reference interpreter as an XDP engine. The program is decoded once
// (per Program object) and reused for every packet; per-run helpers reach it
// through a table of forwarding entries. With an access check (or a program
// that reads the clock) it runs one instruction at a time, which is about
// six times slower than a free run but sees every load and store exactly.

import { describeSlot } from '../interp/describe.ts';
import { Interpreter } from '../interp/interpreter.ts';
import type { Helper, HelperTable, RunResult, ArgRegister } from '../interp/types.ts';
import { DEFAULT_MEMORY_MAP, stackTop, type MemoryMap } from '../isa/memory-map.ts';
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
}

interface Prepared {
  readonly interp: Interpreter;
  readonly memoryMap: MemoryMap;
  /** Private copy whose globals buffer is refilled from each request's memory. */
  readonly program: Program & { readonly globals: Uint8Array };
  current: HelperTable | null;
}

const ARGS: readonly ArgRegister[] = ['r1', 'r2', 'r3', 'r4', 'r5'];

export function createInterpXdpEngine(opts: InterpXdpEngineOptions = {}): XdpEngine {
  const hz = opts.nominalHz ?? 12_000_000;
  const prepared = new WeakMap<Program, Prepared>();

  const prepare = (program: Program, memoryMap: MemoryMap): Prepared => {
    const known = prepared.get(program);
    if (known && known.memoryMap === memoryMap) return known;
    const copy = { ...program, globals: new Uint8Array(program.globals?.length ?? 0) };
    const p: Prepared = { interp: undefined as unknown as Interpreter, memoryMap, program: copy, current: null };
    // Every helper id forwards to the current run's table, so one decoded program serves all runs.
    const forward = new Map<number, Helper>();
    for (let id = 0; id <= Math.max(MAX_KNOWN_HELPER, 255); id++) {
      forward.set(id, (r1, r2, r3, r4, r5, ctx) => {
        const helper = p.current?.get(id);
        if (!helper) return ctx.fail(`no helper ${id} in this run's helper table`);
        return helper(r1, r2, r3, r4, r5, ctx);
      });
    }
    (p as { interp: Interpreter }).interp = new Interpreter(copy, { helpers: forward, memoryMap });
    prepared.set(program, p);
    return p;
  };

  const nsFor = (insns: number): bigint => BigInt(Math.round((insns * 1e9) / hz));

  return {
    name: 'interp',
    checksAccesses: true,
    ...(opts.memoryMap ? { memoryMap: opts.memoryMap } : {}),
    run(req: XdpEngineRequest): XdpEngineResult {
      const memoryMap = opts.memoryMap ?? req.memoryMap ?? DEFAULT_MEMORY_MAP;
      const p = prepare(req.program, memoryMap);
      const globalsBytes = p.program.globals.length;
      p.program.globals.set(req.memory.subarray(0, globalsBytes));
      const input = req.memory.subarray(packetOffset(p.program));
      let retired = 0;
      const clock: XdpEngineClock = { elapsedNs: () => nsFor(retired) };
      p.current = req.helpers(clock);
      try {
        const exec = { input, args: req.args, maxInsns: req.maxInsns };
        if (!req.checkAccess && !req.needsClock) return fromRunResult(p.interp.run(exec), nsFor);
        const initial = ARGS.map((r, i) => req.args[r] ?? (i === 1 ? BigInt(input.length) : 0n));
        let before: readonly bigint[] = [0n, ...initial, 0n, 0n, 0n, 0n, BigInt(stackTop(memoryMap))];
        const steps = p.interp.steps(exec);
        for (;;) {
          const next = steps.next();
          if (next.done) return fromRunResult(next.value, nsFor);
          const step = next.value;
          retired = step.index;
          if (req.checkAccess) {
            const reason = vetAccess(p, step.pc, before, req.checkAccess);
            if (reason !== undefined) {
              const message = `pc ${step.pc}: ${describeSlot(p.program, step.pc)}: ${reason}`;
              return { kind: 'fault', message, code: 'access', pc: step.pc, insns: step.index };
            }
          }
          before = step.regs;
        }
      } finally {
        p.current = null;
      }
    },
  };
}

/** The access check's verdict on the load/store/atomic at `pc`, given the registers before it. */
function vetAccess(p: Prepared, pc: number, regs: readonly bigint[], check: AccessCheck): string | undefined {
  const spec = p.interp.loaded.specs[pc];
  if (!spec) return undefined;
  const sem = spec.sem;
  let base: number;
  let write: boolean;
  if (sem.kind === 'load') {
    base = p.program.insns[pc]!.src;
    write = false;
  } else if (sem.kind === 'store' || sem.kind === 'atomic') {
    base = p.program.insns[pc]!.dst;
    write = true;
  } else {
    return undefined;
  }
  const address = BigInt.asUintN(64, regs[base]! + BigInt(p.program.insns[pc]!.off));
  // Anything above 4 GiB already faulted in the interpreter.
  if (address > 0xffffffffn) return undefined;
  return check(Number(address), sem.bytes, write);
}

function fromRunResult(result: RunResult, nsFor: (insns: number) => bigint): XdpEngineResult {
  if (result.kind === 'exit') {
    return { kind: 'exit', r0: result.r0, memory: result.memory, insns: result.insns, elapsedNs: nsFor(result.insns) };
  }
  return { kind: 'fault', message: result.message, code: result.code, pc: result.pc, insns: result.insns };
}
