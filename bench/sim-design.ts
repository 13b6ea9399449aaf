// The benchmark design: a small 3-stage 64-bit processor-like pipeline
// (instruction ROM, 2-read/1-write register file, 64-bit ALU with shifts,
// multiply and compares, data memory with byte enables, branches) running a
// seeded random program. A few hundred cells, shaped like the eBPF CPU.

import { C, cat, Module, mux } from '../src/dsl/index.ts';
import { Rng } from '../src/random.ts';

export function benchCore(seed = 1): Module {
  const rng = new Rng(seed);
  const m = new Module('bench_core');
  const checksum = m.output('checksum', 64);
  const pcOut = m.output('pc_out', 8);

  const program = Array.from({ length: 256 }, () => BigInt(rng.u32()));
  const imem = m.memory('imem', { width: 32, depth: 256, init: program });
  const rf = m.memory('rf', { width: 64, depth: 16, init: Array.from({ length: 16 }, () => rng.bits(64)) });
  const dmem = m.memory('dmem', { width: 64, depth: 256 });

  // Fetch.
  const pc = m.reg('pc', 8, { reset: 0 });
  const instr = imem.readPort(pc);
  const fetched = m.reg('fetched', 1, { reset: 0 });
  m.sync(fetched, 1);

  // Decode: fields, register reads (data arrives with the next stage).
  const op = instr.slice(3, 0);
  const rd = instr.slice(7, 4);
  const rs1 = instr.slice(11, 8);
  const rs2 = instr.slice(15, 12);
  const imm = instr.slice(31, 16).asSigned().sext(64);
  const a = rf.readPort(rs1);
  const b = rf.readPort(rs2);
  const eOp = m.reg('e_op', 4, { reset: 0 });
  const eRd = m.reg('e_rd', 4, { reset: 0 });
  const eImm = m.reg('e_imm', 64, { reset: 0 });
  const eValid = m.reg('e_valid', 1, { reset: 0 });
  const ePc = m.reg('e_pc', 8, { reset: 0 });
  m.sync(eOp, op);
  m.sync(eRd, rd);
  m.sync(eImm, imm.asUnsigned());
  m.sync(eValid, fetched);
  m.sync(ePc, pc);

  // Execute.
  const res = m.wire('res', 64);
  const wen = m.wire('wen', 1);
  const taken = m.wire('taken', 1);
  const amt = b.slice(5, 0);
  const addr = a.add(eImm).slice(10, 3);
  const dread = dmem.readPort(addr);
  m.comb(wen, 1);
  m.Switch(eOp)
    .Case(0, () => m.comb(res, a.add(b)))
    .Case(1, () => m.comb(res, a.sub(b)))
    .Case(2, () => m.comb(res, a.mul(b)))
    .Case(3, () => m.comb(res, a.and(b).or(eImm)))
    .Case(4, () => m.comb(res, a.xor(b)))
    .Case(5, () => m.comb(res, a.shl(amt)))
    .Case(6, () => m.comb(res, a.shr(amt)))
    .Case(7, () => m.comb(res, a.sar(amt)))
    .Case(8, () => m.comb(res, a.ltS(b).zext(64)))
    .Case(9, () => m.comb(res, a.ltU(eImm).zext(64)))
    .Case(10, () => m.comb(res, a.mulWide(b).slice(127, 64)))
    .Case(11, () => m.comb(res, dread))
    .Case(12, () => {
      m.comb(wen, 0);
      dmem.writePort(addr, b, eValid, a.slice(7, 0));
    })
    .Case(13, () => {
      m.comb(wen, 0);
      m.comb(taken, a.eq(b));
    })
    .Case(14, () => {
      m.comb(wen, 0);
      m.comb(taken, a.ne(b).and(a.slice(0, 0)));
    })
    .Default(() => m.comb(res, a.add(eImm)));
  rf.writePort(eRd, res, wen.and(eValid));

  const sum = m.reg('sum', 64, { reset: 0 });
  m.If(eValid, () => m.sync(sum, cat(sum.slice(62, 0), sum.bit(63)).xor(res).add(cat(C(56, 0), ePc))));
  m.If(taken.and(eValid), () => m.sync(pc, ePc.add(eImm.slice(7, 0)))).Else(() => m.sync(pc, pc.add(1)));
  m.comb(checksum, sum);
  m.comb(pcOut, mux(eValid, ePc, pc));
  return m;
}
