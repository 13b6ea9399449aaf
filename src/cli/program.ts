// The bpfgate command line as a function: build the commander program and
// run it on an argv, returning the exit code. main.ts calls it for the real
// process; tests call it in-process (no process start per case).

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.ts';
import { formatCliError } from './errors.ts';
import { EXAMPLES } from './help-text.ts';
import { REPO_ROOT } from '../paths.ts';

export function createCli(): Command {
  const { version } = JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  const program = new Command();
  program
    .name('bpfgate')
    .description('An eBPF CPU for iCE40 FPGAs: assembler, interpreter, simulator, Verilog and bitstreams')
    .version(version, '-V, --version', 'print the bpfgate version')
    .addHelpText('after', EXAMPLES)
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  return program;
}

/**
 * Run the CLI on `argv` (node's form: [node, script, ...args]). Errors become
 * one line on stderr (a stack trace only with BPFGATE_DEBUG=1). Returns the
 * exit code: the verb's (process.exitCode, which verbs set for faults and
 * mismatches), 1 for an error, commander's for usage errors.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = createCli();
  try {
    // A bare `bpfgate` is asking what it can do: the help, and success
    // (commander's default treats it as a usage error).
    if (argv.length <= 2) program.outputHelp();
    else await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode; // commander already printed its message (or the help text)
    process.stderr.write(`${formatCliError(err)}\n`);
    return 1;
  }
  return Number(process.exitCode ?? 0);
}
