// Load/store unit over one 64-bit-wide synchronous data RAM with byte
// enables. The data region sits at physical byte 0, the stack right after it
// (config.ts). Accesses follow the interpreter exactly: the base register's
// upper half must be zero, base + off must stay in [0, 2^32), and every byte
// must lie inside the stack or inside [dataBase, dataBase + dataLimit);
// anything else is an out-of-bounds fault. eBPF allows unaligned accesses, so
// an access that crosses a 64-bit word is split into two RAM accesses.
//
// Cycles: store 1 (2 when crossing), load 2 (3), atomic 3 (5): read, [read],
// write, [write]. One byte rotator serves both directions: writes rotate the
// value left by the byte offset (the bytes that wrap around belong to the
// second word), reads rotate each word right and merge.
//
// An atomic's new value comes in on `wvalue` from the core's ALU, which
// combines the value read (output `old`) with the source register; a store's
// value on `svalue`, the operand as the register file or the immediate gives
// it. A build with atomics stores `wvalue` for both (the ALU passes a store's
// operand through) rather than a 64-bit mux between them; without atomics the
// ALU's carry chain is then off the RAM's data input (66 LUT4 fewer on the
// UP5K, and one long path less). The unit itself has no adder beyond the
// address.

import { C, cat, Module, mux, type Expr } from '../../src/dsl/index.ts';
import { depthBits, stackBytes, dataLimitBits, physAddrBits, type CpuConfig } from './config.ts';
import { ATOMIC_FN } from './control.ts';
import { extend, extendOrZero, mergeBytes, rotateBytesLeft } from './bytes.ts';

/** LSU operation kinds (input `kind`). */
export const LSU_KIND = { LOAD: 0, STORE: 1, ATOMIC: 2, LDPKT: 3 } as const;

const ST = { IDLE: 0, READ1: 1, READ2: 2, WRITE1: 3, WRITE2: 4 } as const;

