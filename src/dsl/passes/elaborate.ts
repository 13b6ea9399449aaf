// Pass 1: elaboration. Walks the module hierarchy and lowers each DSL module
// to a ModuleIR: signals become named nets, expressions become cells, and the
// If/Switch statement tree becomes mux trees (comb) or dff data/enable logic
// (sync). Memories become memrd/memwr cells, instances become inst cells.

import { ElabError, type SourceLoc } from '../loc.ts';
import { Expr } from '../signal.ts';
import { Module, Signal, type IfStmt, type Stmt } from '../module.ts';
import { Primitive } from '../primitives/types.ts';
import { newNet, type Cell, type CellKind, type DesignIR, type ModuleIR, type NetId, type NetKind } from '../ir.ts';

export function elaborate(top: Module): DesignIR {
  const lowered = new Map<Module, ModuleIR>();
  const order: ModuleIR[] = [];
  const usedNames = new Set<string>();
  const visiting = new Set<Module>();
  const visit = (m: Module): ModuleIR => {
    const done = lowered.get(m);
    if (done) return done;
    if (visiting.has(m)) throw new ElabError(`module '${m.name}' instantiates itself (recursive hierarchy)`, m.loc);
    visiting.add(m);
    m.finalize();
    for (const inst of m.instances) if (inst.target instanceof Module) visit(inst.target);
    let name = m.name;
    for (let i = 1; usedNames.has(name); i++) name = `${m.name}_${i}`;
    usedNames.add(name);
    const ir = new Lowerer(m, name, lowered).run();
    lowered.set(m, ir);
    order.push(ir);
    visiting.delete(m);
    return ir;
  };
  const topIR = visit(top);
  return { top: topIR, modules: order };
}

type Cond = NetId | boolean;
interface Drv {
  d: NetId | undefined;
  en: Cond;
  loc: SourceLoc | undefined;
}

const COMB_TARGETS = new Set(['wire', 'output', 'instout']);

class Lowerer {
  private readonly ir: ModuleIR;
  private readonly netOf = new Map<Signal, NetId>();
  private readonly exprNet = new Map<Expr, NetId>();
  private readonly consts = new Map<string, NetId>();
  private rstNet: NetId | undefined;

  constructor(
    private readonly m: Module,
    name: string,
    private readonly children: Map<Module, ModuleIR>,
  ) {
    this.ir = { name, nets: [], cells: [], mems: [], inputs: [], outputs: [], loc: m.loc };
  }

  run(): ModuleIR {
    const { m, ir } = this;
    for (const p of m.ports) {
      for (const s of p.signals) {
        const net = this.declare(s, p.dir === 'input' ? 'input' : 'output');
        (p.dir === 'input' ? ir.inputs : ir.outputs).push({ name: s.name, net });
      }
    }
    if (this.needsRst()) {
      this.rstNet = newNet(ir, 1, false, 'rst', 'rst', m.loc);
      ir.inputs.push({ name: 'rst', net: this.rstNet });
    }
    for (const s of m.signals) {
      if (this.netOf.has(s)) continue;
      const kind: NetKind = s.kind === 'reg' ? 'reg' : s.kind === 'memdata' ? 'memdata' : 'wire';
      this.declare(s, kind);
    }

    const state = new Map<Signal, Drv>();
    this.lowerBlock(m.body, state);

    this.lowerInstances();
    for (const s of m.signals) {
      if (s.kind === 'reg') this.lowerReg(s, state.get(s));
      else if (COMB_TARGETS.has(s.kind)) this.lowerComb(s, state.get(s));
    }
    this.lowerMemories();
    if (m.clock) ir.clock = this.expr(m.clock);
    return ir;
  }

  private needsRst(): boolean {
    if (this.m.usesRst) return true;
    if (this.m.signals.some((s) => s.kind === 'reg' && s.reset !== null)) return true;
    return this.m.instances.some((i) => {
      if (!(i.target instanceof Module)) return false;
      return this.children.get(i.target)!.inputs.some((p) => p.name === 'rst') && i.rst === undefined;
    });
  }

  private declare(s: Signal, kind: NetKind): NetId {
    const net = newNet(this.ir, s.width, s.signed, s.name, kind, s.loc);
    this.netOf.set(s, net);
    return net;
  }

  private cell(kind: CellKind, ins: NetId[], width: number, loc: SourceLoc | undefined, extra: Partial<Cell> = {}, signed = false): NetId {
    const out = newNet(this.ir, width, signed, undefined, 'temp', loc);
    this.ir.cells.push({ kind, ins, outs: [out], loc, ...extra });
    return out;
  }

