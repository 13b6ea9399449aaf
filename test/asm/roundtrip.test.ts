// Property: for every instruction in the ISA table, with edge and random
// operands, assemble(disassemble(slots)) gives back exactly the same slots.
// Undecodable slots must survive too (as `.raw` lines).

import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.ts';
import { disassemble, disassembleProgram } from '../../src/asm/disassembler.ts';
import { decodeSpec, ISA, wordToInsn, type Insn } from '../../src/isa/index.ts';
import { instancesOf, testSeed } from './support/instances.ts';
import { Rng } from '../../src/random.ts';

const seed = testSeed();

describe(`assemble(disassemble(x)) == x (seed ${seed}; replay with BPFGATE_TEST_SEED)`, () => {
  it('holds for every spec of the ISA table, edge and random operands', () => {
    const rng = new Rng(seed);
    let checked = 0;
    for (const spec of ISA) {
      for (const slots of instancesOf(spec, rng, 24)) {
        // Sanity of the generator: the instance decodes to the spec it was made from.
        const d = decodeSpec(slots[0]!);
        expect(d.ok && d.spec.id, `generator made ${JSON.stringify(slots[0])}`).toBe(spec.id);
        const lines = disassemble(slots);
        expect(lines, `${spec.id}: one line per instruction`).toHaveLength(1);
        const back = assemble(lines.join('\n')).insns;
        expect(back, `${spec.id}: '${lines[0]}'`).toEqual(slots);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(ISA.length * 30);
  });

  it('holds for whole programs of random words, decodable or not', () => {
    const rng = new Rng(seed ^ 0xa5a5);
    for (let round = 0; round < 200; round++) {
      const slots: Insn[] = [];
      const n = rng.int(1, 12);
      for (let i = 0; i < n; i++) {
        if (rng.chance(0.6)) {
          // A valid instruction (sometimes lddw, sometimes with a broken second slot).
          const spec = ISA[rng.int(0, ISA.length - 1)]!;
          slots.push(...instancesOf(spec, rng, 1).at(-1)!);
        } else {
          const word = (BigInt(rng.int(0, 0xffffffff)) << 32n) | BigInt(rng.int(0, 0xffffffff));
          slots.push(wordToInsn(word));
        }
      }
      const text = disassemble(slots).join('\n');
      expect(assemble(text).insns, text).toEqual(slots);
    }
  });

  it('holds for listings with labels (disassembleProgram)', () => {
    const source = [
      'start:', 'mov %r0, 0', 'loop:', 'add %r0, 1', 'lddw %r2, 0x1122334455667788', 'jlt %r0, 10, loop',
      'call local fn', 'ja32 done', 'fn:', 'mov %r0, 7', 'exit', 'done:', 'exit', 'end:',
    ].join('\n');
    const program = assemble(source);
    const listing = disassembleProgram(program);
    expect(listing).toContain('jlt %r0, 10, loop');
    expect(listing).toContain('call local fn');
    expect(listing).toContain('ja32 done');
    const again = assemble(listing);
    expect(again.insns).toEqual(program.insns);
    expect([...again.symbols!]).toEqual([...program.symbols!]);
  });
});
