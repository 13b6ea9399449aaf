// The E stage's control: per unit, what happens in each step of the
// instruction in E (eStep), which registers are written, where control goes
// and which fault is raised. Builds comb logic into the core module and
// returns the decisions as wires; core.ts owns the pipeline registers.
//
// Interpreter-exact rules implemented here:
// - a fault before completion (illegal, bad register, out of bounds, call
//   depth, bad helper, budget) does not retire the instruction;
// - a taken jump or local call to a slot outside the program retires, then
//   faults bad-jump at the jump's pc; falling (or returning) past the last
//   slot faults bad-jump at the last slot;
// - helper 5 (built in) returns r1 and, when r1 is 0, ends the program with
//   r0 = 0 after retiring the call.

import { C, cat, mux, type Expr, type Module, type Signal } from '../../src/dsl/index.ts';
import { depthBits, pcBits, type CpuConfig } from './config.ts';
import { ATOMIC_FN, UNIT } from './control.ts';
import { FAULT, FAULT_BITS } from '../../src/abi/faults.ts';
import { BUILTIN_UNWIND_HELPER, HELPER_STATUS } from '../../src/abi/helper-port.ts';
import { LSU_KIND } from './lsu.ts';


/** Where control goes after an instruction. */
const FLOW = { SEQ: 0, TARGET: 1, RETURN: 2 } as const;

interface Unit {
  start: Signal;
  done: Expr;
  y: Expr;
  /** The unit reads its operands again next cycle (E re-reads them on its ports). */
  hold?: Expr;
  /** The 'compact' divider's step-1 strobe and its "negate the result" flag (divider-compact.ts). */
  load?: Signal;
  fix?: Expr;
}

export interface ExecuteContext {
  m: Module;
  cfg: CpuConfig;
  /** E holds an instruction whose operands are valid, and the core runs. */
  go: Expr;
  /** E holds an instruction whose operands were not read for it. */
  waitOps: Expr;
  budgetHit: Expr;
  unit: Expr;
  eCtl: Record<string, Expr>;
  eFault: Expr;
  ePc: Expr;
  eDst: Expr;
  eSrc: Expr;
  eImm: Expr;
  eStep: Expr;
  eTarget: Expr;
  eTargetBad: Expr;
  /** D predicted this jump taken and already fetched its target. */
  ePredicted: Expr;
  progLen: Expr;
  /** Register file outputs (port A: dst, or src for a load; port B: src) and operand A. */
  opA: Expr;
  rfA: Expr;
  rfB: Expr;
  depth: Expr;
  /** D holds the next slot (lddw reads its second half from there). */
  dValid: Expr;
  progData: Expr;
  alu: Expr;
  taken: Expr;
  shift: Unit;
  mul?: Unit;
  div?: Unit;
  lsu: { start: Signal; kind: Signal; base: Signal; done: Expr; finish: Expr; fault: Expr; result: Expr; cross: Expr };
  calls: { full: Expr; atBase: Expr; retPc: Expr; retReady: Expr };
  helper: { ready: Expr; status: Expr; r0: Expr; valid: Signal; id: Signal; args: Signal[] };
  running: Expr;
  /** The host's register write data (used while the core is idle). */
  host: { wdata: Expr };
}

export interface ExecuteOutputs {
  /** The instruction in E retires this cycle. */
  done: Expr;
  /**
   * E is finished with its instruction this cycle, for the pipeline
   * advance and fetch: `done`, except that it also holds when the
   * instruction faults instead (the stop then wins, and the fetch address
   * no longer matters). It leaves the load/store address check and the
   * budget compare off the path back to the program RAM's address.
   */
  free: Expr;
  /** lateBranch: a conditional jump retired against D's prediction; the pc it should have gone to. */
  mispredict: Expr;
  mispredictPc: Expr;
  halt: Expr;
  fault: Expr;
  faultCode: Expr;
  faultPc: Expr;
  redirect: Expr;
  redirectPc: Expr;
  /** lddw took D's word as its second half: skip it. */
  consumeD: Expr;
  borrow: Expr;
  borrowA: Expr;
  borrowB: Expr;
  wbEn: Expr;
  wbReg: Expr;
  wbWin: Expr;
  /** Register write data: E's result, or the host's while idle. */
  wbData: Expr;
  nextStep: Expr;
  /** E re-reads its own operands this cycle (they were not read for it). */
  refetchOps: Expr;
  push: Expr;
  pop: Expr;
}

