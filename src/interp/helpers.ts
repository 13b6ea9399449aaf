// Helper functions callable with `call N`, `call %rX` and `call runtime N`.
// The table is pluggable (LoadOptions.helpers); the default holds only what
// the conformance suite uses.

import type { Helper } from './types.ts';

/** Id of the conformance suite's "unwind" helper. */
export const UNWIND_HELPER_ID = 5;

/**
 * The suite's helper 5, as uBPF implements it (ubpf_set_unwind_function_index):
 * it returns its r1 argument, and when that argument is 0 the whole program
 * stops right after the call with r0 = 0, from any call depth.
 */
export const unwindHelper: Helper = (r1, _r2, _r3, _r4, _r5, ctx) => {
  if (r1 === 0n) ctx.stop(0n);
  return r1;
};

/** A fresh default helper table: { 5: unwind }. */
export function defaultHelpers(): Map<number, Helper> {
  return new Map([[UNWIND_HELPER_ID, unwindHelper]]);
}