export function makeLsu(cfg: CpuConfig): Module {
  const m = new Module('lsu');
  const mm = cfg.memoryMap;
  const PB = physAddrBits(cfg);
  const WA = PB - 3;
  const LB = dataLimitBits(cfg);

  const start = m.input('start', 1);
  const kind = m.input('kind', 2);
  const size = m.input('size', 2);
  const sgn = m.input('sext', 1);
  const afn = m.input('afn', 4);
  const base = m.input('base', 64);
  const off = m.input('off', 16);
  const imm = m.input('imm', 32);
  const svalue = m.input('svalue', 64);
  const wvalue = m.input('wvalue', 64);
  const cmp = m.input('cmp', 64);
  const dataLimit = m.input('data_limit', LB);
  const pktOff = m.input('pkt_off', LB);
  const pktLen = m.input('pkt_len', LB);
  const rdata = m.input('rdata', 64);
  // Frame isolation: the current call depth, and whether the base register is r10.
  const depth = cfg.frameIsolation ? m.input('depth', depthBits(cfg)) : undefined;
  const baseR10 = cfg.frameIsolation ? m.input('base_r10', 1) : undefined;

  const raddr = m.output('ram_raddr', WA);
  const re = m.output('ram_re', 1);
  const waddr = m.output('ram_waddr', WA);
  const we = m.output('ram_we', 1);
  const wdata = m.output('ram_wdata', 64);
  const be = m.output('ram_be', 8);
  const done = m.output('done', 1);
  const fault = m.output('fault', 1);
  // `done` after the first cycle, which cannot fault: the core's pipeline
  // advance reads it instead of `done`, away from the address checks.
  const finish = m.output('finish', 1);
  const result = m.output('result', 64);
  const oldOut = m.output('old', 64);
  const crossOut = m.output('crosses', 1);

  // ---- address check (start cycle, from the inputs) ------------------------
  // Region bases and the packet offset are 8-byte aligned, so the byte in
  // the word is the address's (or packet offset's) low bits.
  const ea = base.slice(31, 0).zext(33).add(off.sext(33));
  const a = ea.slice(31, 0);
  const offset = cfg.packet ? base.add(imm.sext(64)) : C(64, 0);
  const isPkt = cfg.packet ? kind.eq(LSU_KIND.LDPKT) : C(1, 0);
  const k0 = mux(isPkt, offset.slice(2, 0), a.slice(2, 0));
  const cross0 = crossesWord(k0, size);
  const memOk = base.slice(63, 32).eq(0).and(ea.bit(32).not());
  const stack = region(a, mm.stackBase, stackBytes(cfg));
  const dataR = region(a, mm.dataBase, mm.dataSize);
  const bytes = C(1, 1).zext(4).shl(size); // 1, 2, 4, 8
  const stackHit = stack.hit.and(fitsBelow(stack.low, bytes, stackBytes(cfg), cross0));
  const dataHit = dataR.hit.and(dataR.low.zext(LB + 1).add(bytes.zext(LB + 1)).leU(dataLimit.zext(LB + 1)));
  let phys = mux(stackHit, C(PB, mm.dataSize).add(stack.low.zext(PB)), dataR.low.zext(PB));
  let ok = memOk.and(stackHit.or(dataHit));
  if (depth && baseR10) {
    // Frame d (r10 = stackTop - d * frameSize) is the (maxFrames - 1 - d)th
    // from the bottom; nothing below it may be touched (callers' frames,
    // above it, may: pointers passed down stay valid, as in the kernel).
    const FS = mm.frameSize;
    const fsBits = Math.log2(FS);
    const IB = Math.max(1, stack.low.width - fsBits) + depth.width + 1;
    const frameIndex = stack.low.width > fsBits ? stack.low.slice(stack.low.width - 1, fsBits).zext(IB) : C(IB, 0);
    const aboveFloor = frameIndex.add(depth.zext(IB)).geU(C(IB, mm.maxFrames - 1));
    // [r10 + off, r10 + off + bytes) must lie in [r10 - frameSize, r10).
    const offBytes = off.sext(18).add(bytes.zext(18));
    const escapes = baseR10.and(off.sext(18).add(C(18, FS)).bit(17).or(offBytes.bit(17).not().and(offBytes.ne(0))));
    ok = ok.and(stackHit.not().or(aboveFloor)).and(escapes.not());
  }
  if (cfg.packet) {
    // ldabs/ldind: offset = (ldind ? src : 0) + imm, inside [0, packet length).
    const inPkt = offset.slice(63, LB).eq(0).and(offset.slice(LB - 1, 0).zext(LB + 1).add(bytes.zext(LB + 1)).leU(pktLen.zext(LB + 1)));
    phys = mux(isPkt, pktOff.zext(PB + 1).add(offset.slice(LB - 1, 0).zext(PB + 1)).slice(PB - 1, 0), phys);
    ok = mux(isPkt, inPkt, ok);
  }
  const word0 = phys.slice(PB - 1, 3);

  // ---- state ---------------------------------------------------------------
  const st = m.reg('state', 3);
  const word = m.reg('word', WA);
  const k = m.reg('k', 3);
  const cross = m.reg('cross', 1);
  const op = m.reg('op', 2);
  const sz = m.reg('sz', 2);
  const sg = m.reg('sg', 1);
  const isCmpxchg = m.reg('is_cmpxchg', 1);
  // First word of a crossing load (rotated into place); for atomics, the value read.
  const low = m.reg('low', 64);

  const idle = st.eq(ST.IDLE);
  const inWrite = st.eq(ST.WRITE1).or(st.eq(ST.WRITE2));
  const curK = mux(idle, k0, k);
  const curSize = mux(idle, size, sz);
  const writing = idle.and(kind.eq(LSU_KIND.STORE)).or(inWrite);

  // One rotator: left by k bytes for writes, right by k (= left by 8 - k) for reads.
  const written = cfg.atomics ? wvalue : svalue;
  const rotated = rotateBytesLeft(mux(writing, written, rdata), mux(writing, curK, C(3, 0).sub(curK)));

  // Byte enables of the access over two words: lane j is written when
  // k <= j < k + bytes (each lane a small function of k and the size).
  const end = curK.zext(4).add(C(1, 1).zext(4).shl(curSize));
  const lane = (j: number): Expr => {
    // k <= 7 and end <= 15: fold the comparisons that are constant.
    const fromK = j >= 7 ? C(1, 1) : curK.leU(j);
    return j >= 15 ? C(1, 0) : fromK.and(end.gtU(j));
  };
  const lanes = cat(...Array.from({ length: 16 }, (_, i) => lane(15 - i)));

  // Loads: the rotated second word fills the bytes from 8 - k up, the first
  // word (in `low`) the others. In the write states every byte is `low`
  // (an atomic's result is the old value): one byte select for both.
  const highBytes = C(8, 0xff).shl(C(4, 8).sub(k.zext(4)));
  const read2 = st.eq(ST.READ2);
  const fromLow = cat(...Array.from({ length: 8 }, (_, j) => inWrite.or(read2.and(highBytes.bit(7 - j).not()))));
  const merged = mergeBytes(rotated, low, fromLow);
  let loaded = extend(merged, sz, sg);
  if (cfg.packet) loaded = mux(op.eq(LSU_KIND.LDPKT), bigEndian(merged, sz), loaded);
  // The result: the extended value read, `low` as it is in the write
  // states, zero while idle (so the core can OR the multi-cycle units'
  // results). Without packet loads the extension takes the write states and
  // idle into its per-byte keep and fill signals: each bit is then one LUT
  // after the byte select (60 LUTs fewer than a mux and a mask after it).
  const resultValue = cfg.packet
    ? mux(inWrite, merged, loaded).and(idle.not().repl(64))
    : extendOrZero(merged, sz, sg, inWrite, idle);
  const widthMask = cat(sz.eq(3).repl(32), C(32, 0xffffffffn));

  // ---- defaults --------------------------------------------------------------
  m.comb(raddr, word0);
  m.comb(re, 0);
  m.comb(waddr, word0);
  m.comb(we, 0);
  m.comb(wdata, rotated);
  m.comb(be, lanes.slice(7, 0));
  m.comb(done, 0);
  m.comb(fault, 0);
  m.comb(finish, 0);
  m.comb(result, resultValue);
  m.comb(oldOut, low);
  m.comb(crossOut, cross0);

  // cmpxchg writes only when the value read (in `low` by the write states)
  // equals r0 (its low half for 32-bit): compared from registers here, not
  // from the load path, which costs ~130 LUTs more.
  const writeEnable = isCmpxchg.not().or(low.eq(cmp.and(widthMask)));
  const finished = (): void => {
    m.comb(done, 1);
    m.comb(finish, 1);
  };
  m.Switch(st)
    .Case(ST.IDLE, () => {
      m.If(start, () => {
        m.sync(word, word0);
        m.sync(k, k0);
        m.sync(cross, cross0);
        m.sync(op, kind);
        m.sync(sz, size);
        m.sync(sg, sgn);
        m.sync(isCmpxchg, cfg.atomics ? kind.eq(LSU_KIND.ATOMIC).and(afn.slice(2, 0).eq(ATOMIC_FN.CMPXCHG)) : C(1, 0));
        m.If(ok.not(), () => {
          m.comb(done, 1);
          m.comb(fault, 1);
        }).Elif(kind.eq(LSU_KIND.STORE), () => {
          m.comb(we, 1);
          m.If(cross0, () => m.sync(st, ST.WRITE2)).Else(() => m.comb(done, 1));
        }).Else(() => {
          m.comb(re, 1);
          m.sync(st, ST.READ1);
        });
      });
    })
    .Case(ST.READ1, () => {
      // Without packet loads `low` takes the extended value in both read
      // states (one source, no mux): an atomic needs it extended, and the
      // bytes a crossing load keeps from the first word lie below 8 - k <
      // 2^size, which the extension leaves as they are.
      m.sync(low, cfg.packet ? rotated : resultValue);
      m.If(cross, () => {
        m.comb(re, 1);
        m.comb(raddr, word.add(1));
        m.sync(st, ST.READ2);
      }).Else(() => finishRead());
    })
    .Case(ST.READ2, () => {
      if (!cfg.packet) m.sync(low, resultValue);
      finishRead();
    })
    .Case(ST.WRITE1, () => {
      // Atomic write-back of the first word (cmpxchg only when it matched).
      m.comb(waddr, word);
      m.comb(we, writeEnable);
      m.If(cross, () => m.sync(st, ST.WRITE2)).Else(() => {
        finished();
        m.sync(st, ST.IDLE);
      });
    })
    .Case(ST.WRITE2, () => {
      m.comb(waddr, word.add(1));
      m.comb(be, lanes.slice(15, 8));
      m.comb(we, writeEnable);
      finished();
      m.sync(st, ST.IDLE);
    })
    .Default(() => m.sync(st, ST.IDLE));

  function finishRead(): void {
    // (A build without atomics never gets kind ATOMIC: say so, and their logic goes.)
    m.If(cfg.atomics ? op.eq(LSU_KIND.ATOMIC) : C(1, 0), () => {
      if (cfg.packet) m.sync(low, loaded);
      m.sync(st, ST.WRITE1);
    }).Else(() => {
      finished();
      m.sync(st, ST.IDLE);
    });
  }
  return m;
}

