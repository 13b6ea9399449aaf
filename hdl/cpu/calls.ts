// Local-call bookkeeping: the call depth (which selects the r6-r10 window in
// the register file, see regfile.ts) and a small return-address stack. The
// r6-r9 copy on a call is sequenced by the core through the register file's
// ports.

import { Module, type Expr } from '../../src/dsl/index.ts';
import { depthBits, pcBits, type CpuConfig } from './config.ts';

/**
 * Inputs: clear (depth to 0), push (enter a call; ret_in is its return
 * slot), pop (return). Outputs: depth, full (no frame left for a
 * call), at_base (depth 0), ret_pc (return slot of the innermost call) and
 * ret_ready (ret_pc reflects the current depth).
 */
export function makeCalls(cfg: CpuConfig): Module {
  const m = new Module('calls');
  const WB = depthBits(cfg);
  const PW = pcBits(cfg);
  const mm = cfg.memoryMap;
  const clear = m.input('clear', 1);
  const push = m.input('push', 1);
  const pop = m.input('pop', 1);
  const retIn = m.input('ret_in', PW);
  const depthOut = m.output('depth', WB);
  const full = m.output('full', 1);
  const atBase = m.output('at_base', 1);
  const retPc = m.output('ret_pc', PW);
  const retReady = m.output('ret_ready', 1);

  const depth = m.reg('level', WB);
  const changed = m.reg('changed', 1);
  // Reads depth - 1 while a push writes depth: never the same row.
  const returns = m.memory('returns', { width: PW, depth: 1 << WB, readDuringWrite: 'undefined' });
  returns.writePort(depth, retIn, push);
  const top: Expr = returns.readPort(depth.sub(1));

  m.sync(changed, push.or(pop).or(clear));
  m.If(clear, () => m.sync(depth, 0))
    .Elif(push, () => m.sync(depth, depth.add(1)))
    .Elif(pop, () => m.sync(depth, depth.sub(1)));

  m.comb(depthOut, depth);
  m.comb(full, depth.eq(mm.maxFrames - 1));
  m.comb(atBase, depth.eq(0));
  m.comb(retPc, top);
  m.comb(retReady, changed.not());
  return m;
}