export function buildExecute(x: ExecuteContext): ExecuteOutputs {
  const { m, cfg } = x;
  const PW = pcBits(cfg);
  const WB = depthBits(cfg);
  const w = (name: string, width: number, dflt: Expr | number = 0): Signal => {
    const s = m.wire(name, width);
    if (typeof dflt === 'number') {
      if (dflt !== 0) m.comb(s, C(width, dflt));
    } else m.comb(s, dflt);
    return s;
  };
  const done = w('ex_done', 1);
  // Set beside `done` by every arm rather than defaulting to it: a default
  // would bring the memory arm's fault checks back onto the fetch path.
  const free = w('ex_free', 1);
  const halt = w('ex_halt', 1);
  const fault = w('ex_fault', 1);
  const faultCode = w('ex_fault_code', FAULT_BITS);
  const faultPc = w('ex_fault_pc', PW, x.ePc);
  // Where control goes after the instruction (decided in the tree); the
  // redirect is derived from it and from what D already fetched.
  const flow = w('ex_flow', 2, FLOW.SEQ);
  // lateBranch: the same for the fetch redirect, without conditional
  // jumps, whose direction (from the ALU) reaches the fetch a cycle later.
  const fetchFlow = cfg.lateBranch ? w('ex_fetch_flow', 2, FLOW.SEQ) : flow;
  const goTo = (f: number): void => {
    m.comb(flow, f);
    if (fetchFlow !== flow) m.comb(fetchFlow, f);
  };
  const consumeD = w('ex_consume_d', 1);
  const borrow = w('ex_borrow', 1);
  const borrowA = w('ex_borrow_a', 4);
  const borrowB = w('ex_borrow_b', 4);
  const wbEn = w('ex_wb_en', 1);
  const wbReg = w('ex_wb_reg', 4, x.eDst);
  const wbWin = w('ex_wb_win', WB, x.depth);
  const wbData = w('ex_wb_data', 64, writeData(x));
  lsuOperands(x);
  const nextStep = w('ex_next_step', 3, x.eStep);
  const refetchOps = w('ex_refetch', 1);
  const push = w('ex_push', 1);
  const pop = w('ex_pop', 1);
  const step = x.eStep;
  const lastSlot = x.progLen.sub(1);

  const raise = (code: number, pc: Expr = x.ePc): void => {
    m.comb(fault, 1);
    m.comb(faultCode, C(FAULT_BITS, code));
    m.comb(faultPc, pc);
  };
  // The data written is chosen by unit and step outside the control tree
  // (writeData below): one wide mux instead of one per branch.
  const write = (reg: Expr | number): void => {
    m.comb(wbEn, 1);
    m.comb(wbReg, typeof reg === 'number' ? C(4, reg) : reg);
  };
  const borrowPorts = (a: Expr | number, b: Expr | number = 0): void => {
    m.comb(borrow, 1);
    m.comb(borrowA, typeof a === 'number' ? C(4, a) : a);
    m.comb(borrowB, typeof b === 'number' ? C(4, b) : b);
  };
  const retire = (): void => {
    m.comb(done, 1);
    m.comb(free, 1);
  };
  const jump = (): void => {
    retire();
    goTo(FLOW.TARGET);
  };
  const multiCycle = (u: Unit | undefined): void => {
    if (!u) return; // the decoder never issues a unit the build leaves out
    // Step 0 is spelled out (the unit's hold includes its start, which a
    // fault cancels): the borrow must not wait for the fault checks.
    if (u.hold) m.If(step.eq(0).or(u.hold), () => borrowPorts(x.eDst, x.eSrc));
    m.If(step.eq(0), () => {
      m.comb(u.start, 1);
      m.comb(nextStep, 1);
    }).Elif(u.done, () => {
      retire();
      write(x.eDst);
    });
  };

  // The 'compact' divider's four steps (divider-compact.ts): start, load
  // |dividend| through the ALU, divide, and negate the result through the
  // ALU when its sign flips. Port B reads dst for steps 1 and 3.
  const compactDivide = (u: Unit): void => {
    m.Switch(step)
      .Case(0, () => {
        borrowPorts(x.eDst, x.eDst);
        m.comb(u.start, 1);
        m.comb(nextStep, 1);
      })
      .Case(1, () => {
        borrowPorts(x.eDst, x.eSrc);
        m.comb(u.load!, 1);
        m.comb(nextStep, 2);
      })
      .Case(2, () => {
        m.If(u.hold!, () => borrowPorts(x.eDst, x.eSrc));
        m.If(u.done, () => {
          write(x.eDst);
          m.If(u.fix!, () => {
            borrowPorts(x.eDst, x.eDst);
            m.comb(nextStep, 3);
          }).Else(retire);
        });
      })
      .Default(() => {
        retire();
        write(x.eDst);
      });
  };

  // E did not get its operands with the instruction (E borrowed the ports
  // that cycle): read them now, execute next cycle.
  m.If(x.waitOps, () => {
    borrowPorts(mux(x.unit.eq(UNIT.LOAD), x.eSrc, x.eDst), mux(x.eCtl.bDst!, x.eDst, x.eSrc));
    m.comb(refetchOps, 1);
  });

  // Without the extension port only "is it the built-in helper" matters:
  // one bit instead of the 32-bit id.
  const helperRegs = {
    id: m.reg('helper_id', cfg.helperPort ? 32 : 1),
    args: cfg.helperPort ? [1, 2, 3, 4, 5].map((i) => m.reg(`helper_a${i}`, 64)) : [],
  };
  m.comb(x.helper.id, helperRegs.id.zext(32));
  m.comb(x.helper.valid, 0);
  x.helper.args.forEach((port, i) => m.comb(port, cfg.helperPort ? helperRegs.args[i]! : C(64, 0)));

  m.If(x.go, () => {
    m.Switch(x.unit)
      .Case(UNIT.ALU, () => {
        retire();
        write(x.eDst);
      })
      .Case(UNIT.SHIFT, () => multiCycle(x.shift))
      .Case(UNIT.MUL, () => multiCycle(x.mul))
      .Case(UNIT.DIV, () => (x.div?.load ? compactDivide(x.div) : multiCycle(x.div)))
      .Case(UNIT.JMP, () => {
        retire();
        m.comb(flow, mux(x.taken, C(2, FLOW.TARGET), C(2, FLOW.SEQ)));
      })
      .Case(UNIT.JA, jump)
      .Case(UNIT.LDDW, () => lddw(x, { raise, retire, write, consumeD, free }))
      .Case([UNIT.CALL, UNIT.CALLX], () => helperCall(x, helperRegs, { raise, retire, write, borrowPorts, nextStep, halt }))
      .Case(UNIT.CALL_LOCAL, () => {
        // Copy r6-r9 into the next window, one register per cycle
        // (read in step s, written in step s + 1), then enter the callee.
        m.If(step.eq(0), () => {
          m.If(x.calls.full, () => raise(FAULT.CALL_DEPTH)).Else(() => {
            borrowPorts(0, 6);
            m.comb(nextStep, 1);
          });
        }).Else(() => {
          write(step.zext(4).add(5)); // the ALU passes port B through
          m.comb(wbWin, x.depth.add(1));
          m.If(step.eq(4), () => {
            m.comb(push, 1);
            jump();
          }).Else(() => {
            borrowPorts(0, step.zext(4).add(6));
            m.comb(nextStep, step.add(1));
          });
        });
      })
      .Case(UNIT.EXIT, () => {
        m.If(x.calls.atBase, () => {
          retire();
          m.comb(halt, 1);
        }).Elif(x.calls.retReady, () => {
          m.comb(pop, 1);
          retire();
          goTo(FLOW.RETURN);
        });
      })
      .Case([UNIT.LOAD, UNIT.STORE, UNIT.ATOMIC, UNIT.LDPKT], () => memoryAccess(x, { raise, retire, write, borrowPorts, nextStep, free }))
      .Default(() => raise(FAULT.ILLEGAL));
    // Faults found before the instruction starts (the budget, the decoder's)
    // override what its unit asked for, all but the register-port borrow:
    // reading a register is harmless, and leaving the checks out of the
    // borrow keeps them off the register-address path (the core's longest).
    // (Units are not started either: one finishing after the stop would
    // put its result on the write-back while the host writes registers.)
    const started = [x.shift, x.mul, x.div].flatMap((u) => (u ? [u.start] : []));
    // (With lateBranch `free` and `consumeD` are left as they were: the
    // fault stops the core, so they change nothing but the fetch address,
    // which no longer matters, and they stay off the fault checks.)
    const kept = cfg.lateBranch ? [] : [consumeD];
    const cancel = (): void => {
      for (const s of [done, halt, wbEn, ...kept, push, pop, x.lsu.start, x.helper.valid, ...started]) m.comb(s, 0);
    };
    m.If(step.eq(0).and(x.budgetHit), () => {
      cancel();
      raise(FAULT.BUDGET);
    }).Elif(step.eq(0).and(x.eFault.ne(0)), () => {
      cancel();
      m.comb(fault, 1);
      m.comb(faultCode, x.eFault.zext(FAULT_BITS));
      m.comb(faultPc, x.ePc);
    });
  });

  // Next pc. D fetched the jump target when it predicted the jump taken
  // (ePredicted), else the next slot; E redirects the fetch when control
  // goes elsewhere. Leaving the program after a retired instruction is a
  // bad-jump fault: at the jump for a taken jump or call, at the last slot
  // for falling or returning past the end (the interpreter's rule).
  const seqNext = x.ePc.add(1).add(x.unit.eq(UNIT.LDDW).zext(PW));
  const toTarget = flow.eq(FLOW.TARGET);
  const toReturn = flow.eq(FLOW.RETURN);
  const nextPc = (target: Expr, ret: Expr): Expr => mux(ret, x.calls.retPc, mux(target, x.eTarget, seqNext));
  const wrongGuess = (target: Expr, ret: Expr): Expr => mux(target, x.ePredicted.not(), ret.or(x.ePredicted));
  // The fetch redirect. With lateBranch it comes from `free` and `fetchFlow`,
  // which wait neither on the fault checks nor on a conditional jump's
  // direction.
  const split = fetchFlow !== flow;
  const fetchTarget = split ? fetchFlow.eq(FLOW.TARGET) : toTarget;
  const fetchReturn = split ? fetchFlow.eq(FLOW.RETURN) : toReturn;
  const isBranch = x.unit.eq(UNIT.JMP);
  const redirect = (cfg.lateBranch ? free.and(isBranch.not()) : done).and(wrongGuess(fetchTarget, fetchReturn));
  const redirectPc = nextPc(fetchTarget, fetchReturn);
  // lateBranch: a conditional jump retires without redirecting; a wrong
  // guess is fixed by the core the next cycle.
  const mispredict = cfg.lateBranch ? done.and(isBranch).and(wrongGuess(toTarget, toReturn)) : C(1, 0);
  const mispredictPc = nextPc(toTarget, toReturn);
  const leaves = mux(toTarget, x.eTargetBad, mux(toReturn, x.calls.retPc, seqNext).geU(x.progLen));
  const late = done.and(fault.not()).and(halt.not()).and(leaves);
  const faultOut = fault.or(late);
  const codeOut = mux(late, C(FAULT_BITS, FAULT.BAD_JUMP), faultCode);
  const pcOut = mux(late, mux(toTarget, x.ePc, lastSlot), faultPc);

  return {
    done, free, mispredict, mispredictPc, halt, fault: faultOut, faultCode: codeOut, faultPc: pcOut, redirect, redirectPc, consumeD, borrow, borrowA, borrowB,
    wbEn, wbReg, wbWin, wbData, nextStep, refetchOps, push, pop,
  };
}

