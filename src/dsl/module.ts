// The Module builder: ports, wires, registers, statements (comb/sync with
// If/Elif/Else and Switch), memories and instances. Nothing here produces
// netlist cells; passes/elaborate.ts lowers the recorded statements.

import { captureLoc, ElabError, type SourceLoc } from './loc.ts';
import {
  C,
  Expr,
  extendTo,
  toBits,
  toBool,
  toExpr,
  toShape,
  Signal,
  type ExprLike,
  type Shape,
  type ShapeLike,
  type SignalKind,
} from './signal.ts';
import { Layout, layoutOf, tagBundle, type BundleInit, type BundleOf, type BundleValue, type Fields } from './bundle.ts';
import { Memory, type MemoryOptions } from './memory.ts';
import { Instance, type PortConnections } from './instance.ts';
import type { Primitive } from './primitives/types.ts';
import type { ModuleScope, PortDecl } from './scope.ts';
import { buildSpram } from './spram-lowering.ts';

export type { PortDecl };

export type { SignalKind };
export { Signal };

export interface AssignStmt {
  kind: 'assign';
  target: Signal;
  value: Expr;
  loc: SourceLoc;
}
export interface Branch {
  cond: Expr | null;
  body: Stmt[];
  loc: SourceLoc;
}
export interface IfStmt {
  kind: 'if';
  branches: Branch[];
  loc: SourceLoc;
}
export type Stmt = AssignStmt | IfStmt;

export interface RegOptions {
  /** Synchronous reset value (default 0). Also the power-up value. */
  reset?: number | bigint | BundleInit<any>;
  /** No reset: the register only gets its power-up value `init` (default 0). */
  resetless?: boolean;
  init?: number | bigint | BundleInit<any>;
  /** Clock enable: the register only loads when this is 1. */
  en?: ExprLike;
}
export interface WireOptions {
  /** Value when no statement assigns the wire in a cycle (default 0). */
  default?: number | bigint | BundleInit<any>;
}

type Assignable = Signal | object;
type AssignValue = ExprLike | object;

const RESERVED = new Set(['clk', 'rst']);

export class Module implements ModuleScope {
  readonly loc: SourceLoc;
  readonly signals: Signal[] = [];
  readonly ports: PortDecl[] = [];
  readonly body: Stmt[] = [];
  readonly memories: Memory[] = [];
  readonly instances: Instance[] = [];
  private readonly stack: Stmt[][] = [this.body];
  private readonly names = new Map<string, SourceLoc>();
  private rstSignal: Signal | undefined;
  private readonly finalizers: (() => void)[] = [];
  private finalized = false;
  private clockSource: Expr | undefined;

  constructor(readonly name: string) {
    this.loc = captureLoc();
    checkIdent(name, 'module', this.loc);
  }

  /** Register work that must run once all statements exist (before the
   *  first elaboration), e.g. building SPRAM glue from the declared ports. */
  addFinalizer(f: () => void): void {
    if (this.finalized) throw new ElabError(`module '${this.name}' was already elaborated`, captureLoc());
    this.finalizers.push(f);
  }

  /** Run the finalizers (idempotent; called by elaboration). */
  finalize(): void {
    if (this.finalized) return;
    this.finalized = true;
    for (const f of this.finalizers) f();
  }

  /** Clock this module's domain from a signal (e.g. a PLL output) instead of
   *  a `clk` input port. Affects the Verilog only: the simulator has one step
   *  per clock of the domain whatever drives it. */
  clockFrom(source: Expr): void {
    const loc = captureLoc();
    if (source.width !== 1) throw new ElabError('clockFrom() needs a 1-bit signal', loc);
    this.checkOwned(source, loc);
    this.clockSource = source;
  }
  get clock(): Expr | undefined {
    return this.clockSource;
  }

  /** The domain's synchronous reset (active high), readable like any 1-bit signal. */
  get rst(): Signal {
    this.rstSignal ??= new Signal(this, 'rst', 'rst', { width: 1, signed: false }, this.loc);
    return this.rstSignal;
  }
  /** True when something referenced m.rst. */
  get usesRst(): boolean {
    return this.rstSignal !== undefined;
  }

