import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoardError, DEVICES } from '../../src/board/index.ts';
import {
  buildBitstream, DesignDoesNotFitError, PinError, TimingError, ToolFailedError, type BuildProgress, type BuildResult,
} from '../../src/toolchain/index.ts';

const example = (name: string): Record<string, string> => ({
  [name]: readFileSync(new URL(`../../examples/verilog/${name}`, import.meta.url), 'utf8'),
});

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bpfgate-build-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('a real build for the iCEBreaker', () => {
  let result: BuildResult;
  const events: BuildProgress[] = [];
  let wallMs = 0;

  beforeAll(async () => {
    const t0 = Date.now();
    result = await buildBitstream({
      verilog: example('uart_echo.v'),
      top: 'uart_echo',
      board: 'icebreaker',
      outDir: join(work, 'icebreaker'),
      onProgress: (e) => events.push(e),
    });
    wallMs = Date.now() - t0;
    console.log(`full yowasp build of uart_echo for the iCEBreaker: ${(wallMs / 1000).toFixed(1)} s wall ` +
      `(${result.report.steps.map((s) => `${s.step} ${(s.ms / 1000).toFixed(1)} s`).join(', ')})`);
  });

  it('writes a packed UP5K bitstream and keeps every intermediate file', () => {
    const bin = readFileSync(result.files.bin!);
    expect(bin.length).toBe(DEVICES.up5k.bitstreamBytes);
    expect([...bin.subarray(4, 8)]).toEqual([0x7e, 0xaa, 0x99, 0x7e]);
    for (const name of ['design.json', 'design.pcf', 'design.asc', 'design.bin', 'yosys.log', 'nextpnr.log', 'report.txt', 'report.json']) {
      expect(existsSync(join(work, 'icebreaker', name)), name).toBe(true);
    }
    expect(readFileSync(result.files.pcf!, 'utf8')).toContain('set_io -pullup yes uart_rx 6');
  });

  it('reports synthesis, placement and timing consistently', () => {
    const r = result.report;
    expect(r.target).toBe('iCE40UP5K-SG48');
    expect(r.synth.lut4).toBe(r.synth.cellsByType['SB_LUT4']);
    expect(r.synth.lut4).toBeGreaterThan(20);
    expect(r.synth.bram).toBe(1); // the 256-byte ring buffer
    const u = r.utilisation!;
    expect(u.logicCells.available).toBe(DEVICES.up5k.capacity.logicCells);
    expect(u.logicCells.used).toBeGreaterThanOrEqual(Math.max(r.synth.lut4, r.synth.dff));
    expect(u.bram).toEqual({ used: 1, available: 30 });
    expect(u.io.used).toBe(5); // clk, uart_rx, uart_tx, led[1:0]
    expect(r.timing!.targetMHz).toBe(12);
    expect(r.timing!.clocks.map((c) => c.clock)).toEqual(['clk']);
    expect(r.timing!.clocks[0]!.fmaxMHz).toBeGreaterThan(12);
    expect(r.timing!.met).toBe(true);
    expect(JSON.parse(readFileSync(result.files.reportJson, 'utf8'))).toEqual(JSON.parse(JSON.stringify(r)));
    expect(readFileSync(result.files.reportTxt, 'utf8')).toBe(result.reportText);
    expect(result.reportText).toMatch(/clk: Fmax \d+\.\d\d MHz PASS/);
  });

  it('reports progress per step, with elapsed times and nextpnr milestones', () => {
    const steps = events.filter((e) => e.kind === 'step-done').map((e) => e.step);
    expect(steps).toEqual(['synth', 'constraints', 'place-and-route', 'pack']);
    expect(events[0]).toMatchObject({ kind: 'step-start', step: 'synth' });
    const pnrLines = events.filter((e) => e.kind === 'log' && e.step === 'place-and-route');
    expect(pnrLines.some((e) => e.kind === 'log' && /Max frequency for clock/.test(e.line))).toBe(true);
    expect(wallMs).toBeLessThan(120_000);
  });
});