/**
 * LSU operands, outside the control tree (the LSU samples them only when
 * started): the kind from the unit, the base from port A (D reads a load's
 * src there), for ldind the src on port B.
 */
function lsuOperands(x: ExecuteContext): void {
  const { m } = x;
  m.Switch(x.unit)
    .Case(UNIT.LOAD, () => m.comb(x.lsu.kind, LSU_KIND.LOAD))
    .Case(UNIT.STORE, () => m.comb(x.lsu.kind, LSU_KIND.STORE))
    .Case(UNIT.ATOMIC, () => m.comb(x.lsu.kind, LSU_KIND.ATOMIC))
    .Default(() => m.comb(x.lsu.kind, LSU_KIND.LDPKT));
  const ldind = x.eCtl.fn!.bit(0); // LDPKT_FN.IND
  m.comb(x.lsu.base, x.cfg.packet ? mux(x.unit.eq(UNIT.LDPKT), mux(ldind, x.rfB, C(64, 0)), x.rfA) : x.rfA);
}

/** What an instruction writes to its register, by unit (and step for helper calls). */
function writeData(x: ExecuteContext): Expr {
  const { m } = x;
  const data = m.wire('ex_write_data', 64);
  // The multi-cycle units output zero while idle and only one works at a time: OR them.
  let units = x.shift.y.or(x.lsu.result);
  if (x.mul) units = units.or(x.mul.y);
  if (x.div) units = units.or(x.div.y);
  // While the core is idle the host writes registers: its data joins the
  // OR (the units are idle then) rather than a mux after this one, which
  // keeps a level off the write-back path.
  units = units.or(x.host.wdata.and(x.running.not().repl(64)));
  // Those results are zero too while another unit's instruction is in E,
  // so the others join the OR, each masked by its (one-bit) select rather
  // than a mux by unit: the ALU for everything else (lddw's low half, its
  // imm, comes through it), lddw's high half from D's word, the port's r0
  // for helper calls after step 1 (the built-in helper's r1 comes through
  // the ALU in step 1).
  const unit = x.unit;
  // (The 'compact' divider's last step writes the ALU's NEG: step 3.)
  const divWrites = x.div?.load ? unit.eq(UNIT.DIV).and(x.eStep.bit(0).not()) : unit.eq(UNIT.DIV);
  const multi = [UNIT.SHIFT, UNIT.MUL, UNIT.LOAD, UNIT.LDPKT, UNIT.ATOMIC].map((u) => unit.eq(u)).reduce((a, b) => a.or(b)).or(divWrites);
  const isCall = unit.eq(UNIT.CALL).or(unit.eq(UNIT.CALLX));
  const fromPort = x.running.and(isCall).and(x.eStep.ne(1));
  const aluLo = x.running.and(multi.not()).and(fromPort.not());
  const isLddw = x.running.and(unit.eq(UNIT.LDDW));
  const aluHi = aluLo.and(isLddw.not());
  const others = cat(
    x.alu.slice(63, 32).and(aluHi.repl(32)).or(x.progData.slice(63, 32).and(isLddw.repl(32))),
    x.alu.slice(31, 0).and(aluLo.repl(32)),
  ).or(x.helper.r0.and(fromPort.repl(64)));
  m.comb(data, units.or(others));
  return data;
}

