// `bpfgate build` refuses bad options before synthesis starts: each error
// names the option (or board) and what it accepts, in one line, exit 1.
// `--clock` (build and verilog) puts the PLL in front of the SoC.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './support.ts';

const build = (args: string[]) => cli(['build', ...args]);

describe('bpfgate build option errors', () => {
  it('names a board that does not exist and lists the real ones', async () => {
    const r = await build(['--board', 'nosuchboard', '--out', '/tmp/bpfgate-never-built']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nosuchboard/);
    expect(r.stderr).toMatch(/icebreaker/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('refuses an unknown router, naming the ones there are', async () => {
    const r = await build(['--board', 'icebreaker', '--router', 'router3', '--out', '/tmp/bpfgate-never-built']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/--router expects router1 or router2, got 'router3'$/);
    expect(r.stdout).not.toMatch(/synth/i);
  });

  it('refuses a seed that is not a whole number', async () => {
    const r = await build(['--board', 'icebreaker', '--seed', 'x1', '--out', '/tmp/bpfgate-never-built']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--seed/);
    expect(r.stdout).not.toMatch(/synth/i);
  });

  it('refuses a core clock the PLL cannot make, naming the range and the oscillator', async () => {
    for (const [clock, why] of [['13', /outside 16\.\.275 MHz/], ['fast', /expects a frequency in MHz, got 'fast'/]] as const) {
      const r = await build(['--board', 'icebreaker', '--clock', clock, '--out', '/tmp/bpfgate-never-built']);
      expect(r.code, clock).toBe(1);
      expect(r.stderr, clock).toMatch(/--clock/);
      expect(r.stderr, clock).toMatch(why);
      expect(r.stderr, clock).not.toMatch(/\n\s+at /);
      expect(r.stdout, clock).not.toMatch(/synth/i);
    }
  });
});

describe('bpfgate verilog --clock', () => {
  const topOf = (dir: string): string => readFileSync(join(dir, 'bpfgate_top.v'), 'utf8');

  it("runs the core on the CPU build's measured clock through the PLL, or on the one asked for", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfgate-clock-'));
    // The hx8k build's preset clock: 24 MHz from the breakout's 12 MHz oscillator.
    const preset = await cli(['verilog', '--board', 'ice40-hx8k-breakout', '--out', dir]);
    expect(preset.code, preset.stderr).toBe(0);
    expect(preset.stdout).toMatch(/core clock 24\.000 MHz \(PLL from the 12 MHz oscillator\)/);
    expect(topOf(dir)).toMatch(/SB_PLL40_CORE/);
    // --clock at the oscillator's own frequency: no PLL.
    const plain = await cli(['verilog', '--board', 'ice40-hx8k-breakout', '--clock', '12', '--out', dir]);
    expect(plain.stdout).toMatch(/core clock 12\.000 MHz\n/);
    expect(topOf(dir)).not.toMatch(/SB_PLL40/);
    // The UP5K build has no preset clock (its Fmax is below the PLL's 16 MHz floor).
    const up5k = await cli(['verilog', '--board', 'icebreaker', '--out', dir]);
    expect(up5k.stdout).toMatch(/core clock 12\.000 MHz\n/);
    const asked = await cli(['verilog', '--board', 'icebreaker', '--clock', '20', '--out', dir]);
    expect(asked.stdout).toMatch(/core clock 19\.875 MHz \(PLL/);
  });
});
