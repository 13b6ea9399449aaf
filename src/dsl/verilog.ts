// Verilog-2005 back end. Reads only the IR. Produces one Verilog module per
// IR module (children first), with user names preserved, explicit widths on
// every literal, and full parenthesisation. Single-use temporaries are inlined
// into the expression that reads them; everything else is a named wire/reg.
//
// Lint: the output must pass `verilator --lint-only -Wall` without pragmas.
// Bits that nothing reads are gathered into one `unused_ok` reduction, the
// idiom Verilator documents (its default --unused-regexp is "*unused*").

import type { Cell, DesignIR, ModuleIR, NetId } from './ir.ts';
import { addrWidth, driverIndex } from './ir.ts';
import type { Module } from './module.ts';
import { compileDesign, type PassOptions } from './passes/index.ts';

export interface VerilogOptions extends PassOptions {
  /** Text placed in a comment at the top of the file. */
  header?: string;
}

export function toVerilog(top: Module, opts: VerilogOptions = {}): string {
  return emitVerilog(compileDesign(top, opts), opts);
}

export function emitVerilog(d: DesignIR, opts: { header?: string } = {}): string {
  const clocked = new Map<ModuleIR, boolean>();
  const parts: string[] = [];
  if (opts.header) parts.push(opts.header.split('\n').map((l) => `// ${l}`).join('\n') + '\n');
  for (const m of d.modules) {
    clocked.set(m, needsClock(m, clocked));
    parts.push(new ModuleEmitter(m, clocked).emit());
  }
  return parts.join('\n');
}

/** Modules (of a design) that get a clk port. */
export function clockedModules(d: DesignIR): Set<ModuleIR> {
  const known = new Map<ModuleIR, boolean>();
  for (const m of d.modules) known.set(m, needsClock(m, known));
  return new Set([...known].filter(([, v]) => v).map(([m]) => m));
}

/** One Verilog text per module (module order), e.g. for one file per module. */
export function emitModuleTexts(d: DesignIR): { name: string; text: string }[] {
  const clocked = new Map<ModuleIR, boolean>();
  return d.modules.map((m) => {
    clocked.set(m, needsClock(m, clocked));
    return { name: m.name, text: new ModuleEmitter(m, clocked).emit() };
  });
}

/** Does the module need a clk input port? (Not when it makes its own clock.) */
function needsClock(m: ModuleIR, known: Map<ModuleIR, boolean>): boolean {
  if (m.clock !== undefined) return false;
  return usesClock(m, known);
}

function usesClock(m: ModuleIR, known: Map<ModuleIR, boolean>): boolean {
  return m.cells.some((c) => {
    if (c.kind === 'dff' || c.kind === 'memrd' || c.kind === 'memwr') return true;
    if (c.kind !== 'inst') return false;
    const t = c.inst!;
    return t.kind === 'module' ? known.get(t.module)! : t.prim.ports.some((p) => p.clock);
  });
}

export function literal(width: number, value: bigint): string {
  if (width === 1) return value ? "1'b1" : "1'b0";
  return `${width}'h${value.toString(16)}`;
}

/** Cells whose operand must be a plain identifier in Verilog. */
const NEEDS_IDENT = new Set(['slice', 'sext']);

class ModuleEmitter {
  private readonly names: string[];
  private readonly driver: Int32Array;
  private readonly inline: Uint8Array;
  private readonly lines: string[] = [];
  /** Bits of each net that the emitted text reads (for the unused sink). */
  private readonly used: bigint[];

  constructor(
    private readonly m: ModuleIR,
    private readonly clocked: Map<ModuleIR, boolean>,
  ) {
    this.names = m.vnames ?? m.nets.map((n, i) => n.name ?? `n${i}`);
    this.driver = driverIndex(m);
    this.inline = this.chooseInline();
    this.used = m.nets.map(() => 0n);
  }

  private readonly taken = new Set<string>();

  /** A new identifier that clashes with no net, memory or instance name. */
  private fresh(base: string): string {
    if (this.taken.size === 0) {
      for (const n of this.names) this.taken.add(n);
      for (const mem of this.m.mems) this.taken.add(mem.vname ?? mem.name);
      for (const c of this.m.cells) if (c.vname) this.taken.add(c.vname);
    }
    let name = base;
    for (let i = 1; this.taken.has(name); i++) name = `${base}_${i}`;
    this.taken.add(name);
    return name;
  }

  private markUse(n: NetId, lo = 0, w = this.w(n)): void {
    this.used[n] = this.used[n]! | ((((1n << BigInt(w)) - 1n) << BigInt(lo)));
  }

