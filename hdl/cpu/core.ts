// The core: a three-stage pipeline over synchronous RAMs.
//
//   F  the program RAM is addressed with `fetch` (prog_addr)
//   D  its word is decoded (decode.ts); the register file is addressed with
//      the word's dst/src so both operands arrive with the instruction in E;
//      the branch target pc + 1 + off/imm is computed here
//   E  the instruction executes: single-cycle ALU ops, jumps and lddw finish
//      in one cycle; shifts, mul/div, loads/stores/atomics, calls and helper
//      calls run multi-cycle sequences (eStep) while F and D hold.
//
// A jump D predicts taken (unconditional, or backward: a loop) costs one
// cycle when it is taken; otherwise E redirects the fetch (two cycles). Faults
// stop the core with a code and the faulting pc; nothing retires after one.
// Control-flow rules follow the reference interpreter exactly (see
// execute.ts for which pc a bad jump reports).

import { C, Module, mux, type Expr } from '../../src/dsl/index.ts';
import { dataLimitBits, depthBits, log2ceil, pcBits, physAddrBits, type CpuConfig } from './config.ts';
import { makeDecoder, CONTROL_LAYOUT, DECODE_FAULT_BITS, insnFields } from './decode.ts';
import { makeAlu } from './alu.ts';
import { makeBranch } from './branch.ts';
import { makeShifter } from './shifter.ts';
import { makeDivider, makeDspMultiplier, makeMultiplier } from './muldiv.ts';
import { makeSharedDivider } from './divider-shared.ts';
import { makeCompactDivider } from './divider-compact.ts';
import { makeLsu } from './lsu.ts';
import { makeRegfile } from './regfile.ts';
import { makeCalls } from './calls.ts';
import { FAULT, FAULT_BITS } from '../../src/abi/faults.ts';
import { RUN_STATE } from '../../src/abi/cpu-port.ts';
import { buildExecute, type ExecuteContext } from './execute.ts';
import { ALU_FN, UNIT } from './control.ts';

