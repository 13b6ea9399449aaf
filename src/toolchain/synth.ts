// Synthesis with yosys `synth_ice40`: Verilog in, a JSON netlist for nextpnr
// out, with the top module's ports and cell statistics.

import type { DeviceInfo } from '../board/devices.ts';
import type { DesignPort } from '../board/pcf.ts';
import { ToolchainError } from './errors.ts';
import type { SynthStats } from './report.ts';
import { normaliseSources, type VerilogInput } from './sources.ts';
import { runYowasp, treeText } from './yowasp.ts';

export interface SynthOptions {
  readonly verilog: VerilogInput;
  readonly top: string;
  readonly device: DeviceInfo;
  /** Map multipliers to SB_MAC16 (default: when the device has DSPs). */
  readonly dsp?: boolean;
  /** Extra `synth_ice40` options, e.g. ['-abc2']. */
  readonly synthArgs?: readonly string[];
  readonly onLine?: (line: string) => void;
}

export interface SynthResult {
  /** The JSON netlist (nextpnr's input). */
  readonly json: string;
  readonly ports: readonly DesignPort[];
  readonly stats: SynthStats;
  readonly log: string;
  readonly warnings: readonly string[];
}

/** Runs yosys; a failure rejects with YowaspRunFailure (the caller names the log). */
export async function synthesize(options: SynthOptions): Promise<SynthResult> {
  const { files, hdl } = normaliseSources(options.verilog);
  if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(options.top)) {
    throw new ToolchainError(`top module name '${options.top}' is not a plain Verilog identifier`);
  }
  const dsp = options.dsp ?? options.device.capacity.dsp > 0;
  const synth = [
    'synth_ice40',
    '-top', options.top,
    '-device', options.device.yosysFamily,
    ...(dsp ? ['-dsp'] : []),
    ...(options.synthArgs ?? []),
    '-json', 'design.json',
  ].join(' ');
  const script = [
    ...hdl.map((f) => `read_verilog -sv ${f}`),
    synth,
    'tee -q -o stat.json stat -json',
  ].join('; ');
  const run = await runYowasp('yosys', ['-p', script], files, options.onLine);
  const json = treeText(run.files, 'design.json');
  const stat = treeText(run.files, 'stat.json');
  if (json === undefined || stat === undefined) {
    throw new ToolchainError('yosys finished without writing design.json/stat.json (see yosys.log)');
  }
  const ports = topPorts(json, options.top);
  return {
    json,
    ports,
    stats: parseStat(stat, ports.reduce((bits, p) => bits + p.width, 0)),
    log: run.output,
    warnings: run.output.split('\n').filter((l) => l.startsWith('Warning:')),
  };
}

interface YosysJsonPort {
  direction: 'input' | 'output' | 'inout';
  bits: unknown[];
  offset?: number;
  upto?: number;
}

/** The top module's ports from yosys's JSON netlist. */
export function topPorts(json: string, top: string): DesignPort[] {
  const modules = (JSON.parse(json) as { modules?: Record<string, { ports?: Record<string, YosysJsonPort> }> }).modules ?? {};
  const module = modules[top];
  if (!module) {
    throw new ToolchainError(`the netlist has no module '${top}' (modules: ${Object.keys(modules).join(', ') || 'none'})`);
  }
  return Object.entries(module.ports ?? {}).map(([name, p]) => ({
    name,
    direction: p.direction,
    width: p.bits.length,
    offset: p.offset ?? 0,
    upto: p.upto === 1,
  }));
}

/** Cell counts from `stat -json`; `ioBits` is the top module's port bits. */
export function parseStat(statJson: string, ioBits = 0): SynthStats {
  const stat = JSON.parse(statJson) as { design?: { num_cells_by_type?: Record<string, number> } };
  const cellsByType = stat.design?.num_cells_by_type ?? {};
  const count = (test: (type: string) => boolean): number =>
    Object.entries(cellsByType).reduce((n, [type, k]) => (test(type) ? n + k : n), 0);
  return {
    lut4: count((t) => t === 'SB_LUT4'),
    dff: count((t) => t.startsWith('SB_DFF')),
    carry: count((t) => t === 'SB_CARRY'),
    bram: count((t) => t.startsWith('SB_RAM40_4K')),
    spram: count((t) => t === 'SB_SPRAM256KA'),
    dsp: count((t) => t === 'SB_MAC16'),
    pll: count((t) => t.startsWith('SB_PLL40')),
    io: ioBits,
    cellsByType,
  };
}
