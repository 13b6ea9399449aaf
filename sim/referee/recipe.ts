// A random design as plain data (JSON-serialisable) so it can be printed,
// stored, shrunk and rebuilt. Values are referenced by index. Sources
// (inputs, constants, registers, memory read data) may be referenced from
// anywhere; combinational values only from later combinational values, so a
// recipe can never contain a combinational loop.

export type Ref = number;

export type BinOp = 'add' | 'sub' | 'mul' | 'and' | 'or' | 'xor';
export type UnOp = 'not' | 'neg' | 'any' | 'all' | 'xorReduce';
export type ShiftOp = 'shl' | 'shr' | 'sar';
export type CmpOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'ltS' | 'leS' | 'gtS' | 'geS' | 'ltU' | 'leU' | 'gtU' | 'geU';
export type SizeOp = 'zext' | 'sext' | 'ext' | 'trunc' | 'asSigned' | 'asUnsigned';

export type GStmt =
  | { k: 'set'; v: Ref }
  | { k: 'if'; br: { c: Ref | null; body: GStmt[] }[] }
  | { k: 'sw'; sel: Ref; cases: { vals: string[]; body: GStmt[] }[]; dflt?: GStmt[] };

export type ValueNode =
  | { k: 'in'; w: number; s: boolean }
  | { k: 'const'; w: number; s: boolean; v: string }
  | { k: 'bin'; op: BinOp; a: Ref; b: Ref }
  | { k: 'mulw'; a: Ref; b: Ref }
  | { k: 'un'; op: UnOp; a: Ref }
  | { k: 'shc'; op: ShiftOp; a: Ref; n: number }
  | { k: 'shv'; op: ShiftOp; a: Ref; b: Ref }
  | { k: 'cmp'; op: CmpOp; a: Ref; b: Ref }
  | { k: 'mux'; s: Ref; a: Ref; b: Ref }
  | { k: 'cat'; parts: Ref[] }
  | { k: 'slice'; a: Ref; hi: number; lo: number }
  | { k: 'size'; op: SizeOp; a: Ref; w: number }
  | { k: 'repl'; a: Ref; n: number }
  | { k: 'wire'; w: number; s: boolean; dflt: string | null; body: GStmt[] }
  | { k: 'reg'; w: number; s: boolean; reset: string | null; init: string; en: Ref | null; body: GStmt[] }
  | { k: 'memrd'; mem: number; addr: Ref; en: Ref | null }
  | { k: 'instout'; inst: number; port: number }
  | { k: 'mac'; a: Ref; b: Ref; signed: boolean };

export interface MemNode {
  w: number;
  depth: number;
  gran: number;
  init: string[];
  writes: { addr: Ref; data: Ref; en: Ref; be: Ref | null }[];
}

export interface InstNode {
  child: Recipe;
  /** Value connected to each child input, in child input order. */
  ins: Ref[];
}

export interface Recipe {
  values: ValueNode[];
  mems: MemNode[];
  insts: InstNode[];
  outputs: Ref[];
}

/** Is this value a source (may be referenced from anywhere)? */
export function isSource(v: ValueNode): boolean {
  return v.k === 'in' || v.k === 'const' || v.k === 'reg' || v.k === 'memrd';
}

/** The operand refs of an operator node (none for sources, wires and instance outputs). */
export function operatorRefs(v: ValueNode): Ref[] {
  switch (v.k) {
    case 'bin':
    case 'mulw':
    case 'cmp':
    case 'shv':
    case 'mac':
      return [v.a, v.b];
    case 'un':
    case 'shc':
    case 'slice':
    case 'size':
    case 'repl':
      return [v.a];
    case 'mux':
      return [v.s, v.a, v.b];
    case 'cat':
      return v.parts;
    default:
      return [];
  }
}

export function stmtRefs(body: GStmt[]): Ref[] {
  const out: Ref[] = [];
  const walk = (s: GStmt): void => {
    if (s.k === 'set') out.push(s.v);
    else if (s.k === 'if') {
      for (const b of s.br) {
        if (b.c !== null) out.push(b.c);
        b.body.forEach(walk);
      }
    } else {
      out.push(s.sel);
      for (const c of s.cases) c.body.forEach(walk);
      s.dflt?.forEach(walk);
    }
  };
  body.forEach(walk);
  return out;
}