describe('build failures', () => {
  it('stops at timing it cannot meet, naming the clock and both frequencies; writes no bitstream', async () => {
    const outDir = join(work, 'timing');
    const err = await buildBitstream({ verilog: example('blinky.v'), top: 'blinky', board: 'icebreaker', outDir, clockMHz: 400 })
      .then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(TimingError);
    expect((err as Error).message).toMatch(/clock 'clk' reaches \d+\.\d\d MHz, the target is 400\.00 MHz/);
    expect(existsSync(join(outDir, 'design.bin'))).toBe(false);
    expect(readFileSync(join(outDir, 'report.txt'), 'utf8')).toContain('NOT MET');
  });

  it('writes the bitstream anyway when timing failure is allowed', async () => {
    const r = await buildBitstream({
      verilog: example('blinky.v'), top: 'blinky', board: 'icebreaker', outDir: join(work, 'timing-ok'), clockMHz: 400, allowTimingFailure: true,
    });
    expect(r.report.timing!.met).toBe(false);
    expect(existsSync(r.files.bin!)).toBe(true);
    expect(r.report.pnr).toEqual({ router: 'router1' });
    const log = readFileSync(r.files.nextpnrLog!, 'utf8');
    expect(log).toMatch(/Router1 time/);
    expect(log).not.toMatch(/Running router2/);
  });

  it('routes with the router and seed asked for, and says so in the report', async () => {
    const r = await buildBitstream({ verilog: example('blinky.v'), top: 'blinky', board: 'icebreaker', outDir: join(work, 'router2'), router: 'router2', seed: 3 });
    expect(r.report.pnr).toEqual({ router: 'router2', seed: 3 });
    expect(r.reportText).toContain('placed (nextpnr, router2, seed 3):');
    // router2 routes, then nextpnr runs router1 only to check the result is legal.
    expect(readFileSync(r.files.nextpnrLog!, 'utf8')).toMatch(/Running router2[\s\S]*Router2 time/);
  });

  it('names a pin the package does not have, and the port it was for', async () => {
    const err = await buildBitstream({
      verilog: example('blinky.v'), top: 'blinky', board: 'icebreaker', outDir: join(work, 'badpin'), pins: { 'led[1]': 'Z9' },
    }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(PinError);
    expect((err as Error).message).toMatch(/^pin 'Z9' \(for port 'led\[1\]'\) does not exist on iCE40UP5K-SG48 \(board icebreaker\)/);
  });

  it('refuses a design that does not fit, naming the resource and the numbers', async () => {
    const err = await buildBitstream({ verilog: example('ram_hog.v'), top: 'ram_hog', board: 'icebreaker', outDir: join(work, 'hog') })
      .then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(DesignDoesNotFitError);
    expect((err as Error).message).toMatch(
      /^design does not fit iCE40UP5K-SG48 \(board icebreaker\): block RAMs \(SB_RAM40_4K\): needs 40, the device has 30/,
    );
  });

  it('passes on a yosys error with the file and line, and keeps the log', async () => {
    const outDir = join(work, 'syntax');
    const err = await buildBitstream({
      verilog: 'module top(input clk, output led);\n  assign led = ;\nendmodule\n', top: 'top', board: 'icebreaker', outDir,
    }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ToolFailedError);
    expect((err as Error).message).toMatch(/^yosys failed: design\.v:2: ERROR: syntax error/);
    expect(readFileSync(join(outDir, 'yosys.log'), 'utf8')).toMatch(/ERROR/);
  });

  it('refuses an unsupported board with the reason, before running any tool', async () => {
    await expect(buildBitstream({ verilog: example('blinky.v'), top: 'blinky', board: 'fomu', outDir: join(work, 'fomu') }))
      .rejects.toThrowError(BoardError);
    expect(existsSync(join(work, 'fomu'))).toBe(false);
  });
});

describe('synth-only mode', () => {
  it('reports LUT counts against the device without placing', async () => {
    const r = await buildBitstream({ verilog: example('blinky.v'), top: 'blinky', board: 'ice40-hx8k-breakout', outDir: join(work, 'synth'), synthOnly: true });
    expect(r.report.mode).toBe('synth-only');
    expect(r.report.utilisation).toBeUndefined();
    expect(r.files.asc).toBeUndefined();
    expect(r.report.synth.dff).toBe(24); // the 24-bit counter
    expect(r.report.synth.io).toBe(3); // clk, led[1:0]
    expect(r.report.synth.lut4).toBeGreaterThan(0);
    expect(r.report.capacity.logicCells).toBe(7680);
    expect(r.reportText).toMatch(/LUT4 use: \d+ of 7680 logic cells/);
  });
});