/** Does an access of 2^size bytes at byte k of a word spill into the next word? */
function crossesWord(k: Expr, size: Expr): Expr {
  return mux(size.eq(3), k.ne(0), mux(size.eq(2), k.gtU(4), size.eq(1).and(k.eq(7))));
}

/**
 * Is address `a` in the region [base, base + span)? When the base is aligned
 * to the region's power-of-two span this is a compare of the upper bits and
 * the offset is the low bits; otherwise a subtraction.
 */
function region(a: Expr, base: number, bytes: number): { hit: Expr; low: Expr } {
  const bits = Math.max(3, Math.ceil(Math.log2(bytes)));
  const span = 2 ** bits;
  if (base % span === 0 && bits < 32) {
    return { hit: a.slice(31, bits).eq(base / span), low: a.slice(bits - 1, 0) };
  }
  const d = a.sub(C(32, base));
  return { hit: d.ltU(C(32, span)), low: d.slice(bits - 1, 0) };
}

/** low + bytes <= limit, for a region of `limit` bytes (cheap when limit is its power-of-two span). */
function fitsBelow(low: Expr, bytes: Expr, limit: number, crosses: Expr): Expr {
  if (2 ** low.width === limit) {
    // Only an access in the last word can run past the end, and only if it crosses it.
    if (low.width <= 3) return crosses.not();
    return low.slice(low.width - 1, 3).all().and(crosses).not();
  }
  return low.zext(low.width + 1).add(bytes.zext(low.width + 1)).leU(C(low.width + 1, limit));
}

/** The low 1/2/4 bytes of v read big-endian, zero-extended (legacy packet loads). */
function bigEndian(v: Expr, size: Expr): Expr {
  const byte = (i: number): Expr => v.slice(8 * i + 7, 8 * i);
  const rev = (n: number): Expr => cat(...Array.from({ length: n }, (_, i) => byte(i))).zext(64);
  return mux(size.eq(0), rev(1), mux(size.eq(1), rev(2), rev(4)));
}