  // ---- declarations ------------------------------------------------------
  input(name: string, shape: ShapeLike): Signal;
  input<F extends Fields>(name: string, layout: Layout<F>): BundleOf<F>;
  input(name: string, shape: ShapeLike | Layout<any>): Signal | object {
    return this.port('input', name, shape, captureLoc());
  }
  output(name: string, shape: ShapeLike): Signal;
  output<F extends Fields>(name: string, layout: Layout<F>): BundleOf<F>;
  output(name: string, shape: ShapeLike | Layout<any>): Signal | object {
    return this.port('output', name, shape, captureLoc());
  }
  wire(name: string, shape: ShapeLike, opts?: WireOptions): Signal;
  wire<F extends Fields>(name: string, layout: Layout<F>, opts?: WireOptions): BundleOf<F>;
  wire(name: string, shape: ShapeLike | Layout<any>, opts: WireOptions = {}): Signal | object {
    const loc = captureLoc();
    return this.declare('wire', name, shape, loc, (s, l) => {
      if (opts.default !== undefined) {
        s.init = fieldInit(opts.default, l, s, loc);
        s.hasDefault = true;
      }
    });
  }
  reg(name: string, shape: ShapeLike, opts?: RegOptions): Signal;
  reg<F extends Fields>(name: string, layout: Layout<F>, opts?: RegOptions): BundleOf<F>;
  reg(name: string, shape: ShapeLike | Layout<any>, opts: RegOptions = {}): Signal | object {
    const loc = captureLoc();
    const en = opts.en === undefined ? undefined : toBool(opts.en, loc);
    if (en) this.checkOwned(en, loc);
    return this.declare('reg', name, shape, loc, (s, l) => {
      if (opts.resetless) {
        if (opts.reset !== undefined) throw new ElabError(`register '${name}' is resetless but has a reset value`, loc);
        s.reset = null;
        s.init = opts.init === undefined ? 0n : fieldInit(opts.init, l, s, loc);
      } else {
        if (opts.init !== undefined) throw new ElabError(`register '${name}': use reset (not init) unless resetless`, loc);
        s.reset = opts.reset === undefined ? 0n : fieldInit(opts.reset, l, s, loc);
        s.init = s.reset;
      }
      s.enable = en;
    });
  }

  private port(dir: 'input' | 'output', name: string, shape: ShapeLike | Layout<any>, loc: SourceLoc): Signal | object {
    const signals: Signal[] = [];
    const value = this.declare(dir, name, shape, loc, (s) => signals.push(s));
    this.ports.push({ name, dir, layout: shape instanceof Layout ? shape : undefined, value, signals });
    return value;
  }

  /** Creates a signal, or one signal per field (named name_field) for a layout. */
  private declare(
    kind: SignalKind,
    name: string,
    shape: ShapeLike | Layout<any>,
    loc: SourceLoc,
    each: (s: Signal, field: FieldPos) => void,
    pos: FieldPos = { offset: 0, path: [], total: 0 },
  ): Signal | object {
    if (shape instanceof Layout) {
      const obj: Record<string, unknown> = {};
      const total = pos.path.length === 0 ? shape.width : pos.total;
      for (const f of shape.entries) {
        const sub = { offset: pos.offset + f.offset, path: [...pos.path, f.name], total };
        obj[f.name] = this.declare(kind, `${name}_${f.name}`, f.spec, loc, each, sub);
      }
      return tagBundle(obj, shape);
    }
    this.claimName(name, loc);
    const s = new Signal(this, name, kind, toShape(shape, loc), loc);
    this.signals.push(s);
    each(s, pos);
    return s;
  }

  /** Reserve a name in this module's namespace (signals, memories, instances). */
  claimName(name: string, loc: SourceLoc): void {
    checkIdent(name, 'signal', loc);
    if (RESERVED.has(name)) throw new ElabError(`'${name}' is reserved for the clock domain`, loc);
    const prev = this.names.get(name);
    if (prev) throw new ElabError(`name '${name}' is already used in module '${this.name}'`, loc, [prev]);
    this.names.set(name, loc);
  }

