// bpfgate build: the SoC for a board, from the DSL to a bitstream, with the
// CPU build that fits the board (src/toolchain/soc-build.ts), progress per
// step and the build report. A design that does not fit or misses the clock
// is an error naming the resource or the clock (src/toolchain/errors.ts).

import type { Command } from 'commander';
import { formatProgress } from '../../toolchain/progress.ts';
import { requireBoard } from '../../board/registry.ts';
import { buildSoc, describeCpu } from '../../toolchain/soc-build.ts';
import { CPU_PRESETS, presetFor } from '../../../hdl/cpu/presets.ts';
import { ToolchainError } from '../../toolchain/errors.ts';
import { ROUTERS, type Router } from '../../toolchain/pnr.ts';
import { CLOCK_OPTION, parseBaud, parseClock } from './verilog.ts';

function parseSeed(value: string): number {
  const seed = Number(value);
  if (!Number.isInteger(seed) || seed < 0) throw new ToolchainError(`--seed expects a whole number >= 0, got '${value}'`);
  return seed;
}

function parseRouter(value: string): Router {
  const router = ROUTERS.find((r) => r === value);
  if (!router) throw new ToolchainError(`--router expects ${ROUTERS.join(' or ')}, got '${value}'`);
  return router;
}

export function registerBuild(program: Command, out: (text: string) => void = (t) => process.stdout.write(t)): void {
  program
    .command('build')
    .description('build the bpfgate SoC (CPU + host link) for a board: Verilog, synthesis, place and route, bitstream')
    .option('-b, --board <name>', 'board (see `bpfgate boards`)', 'icebreaker')
    .option('-o, --out <dir>', 'output directory (default build/<board>)')
    .option('-c, --config <name>', `CPU build: board (the board's own), ${Object.keys(CPU_PRESETS).join(', ')}`, 'board')
    .option('--baud <rate>', 'host link baud rate', '115200')
    .option(...CLOCK_OPTION)
    .option('--seed <n>', 'nextpnr placement seed')
    .option('--router <name>', `nextpnr router: ${ROUTERS.join(', ')} (default: the one measured best for the CPU build)`)
    .option('--allow-timing-fail', 'write the bitstream even if the clock target is missed')
    .option('-q, --quiet', 'no progress, only the report')
    .action(async (opts: { board: string; out?: string; config: string; baud: string; clock?: string; seed?: string; router?: string; allowTimingFail?: boolean; quiet?: boolean }) => {
      const outDir = opts.out ?? `build/${opts.board}`;
      const t0 = Date.now();
      // Say which CPU build before the minutes of synthesis, so a failure has its context.
      // The board and its CPU build are resolved once, here, and handed down.
      const board = requireBoard(opts.board);
      const config = presetFor(board, opts.config);
      // Every option is checked before the minutes of synthesis start.
      const baud = parseBaud(opts.baud);
      const coreMHz = parseClock(opts.clock, board);
      const seed = opts.seed !== undefined ? { seed: parseSeed(opts.seed) } : {};
      const router = opts.router !== undefined ? { router: parseRouter(opts.router) } : {};
      out(`${opts.board}: CPU config '${config.name}': ${config.summary}\n`);
      const r = await buildSoc({
        board,
        config,
        outDir,
        baud,
        ...(coreMHz !== undefined ? { coreMHz } : {}),
        ...seed,
        ...router,
        allowTimingFailure: opts.allowTimingFail ?? false,
        ...(opts.quiet ? {} : { onProgress: (e) => out(`${formatProgress(e)}\n`) }),
      });
      out(`CPU: ${describeCpu(r.cpu)}\n`);
      out(`SoC Verilog: ${r.verilogPath}\n`);
      out(r.build.reportText);
      out(`wall time ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    });
}
