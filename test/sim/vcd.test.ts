import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../sim/simulator.ts';
import { traceVcd, vcdToString } from '../../sim/vcd.ts';
import { counter } from '../../sim/referee/hand/counter.ts';
import { uartLoopback } from '../../sim/referee/hand/uart.ts';

describe('VCD writer', () => {
  it('writes a header with scopes and value changes per cycle', async () => {
    const sim = await Simulator.create(counter(4));
    sim.poke('en', 1);
    sim.poke('up', 1);
    const text = vcdToString(sim, 20, { signals: ['count', 'wrap'] });
    expect(text).toMatch(/\$var wire 4 \S+ count \[3:0\] \$end/);
    expect(text).toMatch(/\$var wire 1 \S+ wrap \$end/);
    expect(text).toContain('$enddefinitions $end');
    const id = /\$var wire 4 (\S+) count/.exec(text)![1]!;
    // count goes 0..15 then wraps: 16 distinct values, 20 changes.
    const changes = text.split('\n').filter((l) => l.endsWith(` ${id}`));
    expect(changes.length).toBe(21);
    expect(changes[3]).toBe(`b11 ${id}`);
    expect(text).toContain('#40\n');
  });

  it('traces all signals of a hierarchy to a file', async () => {
    const sim = await Simulator.create(uartLoopback(4));
    const path = join(mkdtempSync(join(tmpdir(), 'vcd-')), 'uart.vcd');
    const trace = traceVcd(sim, path);
    sim.reset();
    sim.poke('din', 0x5a);
    sim.poke('start', 1);
    sim.step(60);
    await trace.close();
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('$scope module u_tx $end');
    expect(text).toContain('$scope module u_rx $end');
    expect(text).toMatch(/\$var wire 10 \S+ shift \[9:0\] \$end/);
    expect((text.match(/^#\d+$/gm) ?? []).length).toBe(2 * 62);
  });
});
