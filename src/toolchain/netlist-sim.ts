// Simulating the RTL and a recovered netlist with the same stimulus under
// Icarus Verilog, and comparing their outputs cycle by cycle.
//
// One generated testbench drives both: per clock cycle it applies that
// cycle's inputs while the clock is low, raises the clock, and records every
// output shortly after the edge. Traces are compared as strings, so an X or Z
// on one side and a value on the other is a mismatch.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DesignPort } from '../board/pcf.ts';
import { ToolchainError, ToolFailedError } from './errors.ts';
import { cellsSimPath, type RecoveredNetlist } from './roundtrip.ts';
import { normaliseSources, type VerilogInput } from './sources.ts';
import { requireTool, runProcess } from './system-tools.ts';

/** Input values for one clock cycle; inputs not named keep their previous value (0 at first). */
export type CycleInputs = Readonly<Record<string, number | bigint>>;

export interface CompareOptions {
  /** The RTL the bitstream was built from. */
  readonly rtl: VerilogInput;
  readonly top: string;
  /** The top module's ports (BuildResult.ports). */
  readonly ports: readonly DesignPort[];
  readonly netlist: RecoveredNetlist;
  /** The clock input, toggled by the testbench (default "clk"). */
  readonly clock?: string;
  /** One entry per clock cycle. */
  readonly stimulus: readonly CycleInputs[];
  readonly workDir: string;
}

export interface Mismatch {
  readonly cycle: number;
  readonly port: string;
  readonly rtl: string;
  readonly netlist: string;
}

/** Per cycle, output name -> value as a binary string (may hold x/z). */
export type OutputTrace = readonly Readonly<Record<string, string>>[];

export interface CompareResult {
  readonly cycles: number;
  readonly outputs: readonly string[];
  readonly rtl: OutputTrace;
  readonly netlist: OutputTrace;
  /** The first mismatches (at most 20). */
  readonly mismatches: readonly Mismatch[];
  readonly equal: boolean;
}

interface SimPort {
  readonly name: string;
  readonly width: number;
}

/** Runs both simulations and compares their outputs. */
export async function compareNetlistWithRtl(options: CompareOptions): Promise<CompareResult> {
  const clock = options.clock ?? 'clk';
  const inputs = options.ports.filter((p) => p.direction === 'input' && p.name !== clock);
  const outputs = options.ports.filter((p) => p.direction === 'output');
  const inout = options.ports.find((p) => p.direction === 'inout');
  if (inout) throw new ToolchainError(`cannot compare designs with inout ports ('${inout.name}')`);
  if (!options.ports.some((p) => p.name === clock && p.direction === 'input')) {
    throw new ToolchainError(`the top module '${options.top}' has no input '${clock}' to use as the clock`);
  }
  if (outputs.length === 0) throw new ToolchainError(`the top module '${options.top}' has no outputs to compare`);
  // icebox_vlog rebuilds vectors as [n:0]; other ranges would line up bit-reversed or shifted.
  const oddRange = options.ports.find((p) => p.width > 1 && (p.upto || p.offset !== 0));
  if (oddRange) {
    const range = oddRange.upto ? `[${oddRange.offset}:${oddRange.offset + oddRange.width - 1}]` : `[${oddRange.offset + oddRange.width - 1}:${oddRange.offset}]`;
    throw new ToolchainError(`cannot compare port '${oddRange.name}' declared ${range}: declare top-level vectors as [n:0]`);
  }
  if (options.stimulus.length === 0) throw new ToolchainError('the stimulus is empty: give at least one cycle');
  const netlistPorts = new Set(options.netlist.ports.map((p) => p.name));
  for (const o of outputs) {
    if (!netlistPorts.has(o.name)) {
      throw new ToolchainError(`output '${o.name}' of '${options.top}' is missing from the recovered netlist ${options.netlist.path}`);
    }
  }

  const workDir = resolve(options.workDir);
  await mkdir(workDir, { recursive: true });
  await writeFile(join(workDir, 'stimulus.hex'), stimulusHex(inputs, options.stimulus));

  const { files, hdl } = normaliseSources(options.rtl);
  const rtlDir = join(workDir, 'rtl');
  await mkdir(rtlDir, { recursive: true });
  await Promise.all(Object.entries(files).map(([name, text]) => writeFile(join(rtlDir, name), text)));

  const cycles = options.stimulus.length;
  const rtlTrace = await simulate({
    name: 'rtl', workDir, module: options.top, clock, inputs, outputs, cycles,
    connected: new Set(options.ports.map((p) => p.name)),
    sources: hdl.map((f) => join(rtlDir, f)),
    includeDir: rtlDir,
  });
  const netlistTrace = await simulate({
    name: 'netlist', workDir, module: options.netlist.module, clock, inputs, outputs, cycles,
    // Inputs the design never reads are not in the netlist: leave them out.
    connected: netlistPorts,
    sources: [options.netlist.path],
  });

  const mismatches: Mismatch[] = [];
  let equal = true;
  for (let cycle = 0; cycle < cycles; cycle++) {
    for (const o of outputs) {
      const a = rtlTrace[cycle]?.[o.name] ?? '(none)';
      const b = netlistTrace[cycle]?.[o.name] ?? '(none)';
      if (a !== b) {
        equal = false;
        if (mismatches.length < 20) mismatches.push({ cycle, port: o.name, rtl: a, netlist: b });
      }
    }
  }
  return { cycles, outputs: outputs.map((o) => o.name), rtl: rtlTrace, netlist: netlistTrace, mismatches, equal };
}