  /** The identifier of a declared net, recorded as read. */
  private name(n: NetId): string {
    this.markUse(n);
    return this.names[n]!;
  }

  /** A net is inlined when it is a constant, or an unnamed single-use
   *  combinational temporary whose reader accepts an expression. */
  private chooseInline(): Uint8Array {
    const { m } = this;
    const uses = new Int32Array(m.nets.length);
    const identUse = new Uint8Array(m.nets.length);
    for (const c of m.cells) {
      c.ins.forEach((n) => {
        uses[n]!++;
        if (NEEDS_IDENT.has(c.kind)) identUse[n] = 1;
      });
      // Byte-lane writes part-select data and be.
      if (c.kind === 'memwr') identUse[c.ins[1]!] = identUse[c.ins[3]!] = 1;
      // Wide shift amounts are split into saturation and low bits.
      if ((c.kind === 'shl' || c.kind === 'shr' || c.kind === 'sar') && m.nets[c.ins[1]!]!.width > 32) identUse[c.ins[1]!] = 1;
    }
    for (const p of m.outputs) {
      uses[p.net]!++;
      identUse[p.net] = 1;
    }
    const inl = new Uint8Array(m.nets.length);
    m.nets.forEach((n, i) => {
      const d = this.driver[i]!;
      if (d < 0 || identUse[i]) return;
      const c = m.cells[d]!;
      if (c.kind === 'const') inl[i] = 1;
      else if (n.name === undefined && uses[i] === 1 && isComb(c)) inl[i] = 1;
    });
    return inl;
  }

  emit(): string {
    const { m } = this;
    const clk = this.clocked.get(m)!;
    const ports: string[] = [];
    if (clk) ports.push('input wire clk');
    const regDriven = (n: NetId): boolean => {
      const d = this.driver[n]!;
      return d >= 0 && (m.cells[d]!.kind === 'dff' || m.cells[d]!.kind === 'memrd');
    };
    for (const p of m.inputs) ports.push(`input wire ${range(m.nets[p.net]!.width)}${this.names[p.net]}`);
    for (const p of m.outputs) {
      ports.push(`output ${regDriven(p.net) ? 'reg' : 'wire'} ${range(m.nets[p.net]!.width)}${this.names[p.net]}`);
    }
    const L = this.lines;
    L.push(`// ${m.name}${m.loc ? ` (${m.loc.toString()})` : ''}`);
    L.push(`module ${m.name} (`);
    L.push(ports.map((p) => `  ${p}`).join(',\n'));
    L.push(');');

    const portNets = new Set([...m.inputs, ...m.outputs].map((p) => p.net));
    // Declarations.
    const decls: string[] = [];
    if (m.clock !== undefined) decls.push(`  wire clk = ${this.ref(m.clock)};`);
    m.nets.forEach((n, i) => {
      if (portNets.has(i) || this.inline[i] || this.driver[i]! < 0) return;
      decls.push(`  ${regDriven(i) ? 'reg' : 'wire'} ${range(n.width)}${this.names[i]};`);
    });
    for (const mem of m.mems) {
      // no_rw_check: yosys then maps the port straight to block RAM instead
      // of adding logic that reproduces the old word on a collision.
      const attr = mem.readDuringWrite === 'undefined' ? '(* no_rw_check *) ' : '';
      decls.push(`  ${attr}reg ${range(mem.width)}${mem.vname} [0:${mem.depth - 1}];`);
    }
    if (decls.length) L.push('', ...decls);

    // Combinational assigns in cell order.
    const assigns: string[] = [];
    m.cells.forEach((c) => {
      if (!isComb(c)) return;
      const o = c.outs[0]!;
      if (this.inline[o]) return;
      assigns.push(`  assign ${this.names[o]} = ${this.cellExpr(c)};`);
    });
    if (assigns.length) L.push('', ...assigns);

    for (const c of m.cells) if (c.kind === 'dff') this.emitDff(c);
    m.mems.forEach((_, i) => this.emitMemory(i));
    for (const c of m.cells) if (c.kind === 'inst') this.emitInst(c);
    this.emitUnused();
    L.push('endmodule', '');
    return L.join('\n');
  }

  // ---- expressions ---------------------------------------------------------
  private ref(n: NetId): string {
    if (this.inline[n]) return this.cellExpr(this.m.cells[this.driver[n]!]!);
    return this.name(n);
  }

