// Internal signals of the CPU system (hdl/cpu/system.ts) that the
// simulator-side engines read directly, by hierarchical name: the run
// state and counters the status word is built from, the last retired pc,
// the register file and the call depth. One list, so a rename in the HDL
// breaks test/cpu/probes.test.ts instead of the engines at run time.

export const PROBES = {
  /** Run state (RUN_STATE), core.ts. */
  runState: 'u_core.run_state',
  /** Cycles since start, core.ts. */
  cycleCount: 'u_core.cycle_count',
  /** Retired instructions since start, core.ts. */
  retireCount: 'u_core.retire_count',
  /** pc of the last retired instruction, core.ts. */
  lastRetiredPc: 'u_core.last_retired_pc',
  /** Register file rows (memory), regfile.ts. */
  registers: 'u_core.u_regs.regs',
  /** Call depth, calls.ts. */
  callDepth: 'u_core.u_calls.level',
} as const;
