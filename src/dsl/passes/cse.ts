// Pass: common subexpression elimination. Two combinational cells of the same
// kind, parameters and inputs compute the same value; the later one becomes
// a buffer of the earlier (collapsed afterwards). Decoders written as many
// small comparisons against the same fields shrink a lot.

import { isCombCell, type Cell, type DesignIR, type ModuleIR } from '../ir.ts';
import { levelize } from '../topo.ts';

export function eliminateCommonSubexpressions(d: DesignIR): DesignIR {
  for (const m of d.modules) cseModule(m);
  return d;
}

function key(c: Cell, m: ModuleIR): string | undefined {
  if (!isCombCell(c) || c.kind === 'buf' || c.outs.length !== 1) return undefined;
  const w = m.nets[c.outs[0]!]!.width;
  // Commutative operators: order the inputs.
  const ins = ['add', 'mul', 'and', 'or', 'xor', 'eq', 'ne'].includes(c.kind) ? [...c.ins].sort((a, b) => a - b) : c.ins;
  return `${c.kind}|${w}|${ins.join(',')}|${c.lo ?? ''}|${c.signed ? 1 : 0}|${c.value ?? ''}`;
}

export function cseModule(m: ModuleIR): void {
  const seen = new Map<string, number>();
  // Follow the buffers this pass creates so chains of duplicates merge too.
  const alias = new Map<number, number>();
  const resolve = (n: number): number => alias.get(n) ?? n;
  const { order } = levelize(m);
  for (const i of order) {
    const c = m.cells[i]!;
    c.ins = c.ins.map(resolve);
    const k = key(c, m);
    if (k === undefined) continue;
    const prev = seen.get(k);
    if (prev === undefined) {
      seen.set(k, c.outs[0]!);
      continue;
    }
    c.kind = 'buf';
    c.ins = [prev];
    delete c.lo;
    delete c.signed;
    delete c.value;
    if (m.nets[c.outs[0]!]!.name === undefined) alias.set(c.outs[0]!, prev);
  }
  for (const c of m.cells) c.ins = c.ins.map(resolve);
}
