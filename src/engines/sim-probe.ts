// Direct reads of the compiled simulator's state, for hot loops (the run
// loop and the lockstep checker). Registers and memories are current right
// after a clock edge, so reading them needs no combinational settle; the
// Simulator's peek() would re-evaluate all comb logic first.

import type { Simulator } from '../../sim/simulator.ts';
import { wordsOf } from '../../sim/codegen.ts';

export class SimProbe {
  private readonly offsets = new Map<string, { offset: number; words: number }>();

  constructor(readonly sim: Simulator) {
    sim.ir.nets.forEach((net, i) => {
      const slot = sim.compiled.slots.get(i);
      if (!slot) return;
      for (const name of [net.name, ...(net.aliases ?? [])]) if (name !== undefined) this.offsets.set(name, slot);
    });
  }

  private slot(name: string): { offset: number; words: number } {
    const s = this.offsets.get(name);
    if (!s) throw new Error(`sim probe: no stored signal named '${name}'`);
    return s;
  }

  /** A reader of a state signal of at most 32 bits (unsigned). */
  reader32(name: string): () => number {
    const { offset, words } = this.slot(name);
    if (words !== 1) throw new Error(`sim probe: '${name}' is wider than 32 bits`);
    const V = this.sim.compiled.V;
    return () => V[offset]! >>> 0;
  }

  /** A reader of the low 32 bits of a state signal (unsigned). */
  readerLow32(name: string): () => number {
    const { offset } = this.slot(name);
    const V = this.sim.compiled.V;
    return () => V[offset]! >>> 0;
  }

  /** A reader of a state signal as bigint. */
  readerBig(name: string): () => bigint {
    const { offset, words } = this.slot(name);
    const V = this.sim.compiled.V;
    return () => {
      let v = 0n;
      for (let j = words - 1; j >= 0; j--) v = (v << 32n) | BigInt(V[offset + j]! >>> 0);
      return v;
    };
  }

  /** The backing words of a memory: entry i occupies [i * k, (i + 1) * k), k = ceil(width / 32). */
  memory(name: string): { words: Int32Array; perEntry: number; depth: number } {
    const idx = this.sim.ir.mems.findIndex((m) => m.name === name);
    if (idx < 0) throw new Error(`sim probe: no memory named '${name}' (${this.sim.ir.mems.map((m) => m.name).join(', ')})`);
    const mem = this.sim.ir.mems[idx]!;
    return { words: this.sim.compiled.mems[idx]!, perEntry: wordsOf(mem.width), depth: mem.depth };
  }
}
