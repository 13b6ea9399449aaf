// Proof of a bitstream without a board: unpack it (.bin -> .asc), turn the
// configuration back into a Verilog netlist with icebox_vlog, and simulate
// that netlist against the RTL with the same stimulus (see netlist-sim.ts).
// If they agree, what would be flashed is the design that was written.

import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { formatPcf, parsePcf } from '../board/pcf.ts';
import { ToolchainError, ToolFailedError } from './errors.ts';
import { requireTool, runProcess } from './system-tools.ts';
import { runYowasp, treeText, YowaspRunFailure } from './yowasp.ts';

/** A port of the recovered netlist's module. */
export interface NetlistPort {
  readonly name: string;
  readonly direction: 'input' | 'output' | 'inout';
  readonly width: number;
}

export interface RecoveredNetlist {
  /** Path of the Verilog file icebox_vlog wrote. */
  readonly path: string;
  readonly module: string;
  readonly ports: readonly NetlistPort[];
}

export interface BitstreamToVerilogOptions {
  /** Path of a packed bitstream (.bin), or of its text form (.asc). */
  readonly bitstream: string;
  /** The PCF the design was placed with; its signal names become the ports. */
  readonly pcf: string;
  /** Package, as in the board description (e.g. "sg48"), to map pins to IO tiles. */
  readonly packageName: string;
  readonly outDir: string;
  /** Name of the netlist module (default "chip"). */
  readonly module?: string;
}

/**
 * yosys's simulation models of the iCE40 cells (SB_RAM40_4K, SB_PLL40_*...),
 * which an icebox_vlog netlist instantiates. Taken from the @yowasp/yosys
 * package so it matches the synthesiser; Debian's copy only as a fallback.
 */
export function cellsSimPath(): string {
  const candidates: string[] = [];
  try {
    const bundle = createRequire(import.meta.url).resolve('@yowasp/yosys');
    candidates.push(join(dirname(bundle), 'share', 'ice40', 'cells_sim.v'));
  } catch {
    // package layout changed or not installed: try the system copy
  }
  candidates.push('/usr/share/yosys/ice40/cells_sim.v');
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new ToolchainError(
      `cannot find the iCE40 cell models (ice40/cells_sim.v); looked in: ${candidates.join(', ')}. ` +
        "Reinstall the npm package '@yowasp/yosys' (npm ci) or install the Debian package 'yosys'",
    );
  }
  return found;
}

/** The .asc text of a bitstream file (.asc as is, anything else unpacked as .bin). */
async function readAsc(bitstream: string): Promise<string> {
  if (bitstream.endsWith('.asc')) return readFile(bitstream, 'utf8');
  const bin = await readFile(bitstream);
  try {
    const run = await runYowasp('iceunpack', ['design.bin', 'design.asc'], { 'design.bin': new Uint8Array(bin) });
    const asc = treeText(run.files, 'design.asc');
    if (asc === undefined) throw new ToolFailedError('iceunpack', ['finished without writing design.asc']);
    return asc;
  } catch (err) {
    if (err instanceof YowaspRunFailure) throw new ToolFailedError(`iceunpack (${bitstream})`, err.errorLines());
    throw err;
  }
}

/** Turns a bitstream back into a Verilog netlist with icebox_vlog. */
export async function bitstreamToVerilog(options: BitstreamToVerilogOptions): Promise<RecoveredNetlist> {
  const module = options.module ?? 'chip';
  const icebox = requireTool('icebox_vlog', 'turn a bitstream back into Verilog for the round-trip check');
  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const ascPath = join(outDir, 'roundtrip.asc');
  const pcfPath = join(outDir, 'roundtrip.pcf');
  const vPath = join(outDir, 'roundtrip.v');
  await writeFile(ascPath, await readAsc(options.bitstream));
  // icebox_vlog reads only `set_io <signal> <pin>`: no -pullup and the like.
  const pins = parsePcf(options.pcf).map((e) => ({ signal: e.signal, pin: e.pin, pullup: false, role: '' }));
  await writeFile(pcfPath, formatPcf(pins, { plain: true }));

  // -s: no comments, -c: collect bits into vector ports, -d/-p: name IOs after the PCF.
  const argv = [icebox, '-s', '-c', '-n', module, '-d', options.packageName, '-p', pcfPath, ascPath];
  const run = await runProcess(argv);
  const header = new RegExp(`module\\s+${module}\\s*\\(([^)]*)\\)\\s*;`).exec(run.stdout);
  if (run.exitCode !== 0 || !header || /Traceback/.test(run.stderr)) {
    const lines = run.stderr.split('\n').filter((l) => l.trim());
    throw new ToolFailedError(`icebox_vlog (on ${ascPath})`, lines.slice(-6));
  }
  await writeFile(vPath, run.stdout);
  return { path: vPath, module, ports: parsePortList(header[1]!) };
}

/** Ports of an icebox_vlog module header: "input clk, output [1:0] \led , ...". */
export function parsePortList(list: string): NetlistPort[] {
  const ports: NetlistPort[] = [];
  for (const raw of list.split(',')) {
    const m = /^\s*(input|output|inout)\s+(?:\[(\d+):(\d+)\]\s*)?\\?(\S+)\s*$/.exec(raw);
    if (!m) {
      if (raw.trim()) throw new ToolchainError(`cannot read port '${raw.trim()}' of the icebox_vlog netlist`);
      continue;
    }
    const width = m[2] === undefined ? 1 : Math.abs(Number(m[2]) - Number(m[3])) + 1;
    ports.push({ name: m[4]!, direction: m[1] as NetlistPort['direction'], width });
  }
  return ports;
}
