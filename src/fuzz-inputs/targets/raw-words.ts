// Raw instruction input (bpfgate disasm/run on a .bin, `asm -f words` or
// `asm -f hex` output, standard input sniffed by content): random slots
// drawn from the ISA's opcodes, suite programs encoded then damaged, and
// their word and hex spellings mutated as text. Loading may only throw a
// located AsmError or the CLI's UserError; the disassembly of whatever
// loads must assemble back to the same words (the disassembler's promise).

import { AsmError, assemble, checkProgram, disassembleProgram, formatIssue } from '../../asm/index.ts';
import { UserError } from '../../cli/errors.ts';
import { loadProgramBytes } from '../../cli/load-program.ts';
import type { Rng } from '../../random.ts';
import { encodeProgram, insnToWord, ISA, type Insn } from '../../isa/index.ts';
import { crash, EXPECTED, type FuzzTarget } from '../engine.ts';
import { mutateBytes, mutateText, randomText } from '../mutate.ts';
import { asmSamples } from '../samples.ts';
import { judgeAsmError } from './located.ts';

export interface RawInput {
  /** `-` (standard input: kind sniffed), a name without extension (sniffed), or `prog.bin`. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

const NAMES = ['-', 'prog', 'prog.bin'];
const OPCODES = [...new Set(ISA.map((s) => s.opcode))];
const EDGE_IMM = [0, 1, -1, 0x7fffffff, -0x80000000, 8, 16, 32, 64, 0xff];

function randomInsn(rng: Rng): Insn {
  return {
    opcode: rng.chance(0.9) ? rng.pick(OPCODES) : rng.int(0, 255),
    dst: rng.chance(0.9) ? rng.int(0, 10) : rng.int(0, 15),
    src: rng.chance(0.7) ? rng.int(0, 10) : rng.int(0, 15),
    off: rng.chance(0.5) ? rng.int(-4, 4) : rng.int(-0x8000, 0x7fff),
    imm: rng.chance(0.5) ? rng.pick(EDGE_IMM) : rng.u32() | 0,
  };
}

const words = (insns: readonly Insn[]): string => insns.map((i) => `0x${insnToWord(i).toString(16).padStart(16, '0')}`).join('\n');
const hexLine = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

export const rawWordsTarget: FuzzTarget<RawInput> = {
  name: 'raw',
  describe: 'instruction bytes, 0x words, hex lines -> loadProgramBytes, disassembleProgram (round trip), checkProgram',
  prepare() {
    const programs = asmSamples().flatMap((t) => {
      try {
        return [assemble(t).insns];
      } catch {
        return []; // negative-suite text that does not assemble
      }
    });
    return (rng) => {
      const insns = rng.chance(0.5) ? rng.pick(programs) : Array.from({ length: rng.int(1, 12) }, () => randomInsn(rng));
      const name = rng.pick(NAMES);
      const bin = encodeProgram(insns);
      switch (rng.int(0, 3)) {
        case 0: return { name, bytes: rng.chance(0.3) ? bin : mutateBytes(rng, bin) };
        case 1: return { name, bytes: encode(rng.chance(0.3) ? words(insns) : mutateText(rng, words(insns), ['0x', '0x0', '00', 'zz', '0x11111111111111111'])) };
        case 2: return { name, bytes: encode(rng.chance(0.3) ? hexLine(bin) : mutateText(rng, hexLine(bin), ['0', 'ff', 'g', ' ', '\n'])) };
        default: return { name, bytes: encode(randomText(rng, 40, '0123456789abcdefx \n#')) };
      }
    };
  },
  run({ name, bytes }) {
    const { program } = loadProgramBytes(bytes, name, { validate: false });
    const text = disassembleProgram(program);
    const { issues } = checkProgram(program, 10);
    for (const issue of issues) formatIssue(issue, program);
    // An empty program disassembles to nothing, which is no program to assemble (the loader check says so above).
    if (program.insns.length === 0) return;
    const again = assemble(text, { file: '<disassembly>' }).insns.map(insnToWord);
    const original = program.insns.map(insnToWord);
    if (again.length !== original.length || again.some((w, i) => w !== original[i])) {
      const at = again.findIndex((w, i) => w !== original[i]);
      throw new Error(`round trip: the disassembly assembles to other words (slot ${at}: ${original[at]?.toString(16)} -> ${again[at]?.toString(16)})`);
    }
  },
  judge(err, { name, bytes }) {
    if (err instanceof UserError) return EXPECTED;
    if (err instanceof AsmError) {
      return err.file === '<disassembly>' ? crash('the disassembly does not assemble') : judgeAsmError(err, new TextDecoder().decode(bytes), name === '-' ? '<stdin>' : name);
    }
    return crash('neither an AsmError nor a UserError');
  },
  show: ({ name, bytes }) => `${JSON.stringify(name)} hex:${Buffer.from(bytes).toString('hex')} text:${JSON.stringify(new TextDecoder().decode(bytes))}`,
};