interface Actions {
  raise(code: number, pc?: Expr): void;
  retire(): void;
  write(reg: Expr | number): void;
  borrowPorts?(a: Expr | number, b?: Expr | number): void;
  consumeD?: Signal;
  free?: Signal;
  nextStep?: Signal;
  halt?: Signal;
}

/** lddw: the second slot is the word in D; it must be zero except its imm. */
function lddw(x: ExecuteContext, act: Actions): void {
  const { m } = x;
  const tail = x.progData;
  // lateBranch: D's slot is taken whenever it is there, checked or not: a
  // bad tail faults, and the stop wins over the advance (keeps the checks
  // off the path from the program RAM back to its address).
  const early = x.cfg.lateBranch;
  if (early) {
    m.If(x.dValid, () => {
      m.comb(act.consumeD!, 1);
      m.comb(act.free!, 1);
    });
  }
  m.If(x.ePc.add(1).geU(x.progLen), () => act.raise(FAULT.ILLEGAL)).Elif(x.dValid, () => {
    m.If(tail.slice(31, 0).ne(0), () => act.raise(FAULT.ILLEGAL)).Else(() => {
      act.retire();
      act.write(x.eDst);
      if (!early) m.comb(act.consumeD!, 1);
    });
  });
}

/**
 * call N / call runtime N / callx: read r1-r5, then either the built-in
 * helper or the extension port (valid/ready; status 0 ok, 1 unknown id,
 * 2 helper fault, 3 ok and stop the program).
 */