  private w(n: NetId): number {
    return this.m.nets[n]!.width;
  }

  private bitOf(n: NetId, i: number): string {
    this.markUse(n, i, 1);
    return this.w(n) === 1 ? this.names[n]! : `${this.names[n]}[${i}]`;
  }

  private cellExpr(c: Cell): string {
    const a = (): string => this.ref(c.ins[0]!);
    const b = (): string => this.ref(c.ins[1]!);
    const bin = (op: string): string => `(${a()} ${op} ${b()})`;
    switch (c.kind) {
      case 'const':
        return literal(this.w(c.outs[0]!), c.value!);
      case 'buf':
        return a();
      case 'add':
        return bin('+');
      case 'sub':
        return bin('-');
      case 'mul':
        return bin('*');
      case 'and':
        return bin('&');
      case 'or':
        return bin('|');
      case 'xor':
        return bin('^');
      case 'not':
        return `(~${a()})`;
      case 'neg':
        return `(-${a()})`;
      case 'shl':
        return `(${a()} << ${this.shiftAmount(c)})`;
      case 'shr':
        return `(${a()} >> ${this.shiftAmount(c)})`;
      case 'sar':
        // $unsigned() makes the signed shift self-determined so an unsigned
        // outer context cannot turn it into a logical shift.
        return `$unsigned(($signed(${a()}) >>> ${this.shiftAmount(c)}))`;
      case 'eq':
        return bin('==');
      case 'ne':
        return bin('!=');
      case 'lt':
      case 'le': {
        if (this.w(c.ins[0]!) === 1) {
          // 1-bit compares as logic: Verilator's range lint misfires on them.
          // Unsigned values are 0/1, signed ones 0/-1 (so the order flips).
          const [x, y] = c.signed ? [b(), a()] : [a(), b()];
          return c.kind === 'lt' ? `((~${x}) & ${y})` : `((~${x}) | ${y})`;
        }
        const op = c.kind === 'lt' ? '<' : '<=';
        return c.signed ? `($signed(${a()}) ${op} $signed(${b()}))` : bin(op);
      }
      case 'redand':
        return `(&${a()})`;
      case 'redor':
        return `(|${a()})`;
      case 'redxor':
        return `(^${a()})`;
      case 'mux':
        return `(${this.ref(c.ins[0]!)} ? ${this.ref(c.ins[2]!)} : ${this.ref(c.ins[1]!)})`;
      case 'cat': {
        if (c.ins.every((x) => x === c.ins[0])) return `{${c.ins.length}{${a()}}}`;
        return `{${c.ins.map((x) => this.ref(x)).join(', ')}}`;
      }
      case 'slice': {
        const src = c.ins[0]!;
        const ow = this.w(c.outs[0]!);
        this.markUse(src, c.lo!, ow);
        if (this.w(src) === 1) return this.names[src]!;
        if (ow === 1) return `${this.names[src]}[${c.lo}]`;
        return `${this.names[src]}[${c.lo! + ow - 1}:${c.lo}]`;
      }
      case 'zext': {
        const pad = this.w(c.outs[0]!) - this.w(c.ins[0]!);
        return `{${literal(pad, 0n)}, ${a()}}`;
      }
      case 'sext': {
        const src = c.ins[0]!;
        const pad = this.w(c.outs[0]!) - this.w(src);
        return `{{${pad}{${this.bitOf(src, this.w(src) - 1)}}}, ${this.name(src)}}`;
      }
      default:
        throw new Error(`verilog: ${c.kind} is not an expression`);
    }
  }

  /** Constant shift amounts are clamped to the width (same result), since
   *  Verilator rejects constant shift amounts of 2^32 and more. */
  private shiftAmount(c: Cell): string {
    const n = c.ins[1]!;
    const d = this.driver[n]!;
    if (d >= 0 && this.m.cells[d]!.kind === 'const') {
      const w = this.w(c.outs[0]!);
      const v = this.m.cells[d]!.value! > BigInt(w) ? BigInt(w) : this.m.cells[d]!.value!;
      return literal(Math.max(1, v.toString(2).length), v);
    }
    const aw = this.w(n);
    if (aw > 32) {
      // Verilator rejects shift amounts it can prove to be >= 2^32 (constants
      // propagate across module boundaries), so saturate wide amounts here.
      const nm = this.name(n);
      return `((|${nm}[${aw - 1}:32]) ? 32'hffffffff : ${nm}[31:0])`;
    }
    return this.ref(n);
  }

