// bpfgate verilog: the CPU system's and the SoC top's Verilog for a board,
// as readable files (one module per DSL module), without running any tool.

import type { Command } from 'commander';
import { ToolchainError } from '../../toolchain/errors.ts';
import { describeCpu, writeSocVerilog } from '../../toolchain/soc-build.ts';
import { requireBoard } from '../../board/registry.ts';
import { planPll } from '../../../hdl/soc/pll.ts';
import type { BoardDescription } from '../../board/types.ts';
import { CPU_PRESETS } from '../../../hdl/cpu/presets.ts';

/** A positive whole baud rate from the command line. */
export function parseBaud(value: string): number {
  const baud = Number(value);
  if (!Number.isInteger(baud) || baud <= 0) throw new ToolchainError(`--baud expects a positive whole number, got '${value}'`);
  return baud;
}

export const CLOCK_OPTION = ['--clock <MHz>', "core clock, made by the FPGA's PLL from the board's oscillator (16-275 MHz, or the oscillator's own; default: the CPU build's measured clock, else the oscillator); the UART keeps its baud"] as const;

/**
 * The core clock asked for with --clock, checked against what the board's
 * PLL can make (before any tool runs); the oscillator's own frequency means
 * no PLL.
 */
export function parseClock(value: string | undefined, board: BoardDescription): number | undefined {
  if (value === undefined) return undefined;
  const mhz = Number(value);
  if (!Number.isFinite(mhz) || mhz <= 0) throw new ToolchainError(`--clock expects a frequency in MHz, got '${value}'`);
  if (mhz === board.clock.mhz) return mhz;
  try {
    planPll(board.clock.mhz, mhz);
  } catch (e) {
    throw new ToolchainError(`--clock ${value}: ${(e as Error).message} (board '${board.id}' has a ${board.clock.mhz} MHz oscillator)`);
  }
  return mhz;
}

export function registerVerilog(program: Command, out: (text: string) => void = (t) => process.stdout.write(t)): void {
  program
    .command('verilog')
    .description("write the CPU system's and the SoC top's Verilog for a board")
    .option('-b, --board <name>', 'board (see `bpfgate boards`)', 'icebreaker')
    .option('-o, --out <dir>', 'output directory', 'build/verilog')
    .option('-c, --config <name>', `CPU build: board (the board's own), ${Object.keys(CPU_PRESETS).join(', ')}`, 'board')
    .option('--baud <rate>', 'host link baud rate', '115200')
    .option(...CLOCK_OPTION)
    .action(async (opts: { board: string; out: string; config: string; baud: string; clock?: string }) => {
      const board = requireBoard(opts.board);
      const coreMHz = parseClock(opts.clock, board);
      const { source, files } = await writeSocVerilog({
        board, config: opts.config, outDir: opts.out, baud: parseBaud(opts.baud), ...(coreMHz !== undefined ? { coreMHz } : {}),
      });
      out(`${source.board.title}, CPU config '${source.config.name}': ${describeCpu(source.cpu)}\n`);
      out(`core clock ${(source.soc.coreClockHz / 1e6).toFixed(3)} MHz${source.soc.pll ? ` (PLL from the ${board.clock.mhz} MHz oscillator)` : ''}\n`);
      for (const f of files) out(`wrote ${f.path} (${f.what}, ${(f.bytes / 1024).toFixed(0)} KiB)\n`);
    });
}