  /** Internal: a signal created by a memory or an instance. */
  internalSignal(kind: SignalKind, name: string, shape: Shape, loc: SourceLoc): Signal {
    this.claimName(name, loc);
    const s = new Signal(this, name, kind, shape, loc);
    this.signals.push(s);
    return s;
  }

  // ---- statements --------------------------------------------------------
  /** Combinational assignment to a wire or output (or a bundle of them). */
  comb(target: Assignable, value: AssignValue): void {
    this.assign('comb', target, value, captureLoc());
  }
  /** Synchronous assignment: the register loads `value` at the next clock edge. */
  sync(target: Assignable, value: AssignValue): void {
    this.assign('sync', target, value, captureLoc());
  }

  private assign(domain: 'comb' | 'sync', target: Assignable, value: AssignValue, loc: SourceLoc): void {
    const tl = layoutOf(target);
    if (tl) {
      const vl = layoutOf(value);
      let fields: Record<string, unknown>;
      if (value instanceof Expr) fields = tl.unpack(value) as Record<string, unknown>;
      else if (vl) fields = value as Record<string, unknown>;
      else throw new ElabError('assigning a non-bundle value to a bundle', loc);
      for (const f of tl.entries) {
        const v = fields[f.name];
        if (v === undefined) throw new ElabError(`bundle value has no field '${f.name}'`, loc);
        this.assign(domain, (target as Record<string, Assignable>)[f.name]!, v as AssignValue, loc);
      }
      return;
    }
    if (!(target instanceof Signal)) throw new ElabError('assignment target must be a signal or a bundle of signals', loc);
    if (target.owner !== this) {
      throw new ElabError(`signal '${target.name}' belongs to module '${target.owner.name}', not '${this.name}'`, loc);
    }
    if (layoutOf(value)) throw new ElabError(`assigning a bundle to the plain signal '${target.name}'; use bits()`, loc);
    const kindOk =
      domain === 'sync' ? target.kind === 'reg' : target.kind === 'wire' || target.kind === 'output' || target.kind === 'instout';
    if (!kindOk) {
      const what = { input: 'input port', rst: 'reset', memdata: 'memory read data', instout: 'instance output', reg: 'register', wire: 'wire', output: 'output' }[target.kind];
      const hint =
        target.kind === 'reg' ? '; registers are assigned with m.sync' : domain === 'sync' ? '; only registers (m.reg) take m.sync' : '';
      throw new ElabError(`cannot ${domain}-assign ${what} '${target.name}'${hint}`, loc);
    }
    const v = toExpr(value as ExprLike, target, loc);
    this.checkOwned(v, loc);
    if (v.width > target.width) {
      throw new ElabError(
        `width mismatch: assigning a ${v.width}-bit value to the ${target.width}-bit signal '${target.name}' (no implicit truncation; use .trunc() or .slice())`,
        loc,
      );
    }
    this.current().push({ kind: 'assign', target, value: extendTo(v, target.width, loc), loc });
  }

  /** m.If(c, () => {...}).Elif(c2, () => {...}).Else(() => {...}) */
  If(cond: ExprLike, body: () => void): IfChain {
    const loc = captureLoc();
    const stmt: IfStmt = { kind: 'if', branches: [], loc };
    const list = this.current();
    list.push(stmt);
    const chain = new IfChain(this, stmt, list);
    chain.addBranch(cond, body, loc);
    return chain;
  }

  /** m.Switch(sel).Case(1, () => ...).Case([2, 3], () => ...).Case('1--0', () => ...).Default(() => ...)
   *  or m.Switch(sel, { 1: () => ..., 2: () => ... }, () => default). First matching case wins. */
  Switch(sel: Expr, cases?: Record<string | number, () => void>, dflt?: () => void): SwitchChain {
    const loc = captureLoc();
    this.checkOwned(sel, loc);
    const stmt: IfStmt = { kind: 'if', branches: [], loc };
    const list = this.current();
    list.push(stmt);
    const sw = new SwitchChain(this, sel, stmt, list);
    if (cases) for (const [k, body] of Object.entries(cases)) sw.Case(parseCaseKey(k), body);
    if (dflt) sw.Default(dflt);
    return sw;
  }

