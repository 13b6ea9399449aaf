// SPRAM memories (Memory with spram: true) lowered to SB_SPRAM256KA
// instances plus glue, run by the owning module's finalizer once every port
// of the memory exists.

import { ElabError } from './loc.ts';
import { C, cat, muxExpr as mux, type Expr, type ExprLike, type Signal } from './signal.ts';
import { spram, SPRAM_DEPTH } from './primitives/spram.ts';
import type { Primitive } from './primitives/types.ts';
import type { Instance, PortConnections } from './instance.ts';
import type { Memory } from './memory.ts';

/** The part of module.ts's Module the lowering builds with. */
export interface SpramHost {
  instance(name: string, target: Primitive, ports: PortConnections): Instance;
  reg(name: string, shape: number, opts: { reset: number }): Signal;
  If(cond: ExprLike, body: () => void): unknown;
  sync(target: Signal, value: ExprLike): void;
  comb(target: Signal, value: ExprLike): void;
}

/** Lowers an SPRAM memory to SB_SPRAM256KA instances (columns of 16 bits,
 *  banks of 16K words) plus address/enable/output-mux glue. */
export function buildSpram(m: SpramHost, mem: Memory): void {
  const loc = mem.loc;
  if (mem.readers.length > 1 || mem.writers.length > 1) {
    throw new ElabError(`memory '${mem.name}': SPRAM is single-port (at most one reader and one writer)`, loc);
  }
  const r = mem.readers[0];
  const w = mem.writers[0];
  const cols = Math.ceil(mem.width / 16);
  const banks = Math.ceil(mem.depth / SPRAM_DEPTH);
  if (cols * banks > 4) throw new ElabError(`memory '${mem.name}': needs ${cols * banks} SPRAM blocks; the UP5K has 4`, loc);
  const zero = (n: number): Expr => C(n, 0);
  const we: Expr = w ? w.en : zero(1);
  const re: Expr = r ? r.en : zero(1);
  const addr: Expr = w && r ? mux(w.en, w.addr, r.addr) : (w ?? r)!.addr;
  const low = addr.width > 14 ? addr.slice(13, 0) : addr.zext(14).trunc(14);
  const bankOf = (): Expr => (addr.width > 14 ? addr.slice(addr.width - 1, 14) : zero(1));
  const outs: Expr[][] = [];
  for (let b = 0; b < banks; b++) {
    const cs = banks > 1 ? bankOf().eq(b) : C(1, 1);
    const row: Expr[] = [];
    for (let c = 0; c < cols; c++) {
      const lo = c * 16;
      const hi = Math.min(mem.width, lo + 16) - 1;
      const data = w ? w.data.slice(hi, lo).zext(16) : zero(16);
      // Nibble n of this column belongs to lane floor((lo + 4n) / granularity).
      const nib: Expr[] = [];
      for (let n = 3; n >= 0; n--) {
        const bit = lo + 4 * n;
        nib.push(w && bit < mem.width ? w.be.bit(Math.floor(bit / mem.granularity)) : zero(1));
      }
      const inst = m.instance(`${mem.name}_b${b}_c${c}`, spram(), {
        ADDRESS: low,
        DATAIN: data,
        MASKWREN: cat(...nib),
        WREN: we,
        CHIPSELECT: cs.and(we.or(re)),
      });
      row.push((inst.o.DATAOUT as Expr).slice(hi - lo, 0));
    }
    outs.push(row);
  }
  if (!r) return;
  const words = outs.map((row) => cat(...[...row].reverse()));
  let data = words[0]!;
  if (banks > 1) {
    // The output mux follows the bank of the last read (the blocks' output registers hold).
    const bw = addr.width - 14;
    const last = m.reg(`${mem.name}_rbank`, bw, { reset: 0 });
    m.If(re.and(we.not()), () => m.sync(last, bankOf()));
    for (let b = 1; b < banks; b++) data = mux(last.eq(b), words[b]!, data);
  }
  m.comb(r.data, data);
}
