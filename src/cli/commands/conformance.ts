// bpfgate conformance: run bpf_conformance .data files on an engine. Prints a
// PASS/FAIL line per file and the closing `N passed, N failed` line (a
// contract: other tools parse it).

import type { Command } from 'commander';
import { formatResultLine, formatSummaryLine, runConformance } from '../../conformance/index.ts';
import { requireConformanceData } from '../../paths.ts';
import { createEngine, describeEngines } from '../../engines/registry.ts';
import { requireBoard } from '../../board/registry.ts';
import { CPU_PRESETS, presetFor, requirePreset, type CpuPreset } from '../../../hdl/cpu/presets.ts';
import { UserError } from '../errors.ts';

/** The CPU build --board or --config names (they exclude each other), or undefined for the engine's default. */
function presetOf(opts: { board?: string; config?: string }): CpuPreset | undefined {
  if (opts.board !== undefined && opts.config !== undefined) throw new UserError('give --board or --config, not both');
  if (opts.board !== undefined) return presetFor(requireBoard(opts.board));
  if (opts.config !== undefined) return requirePreset(opts.config);
  return undefined;
}

export function registerConformance(program: Command): void {
  program
    .command('conformance')
    .description('run bpf_conformance .data files (default: the whole suite) and report PASS/FAIL')
    .argument('[paths...]', '.data files or directories (default: shared/conformance/tests)')
    .option('-e, --engine <name>', `engine: ${describeEngines()}`, 'interp')
    .option('--legacy-packet', 'accept the legacy packet group (ldabs/ldind)')
    .option('-q, --quiet', 'print only failures and the summary line')
    .option('--port <device>', 'serial port (board engines)')
    .option('-b, --board <name>', "CPU engines: run on that board's own CPU build (see `bpfgate boards`)")
    .option('-c, --config <name>', `CPU engines: run on a named CPU build (${Object.keys(CPU_PRESETS).join(', ')})`)
    .action(async (paths: string[], opts: { engine: string; legacyPacket?: boolean; quiet?: boolean; port?: string; board?: string; config?: string }) => {
      const targets = paths.length > 0 ? paths : [requireConformanceData()];
      const preset = presetOf(opts);
      const engine = await createEngine(opts.engine, { legacyPacket: opts.legacyPacket, port: opts.port, ...(preset ? { preset } : {}) });
      const summary = await runConformance(targets, {
        engine,
        onResult: (r) => {
          if (!opts.quiet || !r.passed) process.stdout.write(`${formatResultLine(r)}\n`);
        },
      });
      // Engines holding a serial port or a simulator open release it here.
      await engine.close?.();
      process.stdout.write(`${formatSummaryLine(summary)}\n`);
      if (summary.results.length === 0) {
        // After the summary line, which stays the last line of stdout (a contract).
        process.stderr.write(`bpfgate: no .data files in ${targets.join(', ')}: give .data files, or folders holding them ` +
          `(with no paths, the whole suite in shared/conformance/tests runs)\n`);
      }
      if (summary.failed > 0 || summary.passed === 0) process.exitCode = 1;
    });
}