  /** Runs `body` with statements collected into `list` (used by If/Switch). */
  collect(list: Stmt[], body: () => void): void {
    this.stack.push(list);
    try {
      body();
    } finally {
      this.stack.pop();
    }
  }

  /** Whether statements are currently being added inside an If/Switch body. */
  get inConditional(): boolean {
    return this.stack.length > 1;
  }

  private current(): Stmt[] {
    return this.stack[this.stack.length - 1]!;
  }

  /** Every signal in `e` must belong to this module (ports cross hierarchy). */
  checkOwned(e: Expr, loc: SourceLoc): void {
    const seen = new Set<Expr>();
    const walk = (x: Expr): void => {
      if (seen.has(x)) return;
      seen.add(x);
      if (x instanceof Signal) {
        if (x.owner !== this) {
          throw new ElabError(
            `signal '${x.name}' of module '${x.owner.name}' used in module '${this.name}'; connect it through a port`,
            loc,
            [x.loc],
          );
        }
        return;
      }
      for (const a of x.args) walk(a);
    };
    walk(e);
  }

  // ---- memories and hierarchy -------------------------------------------
  memory(name: string, opts: MemoryOptions): Memory {
    const loc = captureLoc();
    this.claimName(name, loc);
    const mem = new Memory(this, name, opts, loc);
    if (mem.spram) this.addFinalizer(() => buildSpram(this, mem));
    this.memories.push(mem);
    return mem;
  }

  /** Instantiate a sub-module or a vendor primitive. `ports` maps port names
   *  to expressions (inputs) or to this module's wires/outputs (outputs).
   *  Unconnected outputs are reachable as inst.o.<port>. */
  instance(name: string, target: Module | Primitive, ports: PortConnections = {}, opts: { rst?: ExprLike } = {}): Instance {
    const loc = captureLoc();
    this.claimName(name, loc);
    if (target === this) throw new ElabError(`module '${this.name}' cannot instantiate itself`, loc);
    const inst = new Instance(this, name, target, ports, opts, loc);
    this.instances.push(inst);
    return inst;
  }

  /** Look up a port by name (throws a located error if it does not exist). */
  portByName(name: string, loc: SourceLoc = captureLoc()): PortDecl {
    const p = this.ports.find((x) => x.name === name);
    if (!p) {
      const known = this.ports.map((x) => x.name).join(', ');
      throw new ElabError(`module '${this.name}' has no port '${name}' (ports: ${known || 'none'})`, loc);
    }
    return p;
  }
}

export class IfChain {
  private closed = false;
  constructor(
    private readonly m: Module,
    private readonly stmt: IfStmt,
    private readonly list: Stmt[],
  ) {}

  addBranch(cond: ExprLike | null, body: () => void, loc: SourceLoc): void {
    if (this.closed) throw new ElabError('Elif/Else after Else', loc);
    if (this.list[this.list.length - 1] !== this.stmt) {
      throw new ElabError('Elif/Else must directly follow its If (other statements came in between)', loc);
    }
    let c: Expr | null = null;
    if (cond !== null) {
      c = toBool(cond, loc);
      this.m.checkOwned(c, loc);
    } else this.closed = true;
    const br: Branch = { cond: c, body: [], loc };
    this.stmt.branches.push(br);
    this.m.collect(br.body, body);
  }

  Elif(cond: ExprLike, body: () => void): IfChain {
    this.addBranch(cond, body, captureLoc());
    return this;
  }
  Else(body: () => void): void {
    this.addBranch(null, body, captureLoc());
  }
}

export type CaseValue = number | bigint | string;

export class SwitchChain {
  private closed = false;
  constructor(
    private readonly m: Module,
    private readonly sel: Expr,
    private readonly stmt: IfStmt,
    private readonly list: Stmt[],
  ) {}

