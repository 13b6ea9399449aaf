// Test support: a bpfgate command line with only the xdp verb, wired like
// src/cli/main.ts, so the verb's tests run it as a user would (a process,
// its stdout/stderr and exit code) whether or not main.ts lists it yet.

import { Command, CommanderError } from 'commander';
import { registerXdp } from '../../src/cli/commands/xdp.ts';
import { formatCliError } from '../../src/cli/errors.ts';

const program = new Command().name('bpfgate').showHelpAfterError().exitOverride();
registerXdp(program);
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode;
  } else {
    process.stderr.write(`${formatCliError(err)}\n`);
    process.exitCode = 1;
  }
}
