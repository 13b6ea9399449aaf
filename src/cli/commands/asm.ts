// bpfgate asm: assembly text (or a .data file's asm) -> instruction bytes.

import type { Command } from 'commander';
import { encodeProgram, insnToWord } from '../../isa/index.ts';
import { UserError } from '../errors.ts';
import { loadProgramFile } from '../load-program.ts';
import { writeOutputFile } from '../output.ts';

const FORMATS = ['words', 'hex', 'bin'] as const;
type Format = (typeof FORMATS)[number];

export function registerAsm(program: Command): void {
  program
    .command('asm')
    .description('assemble a .s/.asm or .data file (bpf_conformance syntax) to instruction bytes')
    .argument('<file>', 'assembly source or .data file, or - for standard input')
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .option('-f, --format <format>', `output format: ${FORMATS.join(' | ')} (words = one 64-bit word per line, as in -- raw)`, 'words')
    .action(async (file: string, opts: { out?: string; format: string }) => {
      if (!FORMATS.includes(opts.format as Format)) {
        throw new UserError(`--format: '${opts.format}' is not one of ${FORMATS.join(', ')}`);
      }
      const { program: prog } = await loadProgramFile(file);
      const bytes = encodeProgram(prog.insns);
      let text: string | Uint8Array;
      switch (opts.format as Format) {
        case 'bin':
          if (!opts.out) throw new UserError('--format bin needs --out FILE (binary output is not written to a terminal)');
          text = bytes;
          break;
        case 'hex':
          text = `${Buffer.from(bytes).toString('hex')}\n`;
          break;
        case 'words':
          text = prog.insns.map((i) => `0x${insnToWord(i).toString(16).padStart(16, '0')}`).join('\n') + '\n';
          break;
      }
      if (opts.out) await writeOutputFile(opts.out, text);
      else process.stdout.write(text);
    });
}
