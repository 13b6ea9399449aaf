import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildBitstream, cellsSimPath, compareNetlistWithRtl, decodeUart, uartStimulus, verifyBitstream,
  type BuildResult, type VerifyBitstreamResult,
} from '../../src/toolchain/index.ts';
import { parsePortList } from '../../src/toolchain/roundtrip.ts';

const rtlText = readFileSync(new URL('../../examples/verilog/uart_echo.v', import.meta.url), 'utf8');
const rtl = { 'uart_echo.v': rtlText };
const CLKS_PER_BIT = 104; // uart_echo's default
const SENT = [0x55, 0x00, 0xff, 0xa5, 0x3c];
// Idle, five frames back to back, then long enough for the last echo to finish.
const stimulus = uartStimulus(SENT, { clksPerBit: CLKS_PER_BIT, idleAfter: 2 * 10 * CLKS_PER_BIT });

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bpfgate-roundtrip-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

// The bitstream (the packed .bin that would be flashed) -> icebox_vlog ->
// Icarus with yosys's cell models, against the RTL, same UART stimulus.
for (const board of ['ice40-hx8k-breakout', 'icesugar']) {
  describe(`round trip of uart_echo built for ${board}`, () => {
    let build: BuildResult;
    let check: VerifyBitstreamResult;

    beforeAll(async () => {
      build = await buildBitstream({ verilog: rtl, top: 'uart_echo', board, outDir: join(work, board) });
      check = await verifyBitstream(build, { rtl, stimulus });
    });

    it('recovers a netlist with the design\'s ports and its block RAM', () => {
      expect(check.recovered.ports.map((p) => `${p.direction} ${p.name}/${p.width}`).sort()).toEqual(
        ['input clk/1', 'input uart_rx/1', 'output led/2', 'output uart_tx/1'],
      );
      // The ring buffer comes back as a SB_RAM40_4K instance, simulated by cells_sim.v.
      expect(readFileSync(check.recovered.path, 'utf8')).toMatch(/SB_RAM40_4K\w* #\(/);
    });

    it('behaves like the RTL, cycle for cycle', () => {
      expect(check.cycles).toBe(stimulus.length);
      expect(check.mismatches).toEqual([]);
      expect(check.equal).toBe(true);
    });

    it('echoes the bytes it was sent', () => {
      expect(decodeUart(check.rtl, { clksPerBit: CLKS_PER_BIT })).toEqual(SENT);
      expect(decodeUart(check.netlist, { clksPerBit: CLKS_PER_BIT })).toEqual(SENT);
    });

    it('notices when the netlist and the RTL differ', async () => {
      // The same netlist against an RTL that corrupts one bit of each echo.
      const wrong = rtlText.replace('assign uart_tx = tx_shift[0];', "assign uart_tx = tx_shift[0] ^ (tx_state == 2'd2 && tx_bits_left == 4'd5);");
      expect(wrong).not.toBe(rtlText);
      const result = await compareNetlistWithRtl({
        rtl: { 'uart_echo.v': wrong }, top: 'uart_echo', ports: build.ports, netlist: check.recovered, stimulus, workDir: join(work, board, 'negative'),
      });
      expect(result.equal).toBe(false);
      expect(result.mismatches[0]).toMatchObject({ port: 'uart_tx' });
    });
  });
}

describe('round-trip helpers', () => {
  it('uses the cell models shipped with @yowasp/yosys', () => {
    expect(cellsSimPath()).toMatch(/node_modules\/@yowasp\/yosys\/.*ice40\/cells_sim\.v$/);
  });

  it('reads icebox_vlog port lists, vectors and escaped names included', () => {
    expect(parsePortList('input clk, output [1:0] \\led , output \\a.b ')).toEqual([
      { name: 'clk', direction: 'input', width: 1 },
      { name: 'led', direction: 'output', width: 2 },
      { name: 'a.b', direction: 'output', width: 1 },
    ]);
  });
});

describe('round-trip limits', () => {
  it('refuses top-level vectors not declared [n:0], which icebox_vlog would renumber', async () => {
    const netlist = { path: '/x.v', module: 'chip', ports: [] };
    const ports = [
      { name: 'clk', direction: 'input', width: 1, offset: 0, upto: false },
      { name: 'led', direction: 'output', width: 2, offset: 0, upto: true },
    ] as const;
    await expect(compareNetlistWithRtl({ rtl, top: 't', ports, netlist, stimulus, workDir: join(work, 'range') }))
      .rejects.toThrowError("cannot compare port 'led' declared [0:1]: declare top-level vectors as [n:0]");
  });

  it('refuses, with the cell names, a build whose hard blocks icebox_vlog cannot recover', async () => {
    // Only the report is consulted before any file is touched.
    const build = {
      report: { top: 'mul', synth: { cellsByType: { SB_LUT4: 10, SB_DFF: 4, SB_MAC16: 1 } } },
    } as unknown as BuildResult;
    await expect(verifyBitstream(build, { rtl, stimulus })).rejects.toThrowError(
      /cannot round-trip the bitstream of 'mul': it uses SB_MAC16, .*build without them \(e\.g\. dsp: false\)/,
    );
  });
});
