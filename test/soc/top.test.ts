// The board top: the PLL plan (checked against icestorm's icepll), LED
// roles and polarity, Verilog that lints clean for every board with a UART,
// and the whole top at the board's real 115200 baud, power-on reset included.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ledDriver, ledRoles } from '../../hdl/soc/leds.ts';
import { planPll } from '../../hdl/soc/pll.ts';
import { standinSystem } from './standin-system.ts';
import { POR_CYCLES, socTop, socVerilog } from '../../hdl/soc/top.ts';
import { listBoards, requireBoard } from '../../src/board/registry.ts';
import { HostClient } from '../../src/host/client.ts';
import { RUN_STATES } from '../../src/abi/protocol.ts';
import { SimUartTransport } from '../../src/host/sim-transport.ts';
import { Simulator } from '../../sim/simulator.ts';

const small = () => standinSystem({ progWords: 64, dataBytes: 256 });

function requireTool(tool: string, pkg: string): void {
  const r = spawnSync(tool, ['--version']);
  if (r.error) throw new Error(`this test needs '${tool}' (Debian package ${pkg}), which is not installed`);
}

describe('PLL plan', () => {
  it('matches icepll on a sweep of output frequencies', () => {
    requireTool('icepll', 'fpga-icestorm');
    for (let mhz = 16; mhz <= 120; mhz += 3.7) {
      const want = Number(mhz.toFixed(2));
      const text = execFileSync('icepll', ['-i', '12', '-o', String(want)], { encoding: 'utf8' });
      const field = (name: string): number => Number(new RegExp(`${name}:\\s+([\\d.]+)`).exec(text)![1]);
      const plan = planPll(12, want);
      expect({ divr: plan.divr, divf: plan.divf, divq: plan.divq, filterRange: plan.filterRange }, `${want} MHz`).toEqual({
        divr: field('DIVR'), divf: field('DIVF'), divq: field('DIVQ'), filterRange: field('FILTER_RANGE'),
      });
      // icepll prints three decimals.
      expect(Math.abs(plan.outMHz - Number(/F_PLLOUT:\s+([\d.]+) MHz \(achieved\)/.exec(text)![1]))).toBeLessThanOrEqual(0.0005 + 1e-9);
    }
  });

  it('refuses frequencies the PLL cannot make', () => {
    expect(() => planPll(12, 5)).toThrow('PLL: output clock 5 MHz is outside 16..275 MHz');
    expect(() => planPll(4, 30)).toThrow('PLL: input clock 4 MHz is outside 10..133 MHz');
  });
});

describe('LEDs', () => {
  it('gives roles by colour, else by position', () => {
    expect(ledRoles(requireBoard('icebreaker').leds)).toEqual(['fault', 'done+alive']);
    expect(ledRoles(requireBoard('icesugar').leds)).toEqual(['fault', 'done+alive', 'running']);
    expect(ledRoles(requireBoard('ice40-hx8k-breakout').leds)).toEqual(['running', 'done', 'fault', 'alive', 'off', 'off', 'off', 'off']);
  });

  it('lights the right LED at the pin polarity (iCEBreaker: active low)', async () => {
    const board = requireBoard('icebreaker');
    const sim = await Simulator.create(ledDriver(board.leds, 64));
    sim.reset();
    const leds = (): [bigint, bigint] => [sim.peek('led_r'), sim.peek('led_g')];
    sim.poke('run_state', RUN_STATES.fault);
    expect(leds()).toEqual([0n, 1n]); // red on (low), green off
    sim.poke('run_state', RUN_STATES.exited);
    expect(leds()).toEqual([1n, 0n]);
    sim.poke('run_state', RUN_STATES.idle);
    const seen = new Set<bigint>();
    for (let i = 0; i < 64; i++) {
      seen.add(sim.peek('led_g'));
      sim.step();
    }
    expect(seen).toEqual(new Set([0n, 1n])); // idle: blinking
    expect(sim.peek('led_r')).toBe(1n);
  });
});

describe('board top', () => {
  it('refuses a board without a UART, naming it', () => {
    expect(() => socTop({ board: requireBoard('tinyfpga-bx'), system: small() })).toThrow(/board 'tinyfpga-bx' \(.*\) has no UART wired to the FPGA/);
  });

  it('emits Verilog that lints clean for every board with a UART, with and without a PLL', () => {
    requireTool('verilator', 'verilator');
    const dir = mkdtempSync(join(tmpdir(), 'bpfgate-soc-'));
    // Black-box stubs for the PLL primitives (their models come from yosys at synthesis).
    const stub = ['SB_PLL40_PAD', 'SB_PLL40_CORE'].map((name) => {
      const pin = name === 'SB_PLL40_PAD' ? 'PACKAGEPIN' : 'REFERENCECLK';
      return `module ${name} #(parameter FEEDBACK_PATH = "SIMPLE", parameter [3:0] DIVR = 0, parameter [6:0] DIVF = 0, parameter [2:0] DIVQ = 0, parameter [2:0] FILTER_RANGE = 0) (input wire ${pin}, output wire PLLOUTGLOBAL, output wire LOCK, input wire RESETB, input wire BYPASS);
  assign PLLOUTGLOBAL = ${pin};
  assign LOCK = RESETB & ~BYPASS;
endmodule`;
    }).join('\n');
    writeFileSync(join(dir, 'stubs.v'), `/* verilator lint_off UNUSEDPARAM */\n${stub}\n/* verilator lint_on UNUSEDPARAM */\n`);
    const boards = listBoards().filter((b) => b.uart && !b.unsupported);
    expect(boards.length).toBeGreaterThanOrEqual(3);
    for (const board of boards) {
      for (const coreMHz of [undefined, 24]) {
        const v = socVerilog({ board, system: small(), coreMHz });
        expect(v.pll === undefined).toBe(coreMHz === undefined);
        const file = join(dir, `${board.id}-${coreMHz ?? 'osc'}.v`);
        writeFileSync(file, v.verilog);
        const r = spawnSync('verilator', ['--lint-only', '-Wall', '-Wno-DECLFILENAME', '--top-module', v.top, file, join(dir, 'stubs.v')], { encoding: 'utf8' });
        expect(r.stderr, `${board.id} ${coreMHz ?? ''}`).toBe('');
        expect(r.status).toBe(0);
        for (const led of board.leds) expect(v.verilog).toMatch(new RegExp(`output (wire|reg) led_${led.name}\\b`));
      }
    }
  });

  it('answers the host at 115200 baud after its power-on reset (iCEBreaker, 12 MHz)', async () => {
    const board = requireBoard('icebreaker');
    const top = socTop({ board, system: small() });
    const sim = await Simulator.create(top.module);
    expect(sim.has('rst')).toBe(false); // the top resets itself
    const transport = new SimUartTransport(sim, { clockHz: 12e6, baud: 115_200 });
    const client = new HostClient(transport, { timeoutMs: 20 });
    const info = await client.identify();
    expect(info).toMatchObject({ clockHz: 12_000_000, baud: 115_200, progWords: 64, dataBytes: 256 });
    expect(sim.cycle).toBeGreaterThan(POR_CYCLES);
    expect((await client.status()).state).toBe('idle');
    expect(sim.peek('led_r')).toBe(1n); // no fault: red off (active low)
    expect(transport.framingErrors).toBe(0);
  });
});
