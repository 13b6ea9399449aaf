// The bitstream flow (yosys -> nextpnr -> icepack) and the round-trip proof
// of a bitstream (icebox_vlog -> Icarus Verilog against the RTL).

export { buildBitstream, type BuildOptions, type BuildResult, type BuildFiles } from './build.ts';
export { formatProgress, STEP_TITLES, type BuildProgress, type BuildStep } from './progress.ts';
export { formatReport, type BuildReport, type SynthStats, type Utilisation, type ResourceUsage, type ClockTiming, type ResourceOverflow } from './report.ts';
export { readSourceFiles, type VerilogInput } from './sources.ts';
export { bitstreamToVerilog, cellsSimPath, type RecoveredNetlist, type NetlistPort } from './roundtrip.ts';
export { compareNetlistWithRtl, type CompareResult, type CycleInputs, type Mismatch, type OutputTrace } from './netlist-sim.ts';
export { verifyBitstream, type VerifyBitstreamOptions, type VerifyBitstreamResult } from './verify-bitstream.ts';
export { uartStimulus, decodeUart } from './uart-stimulus.ts';
export {
  ToolchainError, ToolFailedError, DesignDoesNotFitError, TimingError, PinError, MissingToolError,
} from './errors.ts';
