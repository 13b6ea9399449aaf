// Errors of the bitstream flow. Each one says what went wrong in the user's
// terms (the resource and the numbers, the clock and its Fmax, the pin and
// the port) and where the full log is; none carries a tool's stack trace.

import type { ResourceOverflow, ClockTiming } from './report.ts';

export class ToolchainError extends Error {
  override name = 'ToolchainError';
}

/** A tool (yosys, nextpnr, icepack, icebox_vlog, iverilog...) failed. */
export class ToolFailedError extends ToolchainError {
  override name = 'ToolFailedError';
  constructor(
    readonly tool: string,
    /** The tool's own error lines (without "ERROR:" noise when possible). */
    readonly errorLines: readonly string[],
    readonly logPath?: string,
  ) {
    super(
      `${tool} failed: ${errorLines.length ? errorLines.join('\n  ') : 'no error message (see the log)'}` +
        (logPath ? `\n  (full log: ${logPath})` : ''),
    );
  }
}

/** The design needs more of some resource than the device has. */
export class DesignDoesNotFitError extends ToolchainError {
  override name = 'DesignDoesNotFitError';
  constructor(
    readonly target: string,
    readonly overflows: readonly ResourceOverflow[],
    readonly logPath?: string,
  ) {
    super(
      `design does not fit ${target}: ` +
        overflows.map((o) => `${o.resource}: needs ${o.needed}${o.detail ? ` (${o.detail})` : ''}, the device has ${o.available}`).join('; ') +
        (logPath ? `\n  (full log: ${logPath})` : ''),
    );
  }
}

/** Placed and routed, but some clock cannot run at the target frequency. */
export class TimingError extends ToolchainError {
  override name = 'TimingError';
  constructor(
    readonly clocks: readonly ClockTiming[],
    readonly reportPath?: string,
  ) {
    const failing = clocks.filter((c) => !c.met);
    super(
      'timing not met: ' +
        failing.map((c) => `clock '${c.clock}' reaches ${c.fmaxMHz.toFixed(2)} MHz, the target is ${c.targetMHz.toFixed(2)} MHz`).join('; ') +
        '; lower the clock (clockMHz) or allow it with allowTimingFailure (--allow-timing-fail) to write the bitstream anyway' +
        (reportPath ? `\n  (report: ${reportPath})` : ''),
    );
  }
}

/** A constraint names a pin the package does not have. */
export class PinError extends ToolchainError {
  override name = 'PinError';
}

/** A required program is not installed. */
export class MissingToolError extends ToolchainError {
  override name = 'MissingToolError';
  constructor(
    readonly tool: string,
    /** How to get it, e.g. "the Debian package 'fpga-icestorm' (sudo apt-get install fpga-icestorm)". */
    readonly installHint: string,
    /** What it was needed for, e.g. the command that would have run. */
    readonly purpose?: string,
  ) {
    super(`${tool} not found on PATH: install ${installHint}${purpose ? `; it is needed to ${purpose}` : ''}`);
  }
}