function helperCall(x: ExecuteContext, regs: { id: Signal; args: Signal[] }, act: Actions): void {
  const { m, cfg } = x;
  const step = x.eStep;
  const h = x.helper;
  const { id, args } = regs;
  const fromReg = x.unit.eq(UNIT.CALLX);
  m.Switch(step)
    .Case(0, () => {
      m.If(fromReg.and(x.opA.slice(63, 32).ne(0)), () => act.raise(FAULT.BAD_HELPER)).Else(() => {
        const called = mux(fromReg, x.opA.slice(31, 0), x.eImm);
        m.sync(id, cfg.helperPort ? called : called.eq(BUILTIN_UNWIND_HELPER));
        act.borrowPorts!(2, 1);
        m.comb(act.nextStep!, 1);
      });
    })
    .Case(1, () => {
      m.If(cfg.helperPort ? id.eq(BUILTIN_UNWIND_HELPER) : id.bit(0), () => {
        act.retire();
        act.write(0); // r1, passed through the ALU from port B
        m.If(x.rfB.eq(0), () => m.comb(act.halt!, 1));
      }).Else(() => {
        if (!cfg.helperPort) {
          act.raise(FAULT.BAD_HELPER);
          return;
        }
        m.sync(args[0]!, x.rfB);
        m.sync(args[1]!, x.rfA);
        act.borrowPorts!(3, 4);
        m.comb(act.nextStep!, 2);
      });
    })
    .Case(2, () => {
      if (!cfg.helperPort) return;
      m.sync(args[2]!, x.rfA);
      m.sync(args[3]!, x.rfB);
      act.borrowPorts!(5);
      m.comb(act.nextStep!, 3);
    })
    .Case(3, () => {
      if (!cfg.helperPort) return;
      m.sync(args[4]!, x.rfA);
      m.comb(act.nextStep!, 4);
    })
    .Default(() => {
      if (!cfg.helperPort) return;
      m.comb(h.valid, 1);
      m.If(h.ready, () => {
        m.Switch(h.status)
          .Case([HELPER_STATUS.OK, HELPER_STATUS.STOP], () => {
            act.retire();
            act.write(0);
            m.If(h.status.eq(HELPER_STATUS.STOP), () => m.comb(act.halt!, 1));
          })
          .Case(HELPER_STATUS.UNKNOWN, () => act.raise(FAULT.BAD_HELPER))
          .Default(() => act.raise(FAULT.HELPER_FAULT));
      });
    });
}