  private constNet(width: number, value: bigint, loc?: SourceLoc): NetId {
    const key = `${width}:${value}`;
    let n = this.consts.get(key);
    if (n === undefined) {
      n = this.cell('const', [], width, loc, { value });
      this.consts.set(key, n);
    }
    return n;
  }

  // ---- expressions ---------------------------------------------------------
  private expr(e: Expr): NetId {
    const hit = this.exprNet.get(e);
    if (hit !== undefined) return hit;
    const n = this.lowerExpr(e);
    this.exprNet.set(e, n);
    return n;
  }

  private lowerExpr(e: Expr): NetId {
    switch (e.op) {
      case 'sig': {
        const s = e as Signal;
        if (s.owner !== this.m) {
          throw new ElabError(`signal '${s.name}' of module '${s.owner.name}' used in module '${this.m.name}'`, e.loc);
        }
        if (s.kind === 'rst') {
          if (this.rstNet === undefined) throw new ElabError('internal: rst used but not declared', e.loc);
          return this.rstNet;
        }
        const n = this.netOf.get(s);
        if (n === undefined) throw new ElabError(`internal: signal '${s.name}' has no net`, e.loc);
        return n;
      }
      case 'const':
        return this.constNet(e.width, e.param, e.loc);
      case 'retype':
        return this.expr(e.args[0]!);
      case 'slice':
        return this.cell('slice', [this.expr(e.args[0]!)], e.width, e.loc, { lo: Number(e.param) }, e.signed);
      case 'lt':
      case 'le':
        return this.cell(e.op, e.args.map((a) => this.expr(a)), 1, e.loc, { signed: e.param === 1n });
      case 'mux': {
        // DSL order is (sel, ifTrue, ifFalse); IR order is [sel, f, t].
        const [s, t, f] = e.args.map((a) => this.expr(a));
        return this.cell('mux', [s!, f!, t!], e.width, e.loc, {}, e.signed);
      }
      default:
        return this.cell(e.op as CellKind, e.args.map((a) => this.expr(a)), e.width, e.loc, {}, e.signed);
    }
  }

  // ---- statements ----------------------------------------------------------
  private initialDrv(s: Signal): Drv {
    if (s.kind === 'reg') return { d: undefined, en: false, loc: undefined };
    return { d: this.constNet(s.width, s.init, s.loc), en: true, loc: undefined };
  }

  private lowerBlock(stmts: Stmt[], state: Map<Signal, Drv>): void {
    for (const st of stmts) {
      if (st.kind === 'assign') {
        const prev = state.get(st.target);
        state.set(st.target, { d: this.expr(st.value), en: true, loc: prev?.loc ?? st.loc });
      } else this.lowerIf(st, state);
    }
  }

  private lowerIf(st: IfStmt, state: Map<Signal, Drv>): void {
    const branches = st.branches.map((b) => {
      const s = new Map(state);
      this.lowerBlock(b.body, s);
      return s;
    });
    const n = st.branches.length;
    if (n === 0) return;
    const hasElse = st.branches[n - 1]!.cond === null;
    const conds = st.branches.map((b) => (b.cond === null ? undefined : this.expr(b.cond)));
    const touched = new Set<Signal>();
    for (const bs of branches) for (const [sig, drv] of bs) if (state.get(sig) !== drv) touched.add(sig);
    for (const sig of touched) {
      const get = (m: Map<Signal, Drv>): Drv => m.get(sig) ?? this.initialDrv(sig);
      let cur = hasElse ? get(branches[n - 1]!) : get(state);
      for (let i = hasElse ? n - 2 : n - 1; i >= 0; i--) cur = this.merge(conds[i]!, get(branches[i]!), cur);
      state.set(sig, cur);
    }
  }

  private merge(c: NetId, t: Drv, f: Drv): Drv {
    let d: NetId | undefined;
    if (t.en === false) d = f.d;
    else if (f.en === false || t.d === f.d) d = t.d;
    else d = this.cell('mux', [c, f.d!, t.d!], this.ir.nets[t.d!]!.width, t.loc);
    return { d, en: this.condMux(c, t.en, f.en), loc: t.loc ?? f.loc };
  }