  /** One value, a list of values, or a bit pattern string like '10-1' ('-' or '?' = don't care). */
  Case(values: CaseValue | CaseValue[], body: () => void): SwitchChain {
    const loc = captureLoc();
    if (this.closed) throw new ElabError('Case after Default', loc);
    if (this.list[this.list.length - 1] !== this.stmt) {
      throw new ElabError('Case must directly follow its Switch', loc);
    }
    const vals = Array.isArray(values) ? values : [values];
    if (vals.length === 0) throw new ElabError('Case needs at least one value', loc);
    let cond: Expr | undefined;
    for (const v of vals) {
      const c = caseMatch(this.sel, v, loc);
      cond = cond ? cond.or(c) : c;
    }
    const br: Branch = { cond: cond!, body: [], loc };
    this.stmt.branches.push(br);
    this.m.collect(br.body, body);
    return this;
  }

  Default(body: () => void): void {
    const loc = captureLoc();
    if (this.closed) throw new ElabError('two Defaults in one Switch', loc);
    if (this.list[this.list.length - 1] !== this.stmt) throw new ElabError('Default must directly follow its Switch', loc);
    this.closed = true;
    const br: Branch = { cond: null, body: [], loc };
    this.stmt.branches.push(br);
    this.m.collect(br.body, body);
  }
}

function caseMatch(sel: Expr, v: CaseValue, loc: SourceLoc): Expr {
  // Strings are always bit patterns (MSB first, optional 0b prefix and _).
  if (typeof v === 'string') {
    let pat = v.replace(/_/g, '');
    if (pat.startsWith('0b')) pat = pat.slice(2);
    if (!/^[01?-]+$/.test(pat)) throw new ElabError(`bad case pattern '${v}' (use 0, 1, - or ?)`, loc);
    if (pat.length !== sel.width) {
      throw new ElabError(`case pattern '${v}' has ${pat.length} bits but the selector has ${sel.width}`, loc);
    }
    let care = 0n;
    let val = 0n;
    for (const ch of pat) {
      care = (care << 1n) | (ch === '0' || ch === '1' ? 1n : 0n);
      val = (val << 1n) | (ch === '1' ? 1n : 0n);
    }
    const s = sel.asUnsigned();
    if (care === 0n) return C(1, 1);
    return s.and(C(sel.width, care)).eq(C(sel.width, val));
  }
  return sel.eq(toExprStrict(v, sel, loc));
}

function toExprStrict(n: number | bigint, sel: Expr, loc: SourceLoc): Expr {
  return toExpr(n, sel, loc, true);
}

/** Object keys: decimal or 0x.. numbers are values, anything else a pattern. */
function parseCaseKey(k: string): CaseValue {
  return /^-?\d+$/.test(k) || /^0x[0-9a-fA-F]+$/i.test(k) ? BigInt(k) : k;
}

/** Position of a (possibly nested) bundle field, to find its init value. */
interface FieldPos {
  offset: number;
  path: string[];
  /** Width of the whole bundle (0 for plain signals). */
  total: number;
}

function fieldInit(v: number | bigint | BundleInit<any>, pos: FieldPos, s: Signal, loc: SourceLoc): bigint {
  if (typeof v === 'number' || typeof v === 'bigint') {
    if (pos.path.length === 0) return toBits(v, s.width, loc, 'reset value');
    // A plain number for a bundle is its packed value.
    const whole = toBits(v, pos.total, loc, 'reset value');
    return (whole >> BigInt(pos.offset)) & ((1n << BigInt(s.width)) - 1n);
  }
  let cur: unknown = v;
  for (const key of pos.path) {
    if (cur === undefined || typeof cur !== 'object') return 0n;
    cur = (cur as Record<string, unknown>)[key];
  }
  if (cur === undefined) return 0n;
  if (typeof cur !== 'number' && typeof cur !== 'bigint') {
    throw new ElabError(`init value for field '${pos.path.join('.')}' must be a number`, loc);
  }
  return toBits(cur, s.width, loc, 'reset value');
}

function checkIdent(name: string, what: string, loc: SourceLoc): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ElabError(`bad ${what} name '${name}' (letters, digits, _)`, loc);
}

export type { BundleOf, BundleValue };
