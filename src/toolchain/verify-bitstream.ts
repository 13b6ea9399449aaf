// The round-trip check of a finished build in one call: the bitstream the
// user would flash, back to Verilog, simulated against the RTL.

import { dirname, join } from 'node:path';
import type { BuildResult } from './build.ts';
import { ToolchainError } from './errors.ts';
import { compareNetlistWithRtl, type CompareResult, type CycleInputs } from './netlist-sim.ts';
import { bitstreamToVerilog, type RecoveredNetlist } from './roundtrip.ts';
import type { VerilogInput } from './sources.ts';

export interface VerifyBitstreamOptions {
  /** The RTL the build was made from. */
  readonly rtl: VerilogInput;
  readonly stimulus: readonly CycleInputs[];
  readonly clock?: string;
  /** Where the netlist, testbenches and traces go (default: <outDir>/roundtrip). */
  readonly workDir?: string;
  /** Check the .asc instead of the packed .bin (default: the .bin, what gets flashed). */
  readonly fromAsc?: boolean;
}

export interface VerifyBitstreamResult extends CompareResult {
  readonly recovered: RecoveredNetlist;
}

/**
 * Cells the round trip can check: icebox_vlog turns logic tiles, block RAM
 * and IO back into Verilog, but not the UltraPlus hard blocks (SB_MAC16,
 * SB_SPRAM256KA, oscillators, LED drivers...), and yosys's SB_PLL40_* models
 * drive no output, so a netlist with any of those could only ever mismatch.
 */
const ROUND_TRIP_CELLS = /^(SB_LUT4|SB_CARRY|SB_DFF\w*|SB_RAM40_4K\w*|SB_IO|SB_GB|SB_GB_IO)$/;

export async function verifyBitstream(build: BuildResult, options: VerifyBitstreamOptions): Promise<VerifyBitstreamResult> {
  const unsupported = Object.keys(build.report.synth.cellsByType).filter((type) => !ROUND_TRIP_CELLS.test(type));
  if (unsupported.length) {
    throw new ToolchainError(
      `cannot round-trip the bitstream of '${build.report.top}': it uses ${unsupported.join(', ')}, which icebox_vlog ` +
        'and the cell models cannot turn back into simulatable Verilog (supported: LUTs, carries, flip-flops, block RAM, IO); ' +
        'build without them (e.g. dsp: false) to check the rest of the design',
    );
  }
  const bitstream = options.fromAsc ? build.files.asc : build.files.bin;
  if (!bitstream || !build.pcf) {
    throw new ToolchainError(
      `the build of '${build.report.top}' has no ${options.fromAsc ? '.asc' : '.bin'} to verify (synth-only, or timing failed)`,
    );
  }
  const workDir = options.workDir ?? join(dirname(build.files.reportTxt), 'roundtrip');
  const recovered = await bitstreamToVerilog({
    bitstream,
    pcf: build.pcf,
    packageName: build.board.package,
    outDir: workDir,
  });
  const result = await compareNetlistWithRtl({
    rtl: options.rtl,
    top: build.report.top,
    ports: build.ports,
    netlist: recovered,
    clock: options.clock,
    stimulus: options.stimulus,
    workDir,
  });
  return { ...result, recovered };
}
