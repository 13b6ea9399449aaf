// The bpfgate command line. Each verb lives in ./commands/<verb>.ts and is a
// thin layer over the library; ./program.ts wires them up and turns errors
// into one clear line (a stack trace only with BPFGATE_DEBUG=1).

import { runCli } from './program.ts';

process.exitCode = await runCli(process.argv);