  // ---- sequential logic ----------------------------------------------------
  private isConst(n: NetId, v: bigint): boolean {
    const d = this.driver[n]!;
    return d >= 0 && this.m.cells[d]!.kind === 'const' && this.m.cells[d]!.value === v;
  }

  private emitDff(c: Cell): void {
    const q = c.outs[0]!;
    const qn = this.names[q]!;
    const wq = this.w(q);
    const L = this.lines;
    L.push('', `  initial ${qn} = ${literal(wq, c.init ?? 0n)};`);
    const hasRst = c.ins.length === 3;
    const enOff = this.isConst(c.ins[1]!, 0n);
    if (enOff && !hasRst) return;
    const load = (): string => `${qn} <= ${this.ref(c.ins[0]!)};`;
    const en = this.isConst(c.ins[1]!, 1n) || enOff ? undefined : this.ref(c.ins[1]!);
    L.push('  always @(posedge clk) begin');
    if (hasRst) {
      L.push(`    if (${this.ref(c.ins[2]!)}) ${qn} <= ${literal(wq, c.reset!)};`);
      if (!enOff) L.push(en ? `    else if (${en}) ${load()}` : `    else ${load()}`);
    } else {
      L.push(en ? `    if (${en}) ${load()}` : `    ${load()}`);
    }
    L.push('  end');
  }

  private emitMemory(idx: number): void {
    const { m } = this;
    const mem = m.mems[idx]!;
    const mv = mem.vname!;
    const aw = addrWidth(mem.depth);
    const pow2 = mem.depth === 2 ** aw;
    const L = this.lines;
    // Power-up contents: zero, then the init words (X-free simulation; yosys
    // turns this into BRAM initialisation).
    L.push('', `  integer ${mv}_i;`, '  initial begin');
    L.push(`    for (${mv}_i = 0; ${mv}_i < ${mem.depth}; ${mv}_i = ${mv}_i + 1) ${mv}[${mv}_i[${aw - 1}:0]] = ${literal(mem.width, 0n)};`);
    mem.init.forEach((v, i) => {
      if (v !== 0n) L.push(`    ${mv}[${literal(aw, BigInt(i))}] = ${literal(mem.width, v)};`);
    });
    L.push('  end');
    const constAddr = (n: NetId): bigint | undefined => {
      const d = this.driver[n]!;
      return d >= 0 && m.cells[d]!.kind === 'const' ? m.cells[d]!.value : undefined;
    };
    // Non-power-of-two depth: reads past the end give 0, writes are dropped.
    // The check is the borrow of addr - depth rather than a `<`, which
    // Verilator's range lint flags whenever it can bound the address.
    const inRange = (addr: string): string | undefined => {
      if (pow2) return undefined;
      const w = this.fresh(`${mv}_in_range`);
      const rest = this.fresh(`${w}_unused`);
      L.push(`  wire ${w};`, `  wire ${range(aw)}${rest};`);
      L.push(`  assign {${w}, ${rest}} = {1'b0, ${addr}} - ${literal(aw + 1, BigInt(mem.depth))};`);
      return w;
    };
    for (const c of m.cells) {
      if (c.kind !== 'memrd' || c.mem !== idx) continue;
      const data = this.names[c.outs[0]!]!;
      const addr = this.ref(c.ins[0]!);
      const ca = constAddr(c.ins[0]!);
      // Constant addresses are checked here: Verilator rejects a constant
      // out-of-range index even behind a guard.
      const guard = ca === undefined ? inRange(addr) : undefined;
      const zero = literal(mem.width, 0n);
      const val = ca !== undefined && ca >= BigInt(mem.depth) ? zero : guard ? `(${guard} ? ${mv}[${addr}] : ${zero})` : `${mv}[${addr}]`;
      L.push(`  initial ${data} = ${literal(mem.width, 0n)};`);
      L.push('  always @(posedge clk) begin');
      L.push(this.isConst(c.ins[1]!, 1n) ? `    ${data} <= ${val};` : `    if (${this.ref(c.ins[1]!)}) ${data} <= ${val};`);
      L.push('  end');
    }
    const writers = m.cells.filter((c) => c.kind === 'memwr' && c.mem === idx);
    if (writers.length === 0) return;
    // All write ports of one memory in one block, in port order, so the last
    // port wins on an address collision in every simulator.
    const guards = writers.map((c) => (constAddr(c.ins[0]!) === undefined ? inRange(this.ref(c.ins[0]!)) : undefined));
    L.push('  always @(posedge clk) begin');
    for (const [wi, c] of writers.entries()) {
      const [addrN, dataN, enN, beN] = c.ins as [NetId, NetId, NetId, NetId];
      const addr = this.ref(addrN);
      const ca = constAddr(addrN);
      if (ca !== undefined && ca >= BigInt(mem.depth)) continue;
      const guard = guards[wi];
      const lanes = mem.width / mem.granularity;
      const g = mem.granularity;
      const allLanes = this.isConst(beN, (1n << BigInt(lanes)) - 1n);
      // A single lane: its enable bit simply joins the write condition.
      const oneLane = lanes === 1 && !allLanes ? this.ref(beN) : undefined;
      const cond = [this.isConst(enN, 1n) ? undefined : this.ref(enN), oneLane, guard].filter(Boolean).join(' && ');
      const body: string[] = [];
      if (lanes === 1 || allLanes) {
        body.push(`${mv}[${addr}] <= ${this.ref(dataN)};`);
      } else {
        const dataName = this.name(dataN);
        const beName = this.name(beN);
        for (let i = 0; i < lanes; i++) {
          const sel = `${dataName}[${i * g + g - 1}:${i * g}]`;
          body.push(`if (${beName}[${i}]) ${mv}[${addr}][${i * g + g - 1}:${i * g}] <= ${g === 1 ? `${dataName}[${i}]` : sel};`);
        }
      }
      if (cond) {
        L.push(`    if (${cond}) begin`);
        for (const s of body) L.push(`      ${s}`);
        L.push('    end');
      } else for (const s of body) L.push(`    ${s}`);
    }
    L.push('  end');
  }