  private condMux(c: NetId, t: Cond, f: Cond): Cond {
    if (t === f) return t;
    if (t === true && f === false) return c;
    const notC = (): NetId => this.cell('not', [c], 1, undefined);
    if (t === false && f === true) return notC();
    if (t === true) return this.cell('or', [c, f as NetId], 1, undefined);
    if (t === false) return this.cell('and', [notC(), f as NetId], 1, undefined);
    if (f === true) return this.cell('or', [notC(), t], 1, undefined);
    if (f === false) return this.cell('and', [c, t], 1, undefined);
    return this.cell('mux', [c, f, t], 1, undefined);
  }

  private condNet(c: Cond): NetId {
    return typeof c === 'boolean' ? this.constNet(1, c ? 1n : 0n) : c;
  }

  private lowerReg(s: Signal, drv: Drv | undefined): void {
    const q = this.netOf.get(s)!;
    let en: Cond = drv?.en ?? false;
    const d = drv?.d ?? q;
    if (s.enable) en = en === false ? false : en === true ? this.expr(s.enable) : this.cell('and', [en, this.expr(s.enable)], 1, s.loc);
    const ins = [d, this.condNet(en)];
    if (s.reset !== null) ins.push(this.rstNet!);
    this.ir.cells.push({ kind: 'dff', ins, outs: [q], loc: drv?.loc ?? s.loc, reset: s.reset, init: s.init });
  }

  private lowerComb(s: Signal, drv: Drv | undefined): void {
    if (drv === undefined) {
      // Never assigned: a defaulted wire is a constant; an instance output is
      // driven by its instance; anything else is left undriven (checked later).
      if (s.hasDefault) this.ir.cells.push({ kind: 'const', ins: [], outs: [this.netOf.get(s)!], value: s.init, loc: s.loc });
      return;
    }
    this.ir.cells.push({ kind: 'buf', ins: [drv.d!], outs: [this.netOf.get(s)!], loc: drv.loc });
  }

  // ---- memories and instances ---------------------------------------------
  private lowerMemories(): void {
    for (const mem of this.m.memories) {
      if (mem.spram) continue; // built from SB_SPRAM256KA instances by its finalizer
      const idx = this.ir.mems.length;
      this.ir.mems.push({ name: mem.name, width: mem.width, depth: mem.depth, init: mem.init, granularity: mem.granularity, ...(mem.readDuringWrite === 'undefined' ? { readDuringWrite: 'undefined' as const } : {}), loc: mem.loc });
      for (const r of mem.readers) {
        this.ir.cells.push({
          kind: 'memrd',
          ins: [this.netOf.get(r.addr)!, this.netOf.get(r.en)!],
          outs: [this.netOf.get(r.data)!],
          mem: idx,
          loc: mem.loc,
        });
      }
      for (const w of mem.writers) {
        this.ir.cells.push({
          kind: 'memwr',
          ins: [w.addr, w.data, w.en, w.be].map((x) => this.netOf.get(x)!),
          outs: [],
          mem: idx,
          loc: mem.loc,
        });
      }
    }
  }

  private lowerInstances(): void {
    for (const inst of this.m.instances) {
      const t = inst.target;
      let inPorts: string[];
      let outPorts: string[];
      const ins: NetId[] = [];
      let target: Cell['inst'];
      if (t instanceof Module) {
        const child = this.children.get(t)!;
        target = { kind: 'module', module: child };
        inPorts = child.inputs.map((p) => p.name);
        outPorts = child.outputs.map((p) => p.name);
        for (const name of inPorts) {
          if (name === 'rst') {
            ins.push(inst.rst ? this.expr(inst.rst) : this.rstNet!);
            continue;
          }
          const e = inst.inputs.get(name);
          if (!e) throw new ElabError(`input port '${name}' of module '${t.name}' is not connected`, inst.loc);
          ins.push(this.expr(e));
        }
      } else {
        const prim = t as Primitive;
        prim.def.checkParams?.(prim.params);
        target = { kind: 'prim', prim: prim.def, params: prim.params };
        inPorts = prim.def.ports.filter((p) => p.dir === 'in' && !p.clock).map((p) => p.name);
        outPorts = prim.def.ports.filter((p) => p.dir === 'out').map((p) => p.name);
        for (const name of inPorts) ins.push(this.expr(inst.inputs.get(name)!));
      }
      const outs = outPorts.map((name) => {
        const s = inst.outputs.get(name);
        if (!s) throw new ElabError(`output port '${name}' of instance '${inst.name}' has no connection`, inst.loc);
        return this.netOf.get(s)!;
      });
      this.ir.cells.push({ kind: 'inst', ins, outs, inst: target, name: inst.name, inPorts, outPorts, loc: inst.loc });
    }
  }
}