export function makeCore(cfg: CpuConfig): Module {
  const m = new Module('core');
  const PW = pcBits(cfg);
  const PA = log2ceil(cfg.progWords);
  const LB = dataLimitBits(cfg);
  const WA = physAddrBits(cfg) - 3;
  const CB = cfg.counterBits;
  const WB = depthBits(cfg);

  // ---- ports -----------------------------------------------------------------
  const start = m.input('start', 1);
  const entry = m.input('entry', PW);
  const progLen = m.input('prog_len', PW);
  const dataLimit = m.input('data_limit', LB);
  const pktOff = m.input('pkt_off', LB);
  const pktLen = m.input('pkt_len', LB);
  const insnLimit = m.input('insn_limit', CB);
  const progData = m.input('prog_data', 64);
  const dmemRdata = m.input('dmem_rdata', 64);
  const hostReg = m.input('host_reg', 4);
  const hostRegWe = m.input('host_reg_we', 1);
  const hostRegWdata = m.input('host_reg_wdata', 64);
  const hReady = m.input('h_ready', 1);
  const hStatus = m.input('h_status', 2);
  const hR0 = m.input('h_r0', 64);

  const progAddr = m.output('prog_addr', PA);
  const dmemRaddr = m.output('dmem_raddr', WA);
  const dmemRe = m.output('dmem_re', 1);
  const dmemWaddr = m.output('dmem_waddr', WA);
  const dmemWe = m.output('dmem_we', 1);
  const dmemWdata = m.output('dmem_wdata', 64);
  const dmemBe = m.output('dmem_be', 8);
  const hostRegRdata = m.output('host_reg_rdata', 64);
  const stateOut = m.output('state', 2);
  const faultCodeOut = m.output('fault_code', FAULT_BITS);
  const faultPcOut = m.output('fault_pc', PW);
  const cyclesOut = m.output('cycles', CB);
  const retiredOut = m.output('retired', CB);
  const retireOut = m.output('retire', 1);
  const retirePcOut = m.output('retire_pc', PW);
  const lastPcOut = m.output('last_pc', PW);
  const depthOut = m.output('depth', WB);
  const hValid = m.output('h_valid', 1);
  const hId = m.output('h_id', 32);
  const hArgs = [1, 2, 3, 4, 5].map((i) => m.output(`h_a${i}`, 64));

  // ---- state -----------------------------------------------------------------
  const state = m.reg('run_state', 2, { reset: RUN_STATE.IDLE });
  const faultCode = m.reg('fault', FAULT_BITS);
  const faultPc = m.reg('fault_at', PW);
  const cycles = m.reg('cycle_count', CB);
  const retired = m.reg('retire_count', CB);
  // pc of the last retired instruction: with retire_count, a registered
  // trace a checker can sample after every clock edge.
  const lastPc = m.reg('last_retired_pc', PW);
  const running = state.eq(RUN_STATE.RUNNING);

  const dPc = m.reg('d_pc', PW);
  const dValid = m.reg('d_valid', 1);
  const eValid = m.reg('e_valid', 1);
  const ePc = m.reg('e_pc', PW);
  const eCtl = m.reg('e_ctl', CONTROL_LAYOUT);
  const eFault = m.reg('e_fault', DECODE_FAULT_BITS);
  const eDst = m.reg('e_dst', 4);
  const eSrc = m.reg('e_src', 4);
  const eOff = m.reg('e_off', 16);
  const eImm = m.reg('e_imm', 32);
  const eTarget = m.reg('e_target', PW);
  const eTargetBad = m.reg('e_target_bad', 1);
  const ePredicted = m.reg('e_predicted', 1);
  const eStep = m.reg('e_step', 3);
  const eOpsOk = m.reg('e_ops_ok', 1);

  // ---- D: decode the fetched word ---------------------------------------------
  const dec = m.instance('u_decode', makeDecoder(cfg), { insn: progData });
  const df = insnFields(progData);
  const dCtl = dec.o.ctl as Record<string, Expr>;
  // Target = pc + 1 + disp; negative or >= prog_len is a bad jump. A
  // displacement beyond +-2^(PW+1) misses any program, so the sum is formed
  // in PW + 3 bits and wider displacements are caught by their upper bits.
  // (lateBranch: from the decoder's opcode-only hints, which are exact for
  // every slot whose target E uses: see decode.ts.)
  const disp = mux(cfg.lateBranch ? dec.o.hint_tgt_imm as Expr : dCtl.tgtImm!, df.imm, df.off.sext(32));
  const SW = PW + 3;
  const upper = disp.slice(31, PW + 1);
  const dispFits = upper.eq(0).or(upper.all());
  const target = dPc.zext(SW).add(1).add(disp.slice(SW - 1, 0));
  const targetBad = dispFits.not().or(target.bit(SW - 1)).or(target.geU(progLen.zext(SW)));
  // Static prediction: unconditional jumps and backward conditional jumps
  // (loops) are taken, so D fetches their target right away. With
  // lateBranch the guess is the opcode's alone, and whether the target is
  // inside the program is left out (it is on the way back to the program
  // RAM's address): E faults a taken jump to a bad target anyway, and the
  // slot fetched for it never executes.
  const dUnit = dCtl.unit as Expr;
  const dPredict = cfg.lateBranch
    ? (dec.o.hint_ja as Expr).or((dec.o.hint_jmp as Expr).and(disp.bit(31)))
    : dUnit.eq(UNIT.JA).or(dUnit.eq(UNIT.JMP).and(disp.bit(31))).and(targetBad.not());

  // ---- units -----------------------------------------------------------------
  const callsClear = m.wire('calls_clear', 1);
  const callsPush = m.wire('calls_push', 1);
  const callsPop = m.wire('calls_pop', 1);
  const calls = m.instance('u_calls', makeCalls(cfg), {
    clear: callsClear, push: callsPush, pop: callsPop, ret_in: ePc.add(1),
  });
  const depth = calls.o.depth as Expr;

  // Register file ports, driven below.
  const rfRa = m.wire('rf_ra', 4);
  const rfRb = m.wire('rf_rb', 4);
  const rfWr = m.wire('rf_wr', 4);
  const rfWwin = m.wire('rf_wwin', WB);
  const rfWe = m.wire('rf_we', 1);
  const rfWdata = m.wire('rf_wdata', 64);
  const rf = m.instance('u_regs', makeRegfile(cfg), {
    ra: rfRa, rb: rfRb, ra_win: depth, rb_win: depth, wr: rfWr, w_win: rfWwin, we: rfWe, wdata: rfWdata,
  });
  const opA = rf.o.a as Expr;
  // The 'compact' divider reads dst on port B for the dividend's and the
  // result's NEG/MOV through the ALU, imm or not (its b_reg, a flip-flop).
  const compactDiv = cfg.divider === 'compact';
  const divBReg = m.wire('div_b_reg', 1);
  const opB = mux(compactDiv ? eCtl.imm.and(divBReg.not()) : eCtl.imm, eImm.sext(64), rf.o.b as Expr);

  const unit = eCtl.unit;
  // The ALU also compares for jumps (SUB), passes port B through (MOV: store
  // values when the build has atomics, registers copied by calls, r1 for
  // helper 5) and computes atomics' new values from the LSU's value read:
  // the decoder picks the function (control aluFn).
  // The 'shared' divider runs its trial subtractions on the ALU too:
  // operand A is then its shifted remainder (alt), and the function ADD when
  // a signed division's divisor is negative (divider-shared.ts).
  // The 'compact' one also forms |dividend| (step 1) and negates the result
  // (step 3) there: NEG or MOV of port B (divider-compact.ts).
  const sharedDiv = cfg.divider === 'shared';
  const divOnAlu = sharedDiv || compactDiv;
  const divAlt = m.wire('div_alt', 64);
  const divAdd = m.wire('div_add', 1);
  const divBusy = m.wire('div_busy', 1);
  const divFn = m.wire('div_alu_fn', 4);
  // (The compact divider's own flip-flops steer the ALU: no decode of unit and step in front of it.)
  const dividing = compactDiv ? divBusy : sharedDiv ? unit.eq(UNIT.DIV) : C(1, 0);
  const aluFn = compactDiv ? mux(divBusy, divFn, eCtl.aluFn)
    : sharedDiv ? mux(dividing.and(divAdd), C(4, ALU_FN.ADD), eCtl.aluFn) : eCtl.aluFn;
  const lsuOld = m.wire('lsu_old', 64);
  // (The LSU's value read is not zero while it is idle, so alt is a mux.)
  const alt = divOnAlu ? mux(dividing, divAlt, lsuOld) : lsuOld;
  const alu = m.instance('u_alu', makeAlu({ movsx: cfg.v4 }), {
    // Constants where the build leaves a feature out, so synthesis drops its logic.
    a: opA, b: opB, alt, use_alt: (cfg.atomics ? unit.eq(UNIT.ATOMIC) : C(1, 0)).or(dividing), fn: aluFn, size: eCtl.size, w32: eCtl.w32,
  });
  const branch = m.instance('u_branch', makeBranch(), {
    a: opA, b: opB, sum: alu.o.sum, c32: alu.o.c32, c64: alu.o.c64, fn: eCtl.fn, w32: eCtl.w32,
  });
  const startShift = m.wire('start_shift', 1);
  // Shifts on the DSP multiplier (shifter 'dsp') or on a shifter of their own.
  const dspShifts = cfg.shifter === 'dsp';
  const shifter = dspShifts ? undefined : m.instance('u_shift', makeShifter(cfg.shifter), {
    start: startShift, a: opA, amount: opB, fn: eCtl.fn.slice(1, 0), w32: eCtl.w32,
  });
  const startMul = m.wire('start_mul', 1);
  const mul = cfg.multiplier === 'none' ? undefined : m.instance('u_mul', cfg.multiplier === 'dsp' ? makeDspMultiplier({ shifts: dspShifts }) : makeMultiplier(), {
    start: dspShifts ? startMul.or(startShift) : startMul, a: opA, b: opB, w32: eCtl.w32,
    ...(dspShifts ? { shift: unit.eq(UNIT.SHIFT), sfn: eCtl.fn.slice(1, 0) } : {}),
  });
  const startDiv = m.wire('start_div', 1);
  const loadDiv = m.wire('load_div', 1);
  const divider = compactDiv ? makeCompactDivider() : sharedDiv ? makeSharedDivider() : makeDivider();
  const div = cfg.divider === 'none' ? undefined : m.instance('u_div', divider, {
    start: startDiv, a: opA, b: opB, fn: eCtl.fn, w32: eCtl.w32,
    ...(divOnAlu ? { sum: alu.o.sum, c32: alu.o.c32, c64: alu.o.c64 } : {}),
    ...(compactDiv ? { load: loadDiv, mag: alu.o.y } : {}),
  });
  m.comb(divAlt, div && divOnAlu ? div.o.alt : C(64, 0));
  m.comb(divAdd, div && sharedDiv ? div.o.alu_add : C(1, 0));
  m.comb(divBusy, div && compactDiv ? div.o.busy : C(1, 0));
  m.comb(divFn, div && compactDiv ? div.o.alu_fn : C(4, 0));
  m.comb(divBReg, div && compactDiv ? div.o.b_reg : C(1, 0));
  const startLsu = m.wire('start_lsu', 1);
  const lsuKind = m.wire('lsu_kind', 2);
  const lsuBase = m.wire('lsu_base', 64);
  const lsu = m.instance('u_lsu', makeLsu(cfg), {
    start: startLsu, kind: lsuKind, size: eCtl.size, sext: cfg.v4 ? unit.eq(UNIT.LOAD).and(eCtl.fn.bit(0)) : C(1, 0), afn: eCtl.fn,
    base: lsuBase, off: eOff, imm: eImm, svalue: opB, wvalue: alu.o.y, cmp: opA,
    data_limit: dataLimit, pkt_off: pktOff, pkt_len: pktLen, rdata: dmemRdata,
    // The base is port A's register: src for loads, dst for stores and atomics.
    ...(cfg.frameIsolation ? { depth, base_r10: mux(unit.eq(UNIT.LOAD), eSrc, eDst).eq(10) } : {}),
  });
  m.comb(lsuOld, lsu.o.old);
  m.comb(dmemRaddr, lsu.o.ram_raddr);
  m.comb(dmemRe, lsu.o.ram_re);
  m.comb(dmemWaddr, lsu.o.ram_waddr);
  m.comb(dmemWe, lsu.o.ram_we);
  m.comb(dmemWdata, lsu.o.ram_wdata);
  m.comb(dmemBe, lsu.o.ram_be);

  // ---- E: execute ----------------------------------------------------------------
  const budgetHit = insnLimit.ne(0).and(retired.eq(insnLimit));
  // lateBranch: the cycle after a mispredicted jump retired, E holds a
  // wrong-path instruction: it does nothing and the fetch is redirected.
  const late = cfg.lateBranch ? { fix: m.reg('fix_branch', 1), pc: m.reg('fix_pc', PW) } : undefined;
  const eLive = late ? eValid.and(late.fix.not()) : eValid;
  const go = running.and(eLive).and(eOpsOk);
  const ctx: ExecuteContext = {
    m, cfg, go, waitOps: running.and(eLive).and(eOpsOk.not()), budgetHit, unit, eCtl, eFault, ePc, eDst, eSrc, eImm, eStep, eTarget, eTargetBad, ePredicted, progLen,
    opA, rfA: rf.o.a, rfB: rf.o.b, depth, dValid, progData,
    alu: alu.o.y, taken: branch.o.taken,
    // With DSP shifts the multiplier's result already reaches the write-back
    // (as mul.y): the shift's own is a constant 0 there.
    shift: shifter
      ? { start: startShift, done: shifter.o.done, y: shifter.o.y }
      : { start: startShift, done: mul!.o.done, y: C(64, 0), hold: mul!.o.hold },
    mul: mul ? { start: startMul, done: mul.o.done, y: mul.o.y, ...(cfg.multiplier === 'dsp' ? { hold: mul.o.hold } : {}) } : undefined,
    div: div ? {
      start: startDiv, done: div.o.done, y: div.o.y,
      ...(divOnAlu ? { hold: div.o.hold } : {}),
      ...(compactDiv ? { load: loadDiv, fix: div.o.fix } : {}),
    } : undefined,
    lsu: { start: startLsu, kind: lsuKind, base: lsuBase, done: lsu.o.done, finish: lsu.o.finish, fault: lsu.o.fault, result: lsu.o.result, cross: lsu.o.crosses },
    calls: { full: calls.o.full, atBase: calls.o.at_base, retPc: calls.o.ret_pc, retReady: calls.o.ret_ready },
    helper: { ready: hReady, status: hStatus, r0: hR0, valid: hValid, id: hId, args: hArgs },
    running, host: { wdata: hostRegWdata },
  };
  const ex = buildExecute(ctx);

  // ---- register file port selection ---------------------------------------------
  // Reads: D's operands, unless E borrows the ports; when idle, the host's register.
  // A load's base register (src) is read on port A, like a store's (dst).
  const dPortA = mux((dCtl.unit as Expr).eq(UNIT.LOAD), df.src, df.dst);
  m.comb(rfRa, mux(running, mux(ex.borrow, ex.borrowA, dPortA), hostReg));
  m.comb(rfRb, mux(ex.borrow, ex.borrowB, mux(dCtl.bDst!, df.dst, df.src)));
  m.comb(rfWr, mux(running, ex.wbReg, hostReg));
  m.comb(rfWwin, mux(running, ex.wbWin, C(WB, 0)));
  m.comb(rfWe, mux(running, ex.wbEn, hostRegWe));
  m.comb(rfWdata, ex.wbData);
  m.comb(hostRegRdata, opA);
  m.comb(callsPush, running.and(ex.push));
  m.comb(callsPop, running.and(ex.pop));

  // ---- pipeline advance and fetch ------------------------------------------------
  const stop = ex.halt.or(ex.fault);
  const eFree = eValid.not().or(cfg.lateBranch ? ex.free : ex.done);
  const redirect = late ? ex.redirect.or(late.fix) : ex.redirect;
  const redirectPc = late ? mux(late.fix, late.pc, ex.redirectPc) : ex.redirectPc;
  // Stopping is left out of `advance` (the stop branch below wins, and the
  // fetch address no longer matters): it keeps the fault checks off the
  // fetch-address path, the core's longest.
  const advance = running.and(dValid).and(eFree).and(redirect.not()).and(ex.consumeD.not());
  const idle = running.not();
  const fetch = mux(idle, entry, mux(redirect, redirectPc,
    mux(advance.and(dPredict), target.slice(PW - 1, 0), mux(advance.or(ex.consumeD), dPc.add(1), dPc))));
  m.comb(progAddr, fetch.slice(PA - 1, 0));

  m.If(idle, () => {
    m.If(start, () => {
      m.sync(state, RUN_STATE.RUNNING);
      m.sync(dPc, entry);
      m.sync(dValid, 1);
      m.sync(eValid, 0);
      m.sync(cycles, 0);
      m.sync(retired, 0);
      if (late) m.sync(late.fix, 0);
      m.sync(faultCode, FAULT.NONE);
      m.sync(faultPc, 0);
    });
  }).Else(() => {
    m.sync(cycles, cycles.add(1));
    if (late) {
      m.sync(late.fix, ex.mispredict.and(stop.not()));
      m.sync(late.pc, ex.mispredictPc);
    }
    m.If(ex.done, () => {
      m.sync(retired, retired.add(1));
      m.sync(lastPc, ePc);
    });
    m.sync(dPc, fetch);
    m.If(stop, () => {
      m.sync(state, mux(ex.fault, C(2, RUN_STATE.FAULTED), C(2, RUN_STATE.HALTED)));
      m.sync(faultCode, ex.faultCode);
      m.sync(faultPc, ex.faultPc);
      m.sync(eValid, 0);
      m.sync(dValid, 0);
    }).Elif(advance, () => {
      m.sync(eValid, 1);
      m.sync(ePc, dPc);
      m.sync(eCtl, dec.o.ctl);
      m.sync(eFault, dec.o.fault);
      m.sync(eDst, df.dst);
      m.sync(eSrc, df.src);
      m.sync(eOff, df.off);
      m.sync(eImm, df.imm);
      m.sync(eTarget, target.slice(PW - 1, 0));
      m.sync(eTargetBad, targetBad);
      m.sync(ePredicted, dPredict);
      m.sync(eStep, 0);
      m.sync(eOpsOk, ex.borrow.not());
    }).Elif(late ? eFree.or(late.fix) : eFree, () => {
      // (lateBranch: the wrong-path instruction in E goes; advance is off then.)
      m.sync(eValid, 0);
    }).Else(() => {
      m.sync(eStep, ex.nextStep);
      m.If(ex.refetchOps, () => m.sync(eOpsOk, 1));
    });
  });

  m.comb(callsClear, idle.and(start));
  m.comb(stateOut, state);
  m.comb(faultCodeOut, faultCode);
  m.comb(faultPcOut, faultPc);
  m.comb(cyclesOut, cycles);
  m.comb(retiredOut, retired);
  m.comb(retireOut, running.and(ex.done));
  m.comb(retirePcOut, ePc);
  m.comb(lastPcOut, lastPc);
  m.comb(depthOut, depth);
  return m;
}
