// bpfgate run: load a program (.o, .data, .s, .bin) and run it on an engine,
// printing r0 and the instruction count to stdout, and a fault to stderr
// (exit 2). A program the engine cannot even load (too large for the CPU's
// program memory) is an error, exit 1: it never ran.

import type { Command } from 'commander';
import type { EngineResult } from '../../conformance/index.ts';
import { hex64, parseArgRegisters, parseHexBytes, parsePositiveInt } from '../args.ts';
import { createEngine, describeEngines } from '../../engines/registry.ts';
import { UserError } from '../errors.ts';
import { loadProgramFile, readInputFile } from '../load-program.ts';
import { disassembleOne } from '../../asm/index.ts';
import { addHostRunOptions, hostRun, hostTargetOf } from './host-run.ts';

/**
 * `run`'s instruction budget when none is given, the same on every engine
 * (and the XDP runs' per-packet default): a runaway loop stops within
 * seconds on the simulated CPU, not minutes.
 */
export const RUN_MAX_INSNS = 1_000_000;

interface RunOpts {
  mem?: string;
  memHex?: string;
  args: string[];
  engine: string;
  section?: string;
  symbol?: string;
  maxInsns?: string;
  legacyPacket?: boolean;
  trace?: boolean;
  vcd?: string;
  port?: string;
  sim?: boolean;
  baud?: string;
  timeout?: string;
  runTimeout?: string;
}

export function registerRun(program: Command): void {
  const cmd = program
    .command('run')
    .description('run a program (.o, .data, .s/.asm, .bin) and print r0, instructions retired, and any fault')
    .argument('<program>', 'program file, or - for standard input (asm output, raw .bin bytes)')
    .option('-m, --mem <file>', 'input bytes (the packet) from a binary file; r1 = its address, r2 = its length')
    .option('--mem-hex <hex>', 'input bytes as hex, e.g. "aa bb cc"')
    .option('-a, --args <rN=value...>', 'initial argument registers, e.g. r1=0x10 r3=-1', [])
    .option('-e, --engine <name>', `engine: ${describeEngines()}`, 'interp')
    .option('-s, --section <name>', 'ELF: executable section to run')
    .option('--symbol <name>', 'ELF: function to start at')
    .option('--max-insns <n>', `instruction budget, every engine (default ${RUN_MAX_INSNS}): running out is a budget fault naming the pc`)
    .option('--legacy-packet', 'accept the legacy packet group (ldabs/ldind)')
    .option('--trace', 'print every retired instruction with the registers it changed (interp)')
    .option('--vcd <file>', 'write a waveform of the CPU (engines sim and icarus)');
  addHostRunOptions(cmd)
    .action(async (file: string, opts: RunOpts) => {
      const loaded = await loadProgramFile(file, opts);
      if (opts.mem && opts.memHex) throw new UserError('give either --mem or --mem-hex, not both');
      const input = opts.mem
        ? await readInputFile(opts.mem, 'input file')
        : opts.memHex !== undefined
          ? parseHexBytes(opts.memHex, '--mem-hex')
          : loaded.input ?? new Uint8Array(0);
      const maxInsns = opts.maxInsns ? parsePositiveInt(opts.maxInsns, '--max-insns') : RUN_MAX_INSNS;
      const args = parseArgRegisters(opts.args);

      // A board (--port) or the simulated SoC (--sim), through the UART host protocol.
      const target = hostTargetOf(opts);
      if (target) {
        process.exitCode = await hostRun(loaded.program, input, args, { ...target, maxInsns }, loaded.expected);
        return;
      }

      const program = loaded.program;
      const trace = opts.trace
        ? (step: { pc: number; regs: readonly bigint[] }) => {
            const insn = program.insns[step.pc]!;
            process.stdout.write(`${String(step.pc).padStart(5)}: ${disassembleOne(insn, program.insns[step.pc + 1])}`.padEnd(48) +
              ` r0=${hex64(step.regs[0]!)}\n`);
          }
        : undefined;
      // Options an engine cannot honour are refused by the registry, naming the engines that can.
      const engine = await createEngine(opts.engine, {
        maxInsns,
        ...(opts.legacyPacket ? { legacyPacket: true } : {}),
        ...(opts.vcd ? { vcd: opts.vcd } : {}),
        ...(trace ? { trace } : {}),
        ...(Object.keys(args).length > 0 ? { args } : {}),
        // The TS simulator runs about a million cycles a second: say a long run is alive.
        ...(opts.engine === 'sim'
          ? { onProgress: (cycles: number, insns: number) => process.stderr.write(`sim: ${cycles} cycles, ${insns} of ${maxInsns} instructions so far\n`) }
          : {}),
      });
      try {
        printEngineResult(file, await engine.run(program, input), loaded.expected);
      } finally {
        await engine.close?.();
      }
      if (opts.vcd) process.stdout.write(`vcd: ${opts.vcd}\n`);
    });
}

/** r0 and the counters to stdout; a fault (`fault: <code>: <message>`, every engine alike) to stderr, exit 2. */
function printEngineResult(file: string, result: EngineResult, expected: bigint | undefined): void {
  if (result.kind === 'fault' && result.code === 'image') throw new UserError(`${file}: cannot load: ${result.message}`);
  if (result.kind === 'exit') process.stdout.write(`r0: ${hex64(result.r0)} (${BigInt.asIntN(64, result.r0)})\n`);
  else process.stderr.write(`fault: ${result.code ? `${result.code}: ` : ''}${result.message}\n`);
  if (result.insns !== undefined) process.stdout.write(`insns: ${result.insns}\n`);
  if (result.cycles !== undefined) process.stdout.write(`cycles: ${result.cycles}\n`);
  if (result.kind === 'exit') checkExpected(result.r0, expected);
  else process.exitCode = 2;
}

function checkExpected(r0: bigint, expected: bigint | undefined): void {
  if (expected === undefined) return;
  const ok = BigInt.asUintN(64, r0) === BigInt.asUintN(64, expected);
  process.stdout.write(`expected: ${hex64(expected)} ${ok ? '(match)' : '(MISMATCH)'}\n`);
  if (!ok) process.exitCode = 1;
}
