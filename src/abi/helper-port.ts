// The helper port between the core and whatever answers helper calls (the
// TypeScript engines, a board's helper logic): its status codes and the one
// helper the core runs itself.

/**
 * h_status, the helper port's answer to the core (hdl/cpu/execute.ts acts
 * on it): the helper ran (r0 = h_r0), the id is unknown (fault bad-helper),
 * the helper faulted (helper-fault), or the helper ran and the program
 * stops (as after exit).
 */
export const HELPER_STATUS = { OK: 0, UNKNOWN: 1, FAULT: 2, STOP: 3 } as const;
export const HELPER_STATUS_BITS = 2;

/**
 * Helper 5 (bpf_ktime_get_ns in Linux; the conformance suite's "unwind"):
 * the core answers it itself (r0 = r1; the program stops when r1 is 0), so
 * it needs no helper port.
 */
export const BUILTIN_UNWIND_HELPER = 5;
