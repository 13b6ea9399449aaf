// Pass: width and sign checks. User-facing width errors (assignment and
// connection mismatches) are raised while building, at the user's line; this
// pass re-checks every cell against the IR width contract (see ir.ts) so a bug
// in lowering or in a later pass can never reach a back end.

import { ElabError } from '../loc.ts';
import { addrWidth, type Cell, type DesignIR, type ModuleIR } from '../ir.ts';

export function checkWidths(d: DesignIR): DesignIR {
  for (const m of d.modules) checkModule(m);
  return d;
}

export function checkModule(m: ModuleIR): void {
  const w = (n: number): number => m.nets[n]!.width;
  for (const c of m.cells) {
    const fail = (why: string): never => {
      throw new ElabError(`width check failed for ${c.kind} in module '${m.name}': ${why}`, c.loc);
    };
    const ins = c.ins.map(w);
    const outs = c.outs.map(w);
    const out = outs[0]!;
    const same = (...xs: number[]): void => {
      if (xs.some((x) => x !== xs[0])) fail(`widths ${xs.join(', ')} must be equal`);
    };
    switch (c.kind) {
      case 'const':
        if (c.value === undefined || c.value < 0n || c.value >> BigInt(out) !== 0n) fail(`value does not fit ${out} bits`);
        break;
      case 'buf':
      case 'not':
      case 'neg':
        same(ins[0]!, out);
        break;
      case 'add':
      case 'sub':
      case 'mul':
      case 'and':
      case 'or':
      case 'xor':
        same(ins[0]!, ins[1]!, out);
        break;
      case 'shl':
      case 'shr':
      case 'sar':
        same(ins[0]!, out);
        break;
      case 'eq':
      case 'ne':
      case 'lt':
      case 'le':
        same(ins[0]!, ins[1]!);
        same(out, 1);
        break;
      case 'redand':
      case 'redor':
      case 'redxor':
        same(out, 1);
        break;
      case 'mux':
        same(ins[0]!, 1);
        same(ins[1]!, ins[2]!, out);
        break;
      case 'cat':
        same(
          ins.reduce((a, b) => a + b, 0),
          out,
        );
        break;
      case 'slice':
        if (c.lo === undefined || c.lo < 0 || c.lo + out > ins[0]!) fail(`slice [${c.lo! + out - 1}:${c.lo}] of ${ins[0]} bits`);
        break;
      case 'zext':
      case 'sext':
        if (out <= ins[0]!) fail(`extension from ${ins[0]} to ${out} bits`);
        break;
      case 'dff':
        same(ins[0]!, out);
        same(ins[1]!, 1);
        if (c.ins.length === 3) same(ins[2]!, 1);
        if ((c.reset === null) !== (c.ins.length === 2)) fail('reset value and reset input disagree');
        break;
      case 'memrd': {
        const mem = m.mems[c.mem!]!;
        same(ins[0]!, addrWidth(mem.depth));
        same(ins[1]!, 1);
        same(out, mem.width);
        break;
      }
      case 'memwr': {
        const mem = m.mems[c.mem!]!;
        same(ins[0]!, addrWidth(mem.depth));
        same(ins[1]!, mem.width);
        same(ins[2]!, 1);
        same(ins[3]!, mem.width / mem.granularity);
        break;
      }
      case 'inst':
        checkInst(c, ins, outs, fail);
        break;
    }
  }
}

function checkInst(c: Cell, ins: number[], outs: number[], fail: (why: string) => never): void {
  const t = c.inst!;
  const portW = (name: string, dir: 'in' | 'out'): number => {
    if (t.kind === 'module') {
      const list = dir === 'in' ? t.module.inputs : t.module.outputs;
      const p = list.find((x) => x.name === name);
      if (!p) fail(`module '${t.module.name}' has no ${dir}put '${name}'`);
      return t.module.nets[p!.net]!.width;
    }
    const p = t.prim.ports.find((x) => x.name === name && x.dir === dir);
    if (!p) fail(`${t.prim.type} has no ${dir}put '${name}'`);
    return p!.width;
  };
  c.inPorts!.forEach((p, i) => {
    if (portW(p, 'in') !== ins[i]) fail(`input '${p}' is ${portW(p, 'in')} bits, connected to ${ins[i]}`);
  });
  c.outPorts!.forEach((p, i) => {
    if (portW(p, 'out') !== outs[i]) fail(`output '${p}' is ${portW(p, 'out')} bits, connected to ${outs[i]}`);
  });
}
