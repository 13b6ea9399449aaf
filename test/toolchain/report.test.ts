import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEVICES } from '../../src/board/index.ts';
import { explainNextpnrFailure, parseNextpnrReport, parseUtilisationLog } from '../../src/toolchain/pnr.ts';
import { formatReport, synthOverflows, utilisationOverflows, type BuildReport } from '../../src/toolchain/report.ts';
import { parseStat } from '../../src/toolchain/synth.ts';
import { DesignDoesNotFitError, PinError, ToolFailedError } from '../../src/toolchain/errors.ts';
import { YowaspRunFailure } from '../../src/toolchain/yowasp.ts';

// A real nextpnr log: 64 32-bit counters placed on an iCE40HX1K.
const overflowLog = readFileSync(new URL('./fixtures/nextpnr-hx1k-overflow.log', import.meta.url), 'utf8');

describe('reading nextpnr', () => {
  it('reads utilisation and Fmax from the --report JSON', () => {
    const json = JSON.stringify({
      fmax: { 'clk$SB_IO_IN_$glb_clk': { achieved: 79.74, constraint: 12 }, 'pll_out$glb_clk': { achieved: 40, constraint: 48 } },
      utilization: { ICESTORM_LC: { used: 27, available: 5280 }, ICESTORM_RAM: { used: 1, available: 30 }, SB_IO: { used: 3, available: 96 } },
    });
    const { utilisation, clocks } = parseNextpnrReport(json, 12);
    expect(utilisation.logicCells).toEqual({ used: 27, available: 5280 });
    expect(utilisation.bram).toEqual({ used: 1, available: 30 });
    expect(utilisation.dsp).toEqual({ used: 0, available: 0 });
    expect(clocks).toEqual([
      { clock: 'clk', fmaxMHz: 79.74, targetMHz: 12, met: true },
      { clock: 'pll_out', fmaxMHz: 40, targetMHz: 48, met: false },
    ]);
  });

  it('reads the utilisation table a failed placement leaves in the log', () => {
    const u = parseUtilisationLog(overflowLog)!;
    expect(u.logicCells).toEqual({ used: 2777, available: 1280 });
    expect(u.bram).toEqual({ used: 0, available: 16 });
    expect(utilisationOverflows(u)).toEqual([{ resource: 'logic cells', needed: 2777, available: 1280 }]);
    expect(parseUtilisationLog('Info: nothing here')).toBeUndefined();
  });

  it('explains a placement failure as a design that does not fit', () => {
    const err = explainNextpnrFailure(new YowaspRunFailure('nextpnr-ice40', overflowLog, undefined), {
      target: 'iCE40HX1K-TQ144 (board icestick)', pcf: '', logPath: '/out/nextpnr.log',
    });
    expect(err).toBeInstanceOf(DesignDoesNotFitError);
    expect(err.message).toBe(
      'design does not fit iCE40HX1K-TQ144 (board icestick): logic cells: needs 2777, the device has 1280\n  (full log: /out/nextpnr.log)',
    );
  });

  it('explains an unknown pin with the port it was for', () => {
    const out = "Info: Packing..\nERROR: package does not have a pin named 'Z9' (on line 3)\n";
    const pcf = '# header\nset_io clk 35\nset_io led[0] Z9\n';
    const err = explainNextpnrFailure(new YowaspRunFailure('nextpnr-ice40', out, undefined), {
      target: 'iCE40UP5K-SG48 (board icebreaker)', pcf, pcfPath: '/out/design.pcf',
    });
    expect(err).toBeInstanceOf(PinError);
    expect(err.message).toBe("pin 'Z9' (for port 'led[0]') does not exist on iCE40UP5K-SG48 (board icebreaker) (/out/design.pcf:3)");
  });

  it('passes any other failure on with the tool\'s own error lines', () => {
    const out = 'Info: a\nERROR: something unusual\nInfo: b\n';
    const err = explainNextpnrFailure(new YowaspRunFailure('nextpnr-ice40', out, 1), { target: 't', pcf: '' });
    expect(err).toBeInstanceOf(ToolFailedError);
    expect(err.message).toBe('nextpnr-ice40 failed: ERROR: something unusual');
  });
});

describe('synthesis statistics', () => {
  it('counts cells by kind from stat -json', () => {
    const stats = parseStat(JSON.stringify({
      design: { num_cells_by_type: { SB_LUT4: 10, SB_DFF: 3, SB_DFFE: 2, SB_DFFSR: 1, SB_CARRY: 4, SB_RAM40_4K: 1, SB_RAM40_4KNR: 1, SB_MAC16: 2, SB_SPRAM256KA: 1, SB_PLL40_CORE: 1 } },
    }));
    expect(stats).toMatchObject({ lut4: 10, dff: 6, carry: 4, bram: 2, dsp: 2, spram: 1, pll: 1 });
  });

  it('finds what certainly overflows the device before placement', () => {
    const stats = parseStat(JSON.stringify({ design: { num_cells_by_type: { SB_LUT4: 900, SB_DFF: 1300, SB_RAM40_4K: 17 } } }));
    expect(synthOverflows(stats, DEVICES.hx1k.capacity)).toEqual([
      { resource: 'logic cells', needed: 1300, available: 1280, detail: 'at least: 900 LUT4 and 1300 flip-flops after synthesis' },
      { resource: 'block RAMs (SB_RAM40_4K)', needed: 17, available: 16 },
    ]);
    expect(synthOverflows(stats, DEVICES.hx8k.capacity)).toEqual([]);
  });
});

describe('text report', () => {
  it('shows resources against capacity and each clock against the target', () => {
    const report: BuildReport = {
      top: 'uart_echo',
      board: { id: 'icebreaker', title: 'iCEBreaker v1.0' },
      target: 'iCE40UP5K-SG48',
      mode: 'bitstream',
      tools: { yosys: 'y', nextpnr: 'n' },
      synth: parseStat(JSON.stringify({ design: { num_cells_by_type: { SB_LUT4: 136 } } })),
      capacity: DEVICES.up5k.capacity,
      utilisation: parseNextpnrReport(JSON.stringify({ utilization: { ICESTORM_LC: { used: 184, available: 5280 } } }), 12).utilisation,
      timing: { targetMHz: 12, clocks: [{ clock: 'clk', fmaxMHz: 9.5, targetMHz: 12, met: false }], met: false },
      steps: [{ step: 'synth', ms: 1500 }],
      totalMs: 1500,
      files: { bin: '/out/design.bin' },
      warnings: [],
    };
    const text = formatReport(report);
    expect(text).toContain("top 'uart_echo' for iCEBreaker v1.0 (iCE40UP5K-SG48)");
    expect(text).toMatch(/logic cells\s+184 \/ 5280\s+3\.5%/);
    expect(text).toContain('timing (target 12.00 MHz): NOT MET');
    expect(text).toContain('clk: Fmax 9.50 MHz FAIL (target 12.00 MHz)');
    expect(text).toContain('LUT4 use: 136 of 5280 logic cells (2.6%)');
  });
});
