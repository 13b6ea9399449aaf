// The flat netlist IR that both back ends read.
//
// A module is a list of nets (numbered by position) and cells over them. Every
// net has exactly one driver: a cell output or a module input port (checked by
// passes/drivers.ts). Cells have uniform `ins`/`outs` arrays so generic passes
// (topological sort, dead logic, rewiring) need no per-kind code; the per-kind
// meaning of each slot is documented on CellKind below.
//
// Width contract (checked by passes/widths.ts):
//   add sub mul and or xor   ins [a, b]           all widths equal out
//   not neg                  ins [a]              width equal out
//   shl shr sar              ins [a, amount]      a equals out; amount any width, unsigned
//   eq ne lt le              ins [a, b]           a equals b; out 1 bit; lt/le use `signed`
//   redand redor redxor      ins [a]              out 1 bit
//   mux                      ins [sel, f, t]      sel 1 bit; f, t, out equal (out = sel ? t : f)
//   cat                      ins [msb .. lsb]     out = sum of widths
//   slice                    ins [a]              out = a[lo + w - 1 : lo]
//   zext sext                ins [a]              out wider than a
//   buf                      ins [a]              a equals out
//   const                    ins []               out = value
//   dff                      ins [d, en, rst?]    d equals q; q <= rst ? reset : en ? d : q
//   memrd                    ins [addr, en]       outs [data]; data <= en ? mem[addr] : data (old contents)
//   memwr                    ins [addr, data, en, be]   per lane i: if (en && be[i]) mem[addr].lane(i) <= data.lane(i)
//   inst                     ins per inPorts, outs per outPorts
//
// Clocking: one domain. All dff/memrd/memwr and clocked primitives use the
// implicit clock `clk`; the synchronous reset is an ordinary 1-bit input net.

import type { SourceLoc } from './loc.ts';
import type { ParamValue, PrimitiveDef } from './primitives/types.ts';

export type { ParamValue };

export type NetId = number;

export type NetKind = 'input' | 'output' | 'wire' | 'reg' | 'memdata' | 'rst' | 'temp';

export interface Net {
  width: number;
  signed: boolean;
  /** Hierarchical user name ("u_alu.sum"); undefined for temporaries. */
  name?: string;
  kind: NetKind;
  loc?: SourceLoc;
  /** Other user names merged into this net by buffer collapsing (peekable). */
  aliases?: string[];
}

/**
 * Operators shared by the user-facing expression tree (`signal.ts`) and the
 * netlist: each expression operator lowers to the cell kind of the same name.
 */
export type OperatorKind =
  | 'const' | 'add' | 'sub' | 'mul' | 'and' | 'or' | 'xor' | 'not' | 'neg'
  | 'shl' | 'shr' | 'sar' | 'eq' | 'ne' | 'lt' | 'le'
  | 'redand' | 'redor' | 'redxor' | 'mux' | 'cat' | 'slice' | 'zext' | 'sext';

/** Netlist cells: the operators, plus buffers, state and instances. */
export type CellKind = OperatorKind | 'buf' | 'dff' | 'memrd' | 'memwr' | 'inst';

export const COMB_KINDS: ReadonlySet<CellKind> = new Set<CellKind>([
  'const', 'buf', 'add', 'sub', 'mul', 'and', 'or', 'xor', 'not', 'neg', 'shl', 'shr', 'sar',
  'eq', 'ne', 'lt', 'le', 'redand', 'redor', 'redxor', 'mux', 'cat', 'slice', 'zext', 'sext',
]);

export type InstTarget =
  | { kind: 'module'; module: ModuleIR }
  | { kind: 'prim'; prim: PrimitiveDef; params: Record<string, ParamValue> };

export interface Cell {
  kind: CellKind;
  ins: NetId[];
  outs: NetId[];
  loc?: SourceLoc;
  /** lt/le: signed comparison */
  signed?: boolean;
  /** slice: lowest selected bit */
  lo?: number;
  /** const: value bits (unsigned pattern) */
  value?: bigint;
  /** dff: synchronous reset value, or null for a resetless register */
  reset?: bigint | null;
  /** dff: power-up value (equals reset when there is one) */
  init?: bigint;
  /** memrd/memwr: index into ModuleIR.mems */
  mem?: number;
  /** inst: what is instantiated, instance name and port names */
  inst?: InstTarget;
  name?: string;
  /** inst: Verilog instance identifier (filled by passes/names.ts). */
  vname?: string;
  inPorts?: string[];
  outPorts?: string[];
}

export interface MemoryIR {
  name: string;
  width: number;
  depth: number;
  /** Initial contents; missing entries are zero. */
  init: bigint[];
  /** Bits per byte-enable lane. */
  granularity: number;
  /** Read data on a same-edge write to the read address: the old word, or
   *  don't care (Verilog gets yosys's no_rw_check, the simulator poisons it). */
  readDuringWrite?: 'old' | 'undefined';
  loc?: SourceLoc;
  /** Verilog identifier (filled by passes/names.ts). */
  vname?: string;
}

export interface Port {
  name: string;
  net: NetId;
}

export interface ModuleIR {
  name: string;
  nets: Net[];
  cells: Cell[];
  mems: MemoryIR[];
  inputs: Port[];
  outputs: Port[];
  loc?: SourceLoc;
  /** When set, the domain clock comes from this net (Module.clockFrom)
   *  instead of a `clk` input port. */
  clock?: NetId;
  /** Legal, unique Verilog identifiers per net (filled by passes/names.ts). */
  vnames?: string[];
}

export interface DesignIR {
  top: ModuleIR;
  /** All modules, children before parents; top is last. */
  modules: ModuleIR[];
}

export function addrWidth(depth: number): number {
  return Math.max(1, Math.ceil(Math.log2(depth)));
}

export function newNet(m: ModuleIR, width: number, signed = false, name?: string, kind: NetKind = 'temp', loc?: SourceLoc): NetId {
  m.nets.push({ width, signed, name, kind, loc });
  return m.nets.length - 1;
}

/** Index: net -> the cell (index) driving it; module inputs map to -1, undriven
 *  nets (or ones whose driver `include` leaves out) to -2. Every pass and back
 *  end that asks "who drives this net" uses this one index. */
export function driverIndex(m: ModuleIR, include?: (c: Cell, i: number) => boolean): Int32Array {
  const drv = new Int32Array(m.nets.length).fill(-2);
  for (const p of m.inputs) drv[p.net] = -1;
  m.cells.forEach((c, i) => {
    if (include && !include(c, i)) return;
    for (const o of c.outs) drv[o] = i;
  });
  return drv;
}

/** Does this cell's output depend combinationally on its inputs? */
export function isCombCell(c: Cell): boolean {
  return COMB_KINDS.has(c.kind);
}