  private emitInst(c: Cell): void {
    const t = c.inst!;
    const L = this.lines;
    const conns: string[] = [];
    let type: string;
    let params: string[] = [];
    if (t.kind === 'module') {
      type = t.module.name;
      if (this.clocked.get(t.module)) conns.push('.clk(clk)');
    } else {
      type = t.prim.type;
      for (const p of t.prim.ports) if (p.clock) conns.push(`.${p.name}(clk)`);
      params = Object.entries(t.params).map(([k, v]) => {
        const w = t.prim.paramWidths?.[k];
        const val = typeof v === 'string' ? `"${v}"` : w ? literal(w, BigInt(v)) : String(v);
        return `.${k}(${val})`;
      });
    }
    c.inPorts!.forEach((p, i) => conns.push(`.${p}(${this.ref(c.ins[i]!)})`));
    c.outPorts!.forEach((p, i) => conns.push(`.${p}(${this.names[c.outs[i]!]})`));
    L.push('');
    L.push(params.length ? `  ${type} #(\n${params.map((p) => `    ${p}`).join(',\n')}\n  ) ${c.vname} (` : `  ${type} ${c.vname} (`);
    L.push(conns.map((x) => `    ${x}`).join(',\n'));
    L.push('  );');
  }

  // ---- unused bits -----------------------------------------------------------
  private emitUnused(): void {
    const { m } = this;
    const parts: string[] = [];
    const portIn = new Set(m.inputs.map((p) => p.net));
    const portOut = new Set(m.outputs.map((p) => p.net));
    m.nets.forEach((n, i) => {
      const declared = portIn.has(i) || (this.driver[i]! >= 0 && !this.inline[i]);
      if (!declared || portOut.has(i)) return;
      const full = (1n << BigInt(n.width)) - 1n;
      const u = this.used[i]!;
      if (u === full) return;
      if (u === 0n) {
        parts.push(this.names[i]!);
        return;
      }
      // Emit maximal runs of unread bits.
      for (let b = 0; b < n.width; ) {
        if ((u >> BigInt(b)) & 1n) {
          b++;
          continue;
        }
        let e = b;
        while (e + 1 < n.width && !((u >> BigInt(e + 1)) & 1n)) e++;
        parts.push(e === b ? `${this.names[i]}[${b}]` : `${this.names[i]}[${e}:${b}]`);
        b = e + 1;
      }
    });
    if (parts.length === 0) return;
    this.lines.push('', '  // Bits nothing reads, collected so verilator -Wall sees them as used on purpose.');
    this.lines.push('  wire unused_ok;');
    this.lines.push(`  assign unused_ok = &{1'b0, ${parts.join(', ')}};`);
  }
}

function isComb(c: Cell): boolean {
  return c.kind !== 'dff' && c.kind !== 'memrd' && c.kind !== 'memwr' && c.kind !== 'inst';
}

function range(w: number): string {
  return w === 1 ? '' : `[${w - 1}:0] `;
}
