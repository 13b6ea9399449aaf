// Per shipped board build (hdl/cpu/presets.ts, on the board each device
// preset is built for): cycles of whole programs on that build's CPU, the
// microseconds they take at the clock the build runs at, and the build's
// logic cells, Fmax and place-and-route time from its bitstream report.
//
// The report comes from `bpfgate build --board B --out build/B` (what
// `make demo` and `make bitstream` write); with BPFGATE_BENCH_BUILD=1 the
// bench runs that build itself (minutes per board). Without a report the
// microseconds use the board's oscillator and the cells/Fmax lines are left
// out (a note on stderr says so).
//
//   npm run bench -- boards          e.g. cpu.up5k.us.prime67: 154
//
// A program that uses an instruction the build leaves out faults; its
// figures are left out with a note, never replaced by a number.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { presetConfig } from '../hdl/cpu/presets.ts';
import { requireBoard } from '../src/board/registry.ts';
import { CpuSim } from '../src/engines/cpu-sim.ts';
import { buildImage } from '../src/engines/image.ts';
import { REPO_ROOT } from '../src/paths.ts';
import type { Program } from '../src/program.ts';
import type { BuildReport } from '../src/toolchain/report.ts';
import { buildSoc } from '../src/toolchain/soc-build.ts';
import { createSimXdpEngine } from '../src/xdp/cpu-engine.ts';
import { XdpSession } from '../src/xdp/index.ts';
import { cProgram, dataProgram } from './cpu.ts';
import { compileFirewall, RULE_DROP, RULE_KEY, traffic } from './xdp.ts';

/** The board each device preset is measured on. */
const BOARD_OF_PRESET: Readonly<Record<string, string>> = { up5k: 'icebreaker', hx8k: 'ice40-hx8k-breakout' };

const note = (text: string): void => {
  process.stderr.write(`bench: boards: ${text}\n`);
};

async function buildReport(board: string): Promise<BuildReport | undefined> {
  const out = join(REPO_ROOT, 'build', board);
  if (process.env.BPFGATE_BENCH_BUILD === '1') {
    note(`building ${board} (place and route: minutes)`);
    return (await buildSoc({ board, outDir: out, allowTimingFailure: true })).build.report;
  }
  const path = join(out, 'report.json');
  if (!existsSync(path)) {
    note(`no ${path} (run 'bpfgate build --board ${board} --out build/${board}' or BPFGATE_BENCH_BUILD=1): cells and Fmax left out`);
    return undefined;
  }
  return JSON.parse(readFileSync(path, 'utf8')) as BuildReport;
}

function programCycles(cpu: CpuSim, program: Program, input: Uint8Array): number | string {
  const r = cpu.run(buildImage(cpu.cfg, program, input), { maxCycles: 50_000_000, maxInsns: 0 });
  return r.kind === 'exit' ? r.cycles : `${r.kind} ${r.faultCode ?? ''} at pc ${r.faultPc ?? '?'}`.trim();
}

async function firewallCycles(preset: string): Promise<number | string> {
  // XDP programs call map helpers: the helper port is on here, whatever the
  // board build says (on a board the host answers them).
  const engine = createSimXdpEngine({ config: presetConfig(preset, { dataRam: 'bram', helperPort: true }) });
  const session = new XdpSession(await compileFirewall(), { engine });
  session.map('rules').update(RULE_KEY, RULE_DROP);
  const packets = traffic();
  let cycles = 0;
  for (const p of packets) {
    const r = await session.run(p);
    if (r.kind !== 'exit' || r.cycles === undefined) return `${r.kind}: ${r.kind === 'exit' ? 'no cycle count' : r.message}`;
    cycles += r.cycles;
  }
  return cycles / packets.length;
}

export async function benchBoards(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const prime = dataProgram('prime');
  const programs: [string, Program | undefined, Uint8Array][] = [
    ['prime67', prime.program, prime.input],
    ['crc32', cProgram('crc32'), Uint8Array.from({ length: 64 }, (_, i) => (i * 7 + 1) & 0xff)],
    ['primes', cProgram('primes'), new Uint8Array(0)],
  ];
  for (const [preset, board] of Object.entries(BOARD_OF_PRESET)) {
    const key = (k: string): string => `cpu.${preset}.${k}`;
    const report = await buildReport(board);
    const clockMHz = report?.timing?.targetMHz ?? requireBoard(board).clock.mhz;
    out[key('clock_mhz')] = clockMHz;
    if (report?.utilisation) {
      out[key('cells')] = report.utilisation.logicCells.used;
      out[key('cells_pct')] = Number(((100 * report.utilisation.logicCells.used) / report.utilisation.logicCells.available).toFixed(1));
    }
    if (report?.timing) out[key('fmax_mhz')] = Number(Math.min(...report.timing.clocks.map((c) => c.fmaxMHz)).toFixed(2));
    const pnr = report?.steps.find((s) => s.step === 'place-and-route');
    if (pnr) out[key('pnr_s')] = Math.round(pnr.ms / 1000);

    const cpu = new CpuSim(presetConfig(preset, { dataRam: 'bram' }));
    const record = (name: string, cycles: number | string): void => {
      if (typeof cycles === 'string') {
        note(`${name} on '${preset}': ${cycles}; left out`);
        return;
      }
      out[key(`cycles.${name}`)] = Number(cycles.toFixed(1));
      out[key(`us.${name}`)] = Number((cycles / clockMHz).toFixed(1));
    };
    for (const [name, program, input] of programs) {
      if (program) record(name, programCycles(cpu, program, input));
    }
    try {
      record('firewall', await firewallCycles(preset));
    } catch (e) {
      note(`firewall on '${preset}': ${(e as Error).message.split('\n')[0]}; left out`);
    }
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const [k, v] of Object.entries(await benchBoards())) process.stdout.write(`${k}: ${v}\n`);
}
