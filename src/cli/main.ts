// The bpfgate command line. Each verb lives in ./commands/<verb>.ts and is a
// thin layer over the library; this file only wires them up and turns errors
// into one clear line (a stack trace only with BPFGATE_DEBUG=1).

import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.ts';
import { formatCliError } from './errors.ts';

const program = new Command();
program
  .name('bpfgate')
  .description('An eBPF CPU for iCE40 FPGAs: assembler, interpreter, simulator, Verilog and bitstreams')
  .showHelpAfterError()
  .exitOverride();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Commander already printed its message (or the help text).
    process.exitCode = err.exitCode;
  } else {
    process.stderr.write(`${formatCliError(err)}\n`);
    process.exitCode = 1;
  }
}
