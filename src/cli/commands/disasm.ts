// bpfgate disasm: instruction bytes (ELF object, raw .bin, asm -f words/hex
// output, .data, assembly; `-` for standard input) -> text. A program the
// loader would refuse is still listed: slots that do not decode print as
// `.raw 0x...  # why`, and the loader's first problems go to stderr.

import type { Command } from 'commander';
import { checkProgram, disassembleProgram, formatIssue, MAX_REPORTED_ISSUES } from '../../asm/index.ts';
import { displayName, loadProgramFile } from '../load-program.ts';

export function registerDisasm(program: Command): void {
  program
    .command('disasm')
    .description('disassemble an ELF object (.o), raw instruction bytes (.bin), `asm` output or a .data file; bad slots are shown as .raw')
    .argument('<file>', 'program file, or - for standard input (e.g. bpfgate asm prog.s | bpfgate disasm -)')
    .option('-s, --section <name>', 'ELF: executable section to disassemble')
    .option('--symbol <name>', 'ELF: function to start at')
    .action(async (file: string, opts: { section?: string; symbol?: string }) => {
      const { program: prog } = await loadProgramFile(file, { ...opts, validate: false });
      process.stdout.write(disassembleProgram(prog));
      const { issues, omitted } = checkProgram(prog, MAX_REPORTED_ISSUES);
      const name = displayName(file);
      for (const issue of issues) process.stderr.write(`bpfgate: ${name}: ${formatIssue(issue, prog)}\n`);
      if (omitted > 0) process.stderr.write(`bpfgate: ${name}: ... and ${omitted} more problems\n`);
    });
}
