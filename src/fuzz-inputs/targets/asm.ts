// Assembly text (bpfgate asm, `.s` files, the `-- asm` section): mutated
// conformance programs, random lines built from the ISA's mnemonics, and
// random text. The assembler may only throw an AsmError located in the text.

import { assemble } from '../../asm/index.ts';
import type { Rng } from '../../random.ts';
import type { FuzzTarget } from '../engine.ts';
import { EDGE_NUMBERS, mutateText, randomText } from '../mutate.ts';
import { asmSamples } from '../samples.ts';
import { judgeAsmError } from './located.ts';
import { ASM_DICTIONARY } from './text-dictionary.ts';

const FILE = 'fuzz.s';

/** A line shaped like an instruction: mnemonic, then 0-4 operands from the dictionary or numbers. */
export function randomAsmLine(rng: Rng): string {
  const parts: string[] = [];
  if (rng.chance(0.15)) parts.push(`${rng.pick(['a', 'l1', 'exit', '.L', '$'])}:`);
  if (rng.chance(0.9)) parts.push(rng.pick(ASM_DICTIONARY));
  const operands = Array.from({ length: rng.int(0, 4) }, () => (rng.chance(0.4) ? rng.pick(EDGE_NUMBERS) : rng.pick(ASM_DICTIONARY)));
  return `${parts.join(' ')} ${operands.join(rng.pick([', ', ',', ' ', ' , ']))}`.trimEnd();
}

export const asmTarget: FuzzTarget<string> = {
  name: 'asm',
  describe: 'assembly text -> assemble()',
  prepare() {
    const samples = asmSamples();
    return (rng) => {
      const roll = rng.next();
      if (roll < 0.6) return mutateText(rng, rng.pick(samples), ASM_DICTIONARY, samples);
      if (roll < 0.9) return Array.from({ length: rng.int(1, 8) }, () => randomAsmLine(rng)).join('\n');
      return randomText(rng, 80);
    };
  },
  run(text) {
    assemble(text, { file: FILE });
  },
  judge: (err, text) => judgeAsmError(err, text, FILE),
  show: (text) => JSON.stringify(text),
};
