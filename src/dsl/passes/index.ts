// The explicit, ordered pass list. Both back ends run the same list; they
// differ only in options (the simulator flattens and merges named buffers,
// the Verilog back end may keep the hierarchy and `assign` aliases).

import type { DesignIR } from '../ir.ts';
import type { Module } from '../module.ts';
import { elaborate } from './elaborate.ts';
import { checkWidths } from './widths.ts';
import { checkDrivers } from './drivers.ts';
import { checkLoops } from './loops.ts';
import { flattenDesign } from './flatten.ts';
import { foldConstants } from './fold.ts';
import { collapseBuffers, type CollapseMode } from './buffers.ts';
import { removeDeadLogic } from './dce.ts';
import { eliminateCommonSubexpressions } from './cse.ts';
import { allocateNames } from './names.ts';

export interface PassOptions {
  /** Inline the hierarchy into one module (the simulator always does). */
  flatten?: boolean;
  /** Constant folding (default on). */
  fold?: boolean;
  /** Dead logic removal (default on). */
  dce?: boolean;
  /** With dce: keep logic driving user-named signals (default on). */
  keepNamed?: boolean;
  /** Which buffers to collapse (default 'temps'). */
  collapse?: CollapseMode;
}

export type ResolvedOptions = Required<PassOptions>;

export interface Pass {
  name: string;
  enabled(o: ResolvedOptions): boolean;
  run(d: DesignIR, o: ResolvedOptions): DesignIR;
}

/** Passes after elaboration, in order. */
export const PASSES: readonly Pass[] = [
  { name: 'check-widths', enabled: () => true, run: (d) => checkWidths(d) },
  { name: 'check-drivers', enabled: () => true, run: (d) => checkDrivers(d) },
  { name: 'flatten', enabled: (o) => o.flatten, run: (d) => flattenDesign(d) },
  { name: 'check-loops', enabled: () => true, run: (d) => checkLoops(d) },
  { name: 'collapse-buffers', enabled: () => true, run: (d, o) => collapseBuffers(d, o.collapse) },
  { name: 'fold-constants', enabled: (o) => o.fold, run: (d) => foldConstants(d) },
  { name: 'common-subexpressions', enabled: (o) => o.fold, run: (d) => eliminateCommonSubexpressions(d) },
  // Folding and CSE turn cells into buffers; collapse those too.
  { name: 'collapse-buffers-again', enabled: (o) => o.fold, run: (d, o) => collapseBuffers(d, o.collapse) },
  { name: 'remove-dead-logic', enabled: (o) => o.dce, run: (d, o) => removeDeadLogic(d, { keepNamed: o.keepNamed }) },
  { name: 'recheck-widths', enabled: () => true, run: (d) => checkWidths(d) },
  { name: 'allocate-names', enabled: () => true, run: (d) => allocateNames(d) },
];

export function resolveOptions(o: PassOptions = {}): ResolvedOptions {
  return {
    flatten: o.flatten ?? false,
    fold: o.fold ?? true,
    dce: o.dce ?? true,
    keepNamed: o.keepNamed ?? true,
    collapse: o.collapse ?? 'temps',
  };
}

/** Elaborate `top` and run every enabled pass. */
export function compileDesign(top: Module, opts: PassOptions = {}): DesignIR {
  const o = resolveOptions(opts);
  let d = elaborate(top);
  for (const p of PASSES) if (p.enabled(o)) d = p.run(d, o);
  return d;
}