/** Loads, stores, atomics and legacy packet loads through the LSU. */
function memoryAccess(x: ExecuteContext, act: Actions): void {
  const { m } = x;
  const unit = x.unit;
  const lsu = x.lsu;
  // Atomics keep r0 (cmpxchg's comparand) and the source register on the
  // ports; a store that crosses a word keeps its value register for the
  // second write.
  m.If(unit.eq(UNIT.ATOMIC), () => act.borrowPorts!(0, x.eSrc))
    .Elif(unit.eq(UNIT.STORE).and(x.eStep.eq(0)).and(lsu.cross), () => act.borrowPorts!(x.eDst, x.eSrc));
  m.If(x.eStep.eq(0), () => {
    m.comb(lsu.start, 1);
    m.comb(act.nextStep!, 1);
  });
  m.If(lsu.done, () => {
    m.If(lsu.fault, () => act.raise(FAULT.OUT_OF_BOUNDS)).Else(() => {
      act.retire();
      const fn = x.eCtl.fn!;
      m.Switch(unit)
        .Case(UNIT.LOAD, () => act.write(x.eDst))
        .Case(UNIT.LDPKT, () => act.write(0))
        .Case(UNIT.ATOMIC, () => {
          m.If(fn.bit(3), () => {
            act.write(mux(fn.slice(2, 0).eq(ATOMIC_FN.CMPXCHG), C(4, 0), x.eSrc));
          });
        });
    });
  });
  // Finished, for the advance, without the address check (this overrides
  // the retire above): a store that does not cross a word finishes as it
  // starts (unless it is out of range: then it faults, and the stop wins),
  // anything else when the LSU finishes.
  m.comb(act.free!, mux(x.eStep.eq(0), unit.eq(UNIT.STORE).and(lsu.cross.not()), lsu.finish));
}
