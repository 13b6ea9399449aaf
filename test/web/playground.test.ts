// The browser playground in a real browser: Debian's chromium, headless,
// driven by puppeteer-core. The site is built once (scripts/web-build.ts),
// served from this process on the loopback address, and clicked through as a
// person would. Every figure the page shows is checked against the Node
// engines run here on the same programs (src/interp, src/engines/sim.ts), so
// the test fails if the bundle computes anything differently from Node.
//
// No chromium: the suite FAILS (it is part of `make test`; scripts/check-tools.sh
// --install, run by `make setup` and .ci/run, installs it).

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AsmError, assemble, checkDataFile, disassembleOne } from '../../src/asm/index.ts';
import { createSimEngine } from '../../src/engines/sim.ts';
import { runProgram } from '../../src/interp/index.ts';
import { presetConfig } from '../../hdl/cpu/presets.ts';
import { makeSystem } from '../../hdl/cpu/system.ts';
import { toVerilog } from '../../src/dsl/index.ts';
import { LINKTYPE_ETHERNET, readPcap } from '../../src/pcap/index.ts';
import { loadXdpObject } from '../../src/xdp/object.ts';
import { createInterpXdpEngine } from '../../src/xdp/interp-engine.ts';
import { XdpSession } from '../../src/xdp/session.ts';
import { CONFORMANCE_TESTS, requireConformanceData } from '../../src/paths.ts';
import { buildWeb, WEB_OUT, type WebBuild } from '../../scripts/web-build.ts';
import { openPlayground, pageSpeed, type OpenPlayground } from '../../scripts/web-browser.ts';
import { speedBench } from '../../web/src/playground.ts';

const PRESET = 'hx8k'; // the page's default build
const SIM_CONFIG = presetConfig(PRESET, { dataRam: 'bram' });

// Reads a 32-bit word of the input, sums 1..n through the stack, adds a
// 64-bit constant: ALU, memory, jumps and a wide load.
const PROGRAM = `# test program
  ldxw %r3, [%r1+0]
  mov %r0, 0
  mov %r4, 7
loop:
  add %r0, %r4
  stxdw [%r10-8], %r0
  ldxdw %r0, [%r10-8]
  sub %r4, 1
  jne %r4, 0, loop
  lddw %r2, 0x300000000
  add %r0, %r2
  add %r0, %r3
  exit
`;
const INPUT = '78 56 34 12';
const BAD_LINE = 4;
const BAD = `# a typo on line ${BAD_LINE}
  mov %r0, 1
  add %r0, 2
  mvo %r0, 3
  exit
`;

let build: WebBuild;
let opened: OpenPlayground;
let page: Page;
let sim: ReturnType<typeof createSimEngine>;
/** Cycles of PROGRAM on the Node simulator (the page's waveform window is cut to them). */
let programCycles = 0;

// A setup failure (no chromium, a failed build) is kept and thrown by every
// test, so each one counts as failed with the reason: a throwing beforeAll
// would leave them reported as skipped.
let setupError: Error | undefined;

function test(name: string, fn: () => Promise<void> | void, timeout?: number): void {
  it(name, async () => {
    if (setupError) throw setupError;
    await fn();
  }, timeout);
}

beforeAll(async () => {
  try {
    await setup();
  } catch (e) {
    setupError = e as Error;
  }
}, 60_000);

async function setup(): Promise<void> {
  requireConformanceData();
  build = await buildWeb(WEB_OUT);
  opened = await openPlayground(build.outDir);
  page = opened.page;
  sim = createSimEngine({ config: SIM_CONFIG });
}

afterAll(async () => {
  await opened?.close();
});

const text = (sel: string): Promise<string> => page.$eval(sel, (e) => e.textContent ?? '');

async function setEditor(source: string, input = ''): Promise<void> {
  await page.$eval('#source', (e, s) => {
    const t = e as HTMLTextAreaElement;
    t.value = s;
    t.dispatchEvent(new Event('input'));
  }, source);
  await page.$eval('#input', (e, s) => ((e as HTMLInputElement).value = s), input);
}

