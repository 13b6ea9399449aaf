// Register file r0-r10 in one synchronous RAM with two read ports and one
// write port (on iCE40: two block-RAM copies written together).
//
// Register windows for local calls: r6-r10 live in a window per call depth,
// so `exit` restores the caller's r6-r9 (and frame pointer) by just
// decrementing the depth; a call copies r6-r9 into the next window. Rows:
// r0-r5 at 0-5, r6..r10 of window w at {1, w, r - 6}. r10 is read-only (a
// write to it is a decode fault), so each window's r10 row holds its frame
// pointer, stackTop - w * frameSize, from the RAM's initial contents: the
// frame pointer costs no logic at all.
//
// Both read ports read every cycle; the data is the register as of the last
// clock edge: a write at that same edge (the RAM returns the old word) is
// forwarded from a copy of the last write.

import { C, cat, Module, mux, type Expr } from '../../src/dsl/index.ts';
import { depthBits, frameTop, type CpuConfig } from './config.ts';

/** Row of register r (4 bits, r0..r10) in window `win`. */
export function regRow(r: Expr, win: Expr): Expr {
  const windowed = cat(C(1, 1), win, r.sub(6).slice(2, 0));
  return mux(r.ltU(6), r.zext(windowed.width), windowed);
}

export function regfileRows(cfg: CpuConfig): number {
  return 1 << (depthBits(cfg) + 4);
}

/** Row index of register r (0..10) in window w, as regRow computes it. */
export function regRowIndex(cfg: CpuConfig, r: number, w: number): number {
  return r < 6 ? r : (1 << (depthBits(cfg) + 3)) + w * 8 + (r - 6);
}

/** Initial contents: every window's r10 row holds that window's frame pointer. */
export function regfileInit(cfg: CpuConfig): bigint[] {
  const init: bigint[] = new Array(regfileRows(cfg)).fill(0n);
  for (let w = 0; w < cfg.memoryMap.maxFrames; w++) {
    init[regRowIndex(cfg, 10, w)] = BigInt(frameTop(cfg) - w * cfg.memoryMap.frameSize);
  }
  return init;
}

/**
 * Inputs: ra, rb (register numbers), ra_win, rb_win (their windows), wr,
 * w_win, we, wdata (the write port; r10 is never written). Outputs a, b:
 * the registers named in the previous cycle.
 */
export function makeRegfile(cfg: CpuConfig): Module {
  const m = new Module('regfile');
  const WB = depthBits(cfg);
  const ra = m.input('ra', 4);
  const rb = m.input('rb', 4);
  const raWin = m.input('ra_win', WB);
  const rbWin = m.input('rb_win', WB);
  const wr = m.input('wr', 4);
  const wWin = m.input('w_win', WB);
  const we = m.input('we', 1);
  const wdata = m.input('wdata', 64);
  const a = m.output('a', 64);
  const b = m.output('b', 64);

  // A read of the row written on the same edge is replaced by the forwarded
  // copy below, so the RAM's own read-during-write value is never used.
  const rows = m.memory('regs', { width: 64, depth: regfileRows(cfg), init: regfileInit(cfg), readDuringWrite: 'undefined' });
  const rowA = regRow(ra, raWin);
  const rowB = regRow(rb, rbWin);
  const rowW = regRow(wr, wWin);
  const writes = we.and(wr.ltU(10));
  const dataA = rows.readPort(rowA);
  const dataB = rows.readPort(rowB);
  rows.writePort(rowW, wdata, writes);

  // Whether each port's row is the one written on this edge, decided now and
  // registered, so the output mux waits on one flip-flop, not a compare.
  const lastData = m.reg('last_data', 64);
  const hitA = m.reg('hit_a', 1);
  const hitB = m.reg('hit_b', 1);
  m.sync(lastData, wdata);
  m.sync(hitA, writes.and(rowW.eq(rowA)));
  m.sync(hitB, writes.and(rowW.eq(rowB)));

  m.comb(a, mux(hitA, lastData, dataA));
  m.comb(b, mux(hitB, lastData, dataB));
  return m;
}