/** One hex line per cycle: the inputs concatenated in port order, first port most significant. */
export function stimulusHex(inputs: readonly SimPort[], stimulus: readonly CycleInputs[]): string {
  const known = new Set(inputs.map((p) => p.name));
  const width = inputs.reduce((w, p) => w + p.width, 0);
  const current = new Map<string, bigint>(inputs.map((p) => [p.name, 0n]));
  const lines: string[] = [];
  stimulus.forEach((cycle, index) => {
    for (const [name, value] of Object.entries(cycle)) {
      if (!known.has(name)) {
        throw new ToolchainError(`stimulus cycle ${index} drives '${name}', which is not a (non-clock) input; inputs: ${[...known].join(', ') || 'none'}`);
      }
      const port = inputs.find((p) => p.name === name)!;
      const v = BigInt(value);
      if (v < 0n || v >= 1n << BigInt(port.width)) {
        throw new ToolchainError(`stimulus cycle ${index}: value ${value} does not fit input '${name}' (${port.width} bits)`);
      }
      current.set(name, v);
    }
    let word = 0n;
    for (const p of inputs) word = (word << BigInt(p.width)) | current.get(p.name)!;
    lines.push(width === 0 ? '0' : word.toString(16));
  });
  return lines.join('\n') + '\n';
}

interface SimulateOptions {
  readonly name: string;
  readonly workDir: string;
  readonly module: string;
  readonly clock: string;
  readonly inputs: readonly SimPort[];
  readonly outputs: readonly SimPort[];
  readonly cycles: number;
  readonly connected: ReadonlySet<string>;
  readonly sources: readonly string[];
  readonly includeDir?: string;
}

function escapedName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) ? name : `\\${name} `;
}

function testbench(o: SimulateOptions): string {
  const decl = (kind: string, p: SimPort): string => `  ${kind} ${p.width > 1 ? `[${p.width - 1}:0] ` : ''}${escapedName(p.name)};`;
  const inWidth = o.inputs.reduce((w, p) => w + p.width, 0);
  const conns = [o.clock, ...o.inputs.map((p) => p.name), ...o.outputs.map((p) => p.name)]
    .filter((n) => o.connected.has(n))
    .map((n) => `.${escapedName(n)}(${escapedName(n)})`);
  const apply = inWidth ? `{${o.inputs.map((p) => escapedName(p.name)).join(', ')}} = stim[i];` : '';
  const formats = o.outputs.map(() => '%b').join(' ');
  const values = o.outputs.map((p) => escapedName(p.name)).join(', ');
  return [
    '`timescale 1ns / 1ps',
    'module bpfgate_compare_tb;',
    `  reg ${escapedName(o.clock)} = 1'b0;`,
    ...o.inputs.map((p) => decl('reg', p)),
    ...o.outputs.map((p) => decl('wire', p)),
    `  reg [${Math.max(inWidth, 1) - 1}:0] stim [0:${o.cycles - 1}];`,
    '  integer i, trace;',
    `  ${o.module} dut (${conns.join(', ')});`,
    '  initial begin',
    `    $readmemh("stimulus.hex", stim);`,
    `    trace = $fopen("${o.name}.trace", "w");`,
    `    for (i = 0; i < ${o.cycles}; i = i + 1) begin`,
    `      ${apply}`,
    `      #5 ${escapedName(o.clock)} = 1'b1;`,
    `      #4 $fwrite(trace, "${formats}\\n", ${values});`,
    `      #1 ${escapedName(o.clock)} = 1'b0;`,
    '    end',
    '    $fclose(trace);',
    '    $finish;',
    '  end',
    'endmodule',
    '',
  ].join('\n');
}

async function simulate(o: SimulateOptions): Promise<Record<string, string>[]> {
  const iverilog = requireTool('iverilog', 'simulate the RTL and the recovered netlist');
  const vvp = requireTool('vvp', 'simulate the RTL and the recovered netlist');
  const tbPath = join(o.workDir, `${o.name}_tb.v`);
  const exe = join(o.workDir, `${o.name}.vvp`);
  await writeFile(tbPath, testbench(o));
  // Icarus 11 cannot parse cells_sim.v's default port values; this define
  // turns them off (every port of an icebox_vlog cell is connected anyway).
  const compile = await runProcess([
    iverilog, '-g2012', '-DNO_ICE40_DEFAULT_ASSIGNMENTS', '-o', exe, '-s', 'bpfgate_compare_tb',
    ...(o.includeDir ? ['-I', o.includeDir] : []),
    tbPath, ...o.sources, cellsSimPath(),
  ], { cwd: o.workDir });
  if (compile.exitCode !== 0) {
    const lines = (compile.stderr + compile.stdout).split('\n').filter((l) => l.trim());
    throw new ToolFailedError(`iverilog (${o.name} simulation)`, lines.slice(0, 10));
  }
  const run = await runProcess([vvp, '-n', exe], { cwd: o.workDir });
  if (run.exitCode !== 0) {
    const lines = (run.stderr + run.stdout).split('\n').filter((l) => l.trim());
    throw new ToolFailedError(`vvp (${o.name} simulation)`, lines.slice(-10));
  }
  const text = await readFile(join(o.workDir, `${o.name}.trace`), 'utf8');
  return text.split('\n').filter((l) => l.length).map((line) => {
    const values = line.split(' ');
    return Object.fromEntries(o.outputs.map((p, k) => [p.name, values[k] ?? '']));
  });
}
