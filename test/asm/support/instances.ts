// Instances of every ISA table entry for property tests: each used field gets
// its edge values and then random values, fixed fields keep their table
// values, unused fields stay zero. Deterministic for a given seed.

import type { Insn, InsnSpec } from '../../../src/isa/index.ts';
import type { Rng } from '../../../src/random.ts';


/** Seed from BPFGATE_TEST_SEED, else a fixed default; tests print it so a failure can be replayed. */
export function testSeed(): number {
  const env = process.env.BPFGATE_TEST_SEED;
  return env !== undefined ? Number(env) : 0x5eed_b9f;
}

const REG_EDGES = [0, 10, 1, 9];
const OFF_EDGES = [-32768, 32767, 0, -1, 1];
const IMM_EDGES = [-2147483648, 2147483647, 0, -1, 65535, 65536, -65535, -65536];

/** `edgeCount` instances walking the edge values, then `randomCount` random ones. Each instance is 1 or 2 slots. */
export function instancesOf(spec: InsnSpec, rng: Rng, randomCount: number): Insn[][] {
  const out: Insn[][] = [];
  const edgeCount = Math.max(REG_EDGES.length, OFF_EDGES.length, IMM_EDGES.length);
  for (let k = 0; k < edgeCount + randomCount; k++) {
    const edge = k < edgeCount;
    const pick = (edges: number[], lo: number, hi: number): number => (edge ? edges[k % edges.length]! : rng.int(lo, hi));
    const insn: Insn = {
      opcode: spec.opcode,
      dst: spec.uses.dst ? pick(REG_EDGES, 0, 10) : 0,
      src: spec.fixed.src ?? (spec.uses.src ? pick([...REG_EDGES].reverse(), 0, 10) : 0),
      off: spec.fixed.off ?? (spec.uses.off ? pick(OFF_EDGES, -32768, 32767) : 0),
      imm: spec.fixed.imm ?? (spec.uses.imm ? pick(IMM_EDGES, -2147483648, 2147483647) : 0),
    };
    if (spec.slots === 2) {
      const hi = pick([...IMM_EDGES].reverse(), -2147483648, 2147483647);
      out.push([insn, { opcode: 0, dst: 0, src: 0, off: 0, imm: hi }]);
    } else {
      out.push([insn]);
    }
  }
  return out;
}