/** Click Run and wait for the whole run (both engines, lockstep, profile) to be on the page. */
async function runOnPage(): Promise<void> {
  await page.$eval('#lockstep', (e) => e.removeAttribute('data-ok'));
  await page.click('#run');
  // Done, or refused at load (then say why instead of waiting out the timeout).
  await page.waitForSelector('#lockstep[data-ok], #asm-error:not([hidden])', { timeout: 30_000 });
  if (await page.$eval('#asm-error', (e) => !(e as HTMLElement).hidden)) throw new Error(`page refused the program: ${await text('#asm-error')}`);
}

async function showTab(name: string): Promise<void> {
  await page.click(`#tabs button[data-tab="${name}"]`);
}

function hexInput(s: string): Uint8Array {
  return Uint8Array.from(s.split(' ').map((b) => parseInt(b, 16)));
}

describe('browser playground (chromium, headless)', () => {
  test('builds a browser-only bundle and is interactive within 2 s of load', async () => {
    expect(build.inputs.some((i) => i.startsWith('hdl/cpu/'))).toBe(true);
    expect(build.inputs.filter((i) => i.startsWith('node:') || i.includes('node_modules/'))).toEqual([]);
    expect(build.examples).toBeGreaterThanOrEqual(20);
    const readyMs = Number(await page.$eval('body', (b) => b.dataset.readyMs));
    expect(readyMs).toBeGreaterThan(0);
    expect(readyMs).toBeLessThan(2000);
    expect(await text('#status')).toBe('ready');
    const presets = await page.$$eval('#preset option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(presets).toContain(PRESET);
  });

  test('assembles a program and runs it on the interpreter and the simulated CPU, as Node does', async () => {
    await setEditor(PROGRAM, INPUT);
    await runOnPage();

    const program = assemble(PROGRAM, { file: 'editor.s' });
    const input = hexInput(INPUT);
    const ref = runProgram(program, { input, memoryMap: SIM_CONFIG.memoryMap, legacyPacket: SIM_CONFIG.packet });
    const cpu = await sim.run(program, input);
    expect(ref.kind).toBe('exit');
    expect(cpu.kind).toBe('exit');
    const r0 = `0x${(ref as { r0: bigint }).r0.toString(16)}`;
    const cycles = cpu.cycles!;
    programCycles = cycles;

    expect(await text('#interp-r0')).toBe(r0);
    expect(await text('#cpu-r0')).toBe(r0);
    expect(await text('#interp-insns')).toBe(String(ref.insns));
    expect(await text('#cpu-insns')).toBe(String(cpu.insns));
    expect(Number(await text('#cpu-cycles'))).toBe(cycles);
    expect(await page.$eval('#lockstep', (e) => e.getAttribute('data-ok'))).toBe('true');
    expect(await page.$eval('#fault', (e) => (e as HTMLElement).hidden)).toBe(true);
    // CPI per class: every retired instruction charged once, every cycle but the last retire's tail.
    const cpi = await page.$$eval('#cpi tbody tr', (rows) => rows.map((r) => [...r.children].map((c) => c.textContent ?? '')));
    expect(cpi.map((r) => r[0]).sort()).toEqual(['alu64', 'jmp', 'ld', 'ldx', 'stx']);
    expect(cpi.reduce((a, r) => a + Number(r[1]), 0)).toBe(cpu.insns);
    expect(cpi.reduce((a, r) => a + Number(r[2]), 0)).toBeLessThanOrEqual(cycles);
  });

  test('shows an assembly error at the line it is on', async () => {
    let nodeLine: number | undefined;
    try {
      assemble(BAD, { file: 'editor.s' });
    } catch (e) {
      nodeLine = (e as AsmError).line;
    }
    expect(nodeLine).toBe(BAD_LINE);
    await setEditor(BAD);
    await page.click('#run');
    await page.waitForSelector('#asm-error:not([hidden])', { timeout: 5000 });
    expect(await page.$eval('#asm-error', (e) => (e as HTMLElement).dataset.line)).toBe(String(BAD_LINE));
    expect(await text('#asm-error')).toMatch(new RegExp(`^line ${BAD_LINE}\\b.*mvo`));
    expect((await text('#gutter .err')).trim()).toBe(String(BAD_LINE));
    // Fixing it clears the error.
    await setEditor(PROGRAM, INPUT);
    await runOnPage();
    expect(await page.$eval('#asm-error', (e) => (e as HTMLElement).hidden)).toBe(true);
  });

  test('shows a fault with its pc and instruction, where the Node engines fault', async () => {
    const source = 'mov %r0, 1\nmov %r2, 0\nldxw %r0, [%r2+0]\nexit\n';
    await setEditor(source);
    await runOnPage();
    const program = assemble(source, { file: 'editor.s' });
    const ref = runProgram(program, { input: new Uint8Array(0), memoryMap: SIM_CONFIG.memoryMap, legacyPacket: SIM_CONFIG.packet });
    const cpu = await sim.run(program, new Uint8Array(0));
    expect(ref.kind).toBe('fault');
    expect(cpu.kind).toBe('fault');
    const pc = (cpu as { pc: number }).pc;
    expect(pc).toBe((ref as { pc: number }).pc);
    const insn = disassembleOne(program.insns[pc]!, program.insns[pc + 1]);
    expect(await page.$eval('#fault', (e) => (e as HTMLElement).hidden)).toBe(false);
    expect(await text('#fault')).toContain(`CPU fault ${(cpu as { code: string }).code} at pc ${pc}: ${insn}`);
    expect(await text('#cpu-kind')).toBe(`fault ${(cpu as { code: string }).code} at pc ${pc}`);
    expect(await text('#interp-kind')).toBe(`fault ${(ref as { code: string }).code} at pc ${pc}`);
  });

  test('opens a .data file: its program, its input and its expected result', async () => {
    const name = 'ldxh';
    const file = join(CONFORMANCE_TESTS, `${name}.data`);
    const v = checkDataFile(readFileSync(file, 'utf8'), `${name}.data`);
    if (v.kind === 'rejected') throw new Error(v.message);
    const input = await page.$('#file');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(file);
    await page.waitForFunction((n) => (document.querySelector('#loaded-from')?.textContent ?? '').includes(n), { timeout: 5000 }, `${name}.data`);
    expect(await page.$eval('#source', (e) => (e as HTMLTextAreaElement).value)).toBe(readFileSync(file, 'utf8'));
    await runOnPage();
    const want = `0x${v.data.result!.toString(16)}`;
    expect(await text('#cpu-r0')).toBe(want);
    expect(await text('#interp-r0')).toBe(want);
    expect(await text('#expected')).toBe(`the file expects r0 = ${want}: interpreter agrees`);
  });

  test('runs on another shipped build (up5k) with that build\'s cycle count', async () => {
    const other = 'up5k';
    await page.select('#preset', other);
    try {
      await setEditor(PROGRAM, INPUT);
      await runOnPage();
    } catch (e) {
      await page.select('#preset', PRESET);
      throw e;
    }
    const node = createSimEngine({ config: presetConfig(other, { dataRam: 'bram' }) });
    const program = assemble(PROGRAM, { file: 'editor.s' });
    const r = await node.run(program, hexInput(INPUT));
    expect(r.kind).toBe('exit');
    expect(await text('#cpu-r0')).toBe(`0x${(r as { r0: bigint }).r0.toString(16)}`);
    expect(Number(await text('#cpu-cycles'))).toBe(r.cycles);
    expect(await page.$eval('#lockstep', (e) => e.getAttribute('data-ok'))).toBe('true');
    // Back to the default build, with the test program's run on screen for the waveform.
    await page.select('#preset', PRESET);
    await runOnPage();
  });

  test('draws a waveform of the run and offers it as VCD', async () => {
    await showTab('wave');
    const { signals, cycles } = await page.$eval('#wave-box svg', (s) => ({ signals: Number(s.getAttribute('data-signals')), cycles: Number(s.getAttribute('data-cycles')) }));
    const chosen = Number(await text('#signal-count'));
    expect(chosen).toBeGreaterThanOrEqual(10);
    expect(signals).toBe(chosen);
    expect(programCycles).toBeGreaterThan(0);
    expect(cycles).toBe(Math.min(40, programCycles));
    const rows = await page.$$eval('#wave-box svg .wave-name', (t) => t.map((e) => e.textContent ?? ''));
    expect(rows).toContain('clk');
    expect(rows.some((r) => r.startsWith('u_core.e_pc'))).toBe(true);
    expect(await page.$$eval('#wave-box svg .wave-bus', (b) => b.length)).toBeGreaterThan(signals);
    const vcd = await page.$eval('#vcd-link', async (a) => (await fetch((a as HTMLAnchorElement).href)).text());
    expect(vcd.startsWith('$date')).toBe(true);
    expect((vcd.match(/\$var wire/g) ?? []).length).toBe(signals + 1); // + clk
    expect(vcd).toContain('$enddefinitions $end');
    // The figure README shows.
    mkdirSync(build.outDir, { recursive: true });
    await page.screenshot({ path: join(build.outDir, 'screenshot.png'), fullPage: true });
    expect(existsSync(join(build.outDir, 'screenshot.png'))).toBe(true);
    await showTab('results');
  });

  test('runs 20 conformance programs on both engines with 0 mismatches and Node\'s cycle counts', async () => {
    await showTab('suite');
    await page.$eval('#suite-count', (e) => ((e as HTMLInputElement).value = '20'));
    await page.$eval('#suite-summary', (e) => e.removeAttribute('data-total'));
    await page.click('#suite-run');
    await page.waitForSelector('#suite-summary[data-total]', { timeout: 60_000 });
    const summary = await page.$eval('#suite-summary', (e) => ({ ...(e as HTMLElement).dataset }));
    const rows = await page.$$eval('#suite-table tbody tr', (rs) => rs.map((r) => [...r.children].map((c) => c.textContent ?? '')));
    expect(summary.total).toBe('20');
    expect(rows.filter((r) => r[1] !== 'pass')).toEqual([]);
    expect(summary.mismatches).toBe('0');
    expect(summary.passed).toBe('20');

    // The same 20 files (the page lists them sorted) on the Node simulator: the same cycle counts.
    const index = JSON.parse(readFileSync(join(build.outDir, 'examples', 'index.json'), 'utf8')) as { conformance: string[] };
    for (const [i, name] of index.conformance.slice(0, 20).entries()) {
      expect(rows[i]![0]).toBe(name);
      const v = checkDataFile(readFileSync(join(CONFORMANCE_TESTS, `${name}.data`), 'utf8'), `${name}.data`);
      if (v.kind === 'rejected') continue; // rejected at load: no run, no cycles
      const run = await sim.run(v.program, v.data.mem ?? new Uint8Array(0));
      expect(`${name}: ${rows[i]![2]}`).toBe(`${name}: ${run.cycles}`);
    }
    await showTab('results');
  });

  test('generates the same Verilog as Node for the build', async () => {
    await showTab('verilog');
    await page.click('#verilog-gen');
    await page.waitForSelector('#verilog-link:not([hidden])', { timeout: 30_000 });
    const inPage = await text('#verilog');
    const inNode = toVerilog(makeSystem(presetConfig(PRESET)), { header: `bpfgate CPU system, build '${PRESET}': ${await text('#preset-summary')}` });
    // Module comments carry the DSL source line in Node; a bundle has none.
    const noLocs = (v: string): string => v.replace(/^(\/\/ \S+) \(.*\)$/gm, '$1');
    expect(inPage.length).toBeGreaterThan(10_000);
    expect(inPage).toBe(noLocs(inNode));
    await showTab('results');
  });

  test('runs an XDP program over the sample pcap with the verdicts of the Node interpreter', async () => {
    const index = JSON.parse(readFileSync(join(build.outDir, 'examples', 'index.json'), 'utf8')) as { xdp: { file: string; kind: string }[] };
    const example = index.xdp.find((x) => x.kind === 'object') ?? index.xdp[0]!;
    if (example.kind === 'object') {
      // Opened as a person would, through the page's one file picker: an
      // object with maps is refused for plain runs and handed to the XDP tab.
      const open = async (path: string): Promise<void> => {
        const input = await page.$('#file');
        await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(path);
      };
      await open(join(build.outDir, 'examples', example.file));
      await page.waitForSelector('#tab-xdp:not([hidden])', { timeout: 5000 });
      expect(await text('#asm-error')).toMatch(/map .*XDP tab/);
      expect(await page.$eval('#xdp-program', (e) => (e as HTMLSelectElement).value)).toBe('upload');
      await open(join(build.outDir, 'examples', 'sample.pcap'));
      await page.waitForFunction(() => (document.querySelector('#xdp-pcap') as HTMLSelectElement).value === 'upload', { timeout: 5000 });
    } else {
      await showTab('xdp');
      await page.select('#xdp-program', example.file);
      await page.select('#xdp-pcap', 'sample.pcap');
    }
    await page.$eval('#xdp-summary', (e) => (e.textContent = ''));
    await page.click('#xdp-run');
    await page.waitForFunction(() => (document.querySelector('#xdp-summary')?.textContent ?? '') !== '', { timeout: 60_000 });
    const rows = await page.$$eval('#xdp-table tbody tr', (rs) => rs.map((r) => [...r.children].map((c) => c.textContent ?? '')));

    const packets = readPcap(readFileSync(join(build.outDir, 'examples', 'sample.pcap')), { file: 'sample.pcap', requireLinktype: LINKTYPE_ETHERNET }).packets;
    expect(rows.length).toBe(packets.length);
    const object = example.kind === 'object'
      ? loadXdpObject(readFileSync(join(build.outDir, 'examples', example.file)), { file: example.file })
      : { file: example.file, section: 'xdp', program: assemble(readFileSync(join(build.outDir, 'examples', example.file), 'utf8')), maps: [], mapRefs: [], globalRefs: [], helpersCalled: new Set<number>(), usedMaps: new Set<number>() };
    const session = new XdpSession(object, { engine: createInterpXdpEngine() });
    for (const [i, p] of packets.entries()) {
      const r = await session.run(p.data);
      const want = r.kind === 'exit' ? r.actionName : `${r.kind}: ${r.message}`;
      expect(rows[i]!.slice(2, 4).concat(rows[i]![5]!)).toEqual([want, want, 'agree']);
    }
    expect(await text('#xdp-summary')).toMatch(/; 0 disagreements/);
    await showTab('results');
  });

  test('stays responsive during a long run, which Stop ends', async () => {
    await showTab('results');
    await setEditor('mov %r0, 0\nloop:\nadd %r0, 1\nja loop\nexit\n');
    await page.$eval('#lockstep', (e) => e.removeAttribute('data-ok'));
    await page.click('#run');
    await page.waitForFunction(() => (document.querySelector('#status')?.textContent ?? '').startsWith('running'), { timeout: 10_000 });
    // The run is in the engine worker: the page answers and takes typing meanwhile.
    const t = performance.now();
    await page.$eval('#input', (e) => ((e as HTMLInputElement).value = '01'));
    expect(performance.now() - t).toBeLessThan(1000);
    expect(await page.$eval('#stop', (e) => (e as HTMLElement).hidden)).toBe(false);
    await page.click('#stop');
    await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'stopped', { timeout: 5000 });
    expect(await page.$eval('#lockstep', (e) => e.getAttribute('data-ok'))).toBeNull();
    expect(await page.$eval('#stop', (e) => (e as HTMLElement).hidden)).toBe(true);
    // A fresh worker: the next run compiles the build again and gives Node's answer.
    await setEditor(PROGRAM, INPUT);
    await runOnPage();
    expect(Number(await text('#cpu-cycles'))).toBe(programCycles);
  });

  test('simulates the CPU in the page at >= 50% of the Node speed', async () => {
    const iterations = 8_000;
    const best = (xs: number[]): number => Math.max(...xs);
    const web: number[] = [];
    const node: number[] = [];
    for (let i = 0; i < 3; i++) {
      web.push(await pageSpeed(page, PRESET, iterations));
      node.push(speedBench(PRESET, iterations).cyclesPerSecond);
    }
    const ratio = best(web) / best(node);
    process.stdout.write(`playground speed: page ${(best(web) / 1e3).toFixed(0)} k cycles/s, node ${(best(node) / 1e3).toFixed(0)} k cycles/s (${(ratio * 100).toFixed(0)}%)\n`);
    expect(ratio).toBeGreaterThanOrEqual(0.5);
  });

  test('raised no script error and no failed request', () => {
    expect(opened.problems).toEqual([]);
  });
});
