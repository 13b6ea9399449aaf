// bpfgate disasm: instruction bytes (ELF object, raw .bin, .data, assembly) -> text.

import type { Command } from 'commander';
import { disassembleProgram } from '../../asm/index.ts';
import { loadProgramFile } from '../load-program.ts';

export function registerDisasm(program: Command): void {
  program
    .command('disasm')
    .description('disassemble an ELF object (.o), raw instruction bytes (.bin) or a .data file')
    .argument('<file>', 'program file')
    .option('-s, --section <name>', 'ELF: executable section to disassemble')
    .option('--symbol <name>', 'ELF: function to start at')
    .action(async (file: string, opts: { section?: string; symbol?: string }) => {
      const { program: prog } = await loadProgramFile(file, opts);
      process.stdout.write(`${disassembleProgram(prog)}\n`);
    });
}
