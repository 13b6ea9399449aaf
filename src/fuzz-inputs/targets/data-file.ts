// Conformance `.data` files (bpfgate run/conformance/disasm on a .data):
// mutated suite files, section headers and `-- raw`/`-- mem`/`-- result`
// bodies included. Parsing, assembling and the loader check may only throw
// an AsmError located in the file; the loader check's issues must format.

import {
  checkDataFile, disassembleProgram, formatIssue, parseDataFile, programFromDataFile, validateProgram,
} from '../../asm/index.ts';
import type { FuzzTarget } from '../engine.ts';
import { mutateText, randomText } from '../mutate.ts';
import { conformanceFiles } from '../samples.ts';
import { judgeAsmError } from './located.ts';
import { ASM_DICTIONARY } from './text-dictionary.ts';

const FILE = 'fuzz.data';
const DATA_DICTIONARY = [...ASM_DICTIONARY, '00', 'ff', '0g', '000', 'f', '0x00', '-- raw', '-- mem', '-- result', '-- error',
  '0x0000000000000095', '0x00000000000000b7', '95 00 00 00 00 00 00 00', '0x', '0x11111111111111111'];

export const dataFileTarget: FuzzTarget<string> = {
  name: 'data',
  describe: '.data files -> parseDataFile, programFromDataFile, validateProgram, checkDataFile',
  prepare() {
    const samples = conformanceFiles().map((f) => f.text);
    return (rng) => (rng.chance(0.95) ? mutateText(rng, rng.pick(samples), DATA_DICTIONARY, samples) : `-- ${rng.pick(['asm', 'raw', 'mem', 'result'])}\n${randomText(rng, 60)}`);
  },
  run(text) {
    // checkDataFile turns AsmErrors into verdicts; anything it throws is a crash.
    checkDataFile(text, FILE);
    const program = programFromDataFile(parseDataFile(text, FILE), FILE);
    for (const issue of validateProgram(program)) formatIssue(issue, program);
    disassembleProgram(program);
  },
  judge: (err, text) => judgeAsmError(err, text, FILE),
  show: (text) => JSON.stringify(text),
};
