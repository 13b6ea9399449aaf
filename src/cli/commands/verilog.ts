// bpfgate verilog: the CPU system's and the SoC top's Verilog for a board,
// as readable files (one module per DSL module), without running any tool.

import type { Command } from 'commander';
import { ToolchainError } from '../../toolchain/errors.ts';
import { describeCpu, writeSocVerilog } from '../../toolchain/soc-build.ts';

/** A positive whole baud rate from the command line. */
export function parseBaud(value: string): number {
  const baud = Number(value);
  if (!Number.isInteger(baud) || baud <= 0) throw new ToolchainError(`--baud expects a positive whole number, got '${value}'`);
  return baud;
}

export function registerVerilog(program: Command, out: (text: string) => void = (t) => process.stdout.write(t)): void {
  program
    .command('verilog')
    .description("write the CPU system's and the SoC top's Verilog for a board")
    .option('-b, --board <name>', 'board (see `bpfgate boards`)', 'icebreaker')
    .option('-o, --out <dir>', 'output directory', 'build/verilog')
    .option('-c, --config <name>', "CPU build: board (the board's own), up5k, hx8k, small, default", 'board')
    .option('--baud <rate>', 'host link baud rate', '115200')
    .action(async (opts: { board: string; out: string; config: string; baud: string }) => {
      const { source, files } = await writeSocVerilog({ board: opts.board, config: opts.config, outDir: opts.out, baud: parseBaud(opts.baud) });
      out(`${source.board.title}, CPU config '${source.config.name}': ${describeCpu(source.cpu)}\n`);
      for (const f of files) out(`wrote ${f.path} (${f.what}, ${(f.bytes / 1024).toFixed(0)} KiB)\n`);
    });
}
