// `bpfgate conformance --board B` / `--config NAME` run the suite on that
// CPU build: what the build leaves out faults as an illegal instruction,
// what it has passes, and the option is refused where it means nothing.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireConformanceData } from '../../src/paths.ts';
import { cli } from './support.ts';

const tests = (...names: string[]): string[] => names.map((n) => join(requireConformanceData(), n));
// sdiv (v4, but on the divider) and div are not in the UP5K build; add and mul are.
const FILES = tests('sdiv64-imm.data', 'div32-imm.data', 'add.data', 'mul32-imm.data');

describe('conformance on a board build', () => {
  it("runs the board's own build: its missing groups fault as illegal instructions", async () => {
    const r = await cli(['conformance', '--engine', 'sim', '--board', 'icebreaker', ...FILES]);
    expect(r.stdout).toMatch(/^FAIL .*sdiv64-imm\.data: .*illegal instruction/m);
    expect(r.stdout).toMatch(/^FAIL .*div32-imm\.data: .*illegal instruction/m);
    expect(r.stdout).toMatch(/^PASS .*add\.data$/m);
    expect(r.stdout).toMatch(/^PASS .*mul32-imm\.data$/m);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('2 passed, 2 failed');
    expect(r.code).toBe(1);
  });

  it('runs a named build, which can hold every group', async () => {
    const r = await cli(['conformance', '--engine', 'sim', '--config', 'hx8k', ...FILES]);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('4 passed, 0 failed');
    expect(r.code).toBe(0);
  });

  it("runs a build with narrow counters ('minimal', 16 bits) within the budget it can count", async () => {
    const r = await cli(['conformance', '--engine', 'sim', '--config', 'minimal', ...FILES]);
    expect(r.stdout).toMatch(/^PASS .*add\.data$/m);
    expect(r.stdout).toMatch(/^FAIL .*mul32-imm\.data: .*illegal instruction/m);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('1 passed, 3 failed');
  });

  it('refuses a build for the interpreter, an unknown build, and both options at once', async () => {
    expect((await cli(['conformance', '--engine', 'interp', '--board', 'icebreaker', ...FILES])).stderr).toMatch(/--board\/--config is not supported by engine interp; engines that support it: sim, verilator, icarus, soc-sim/);
    expect((await cli(['conformance', '--engine', 'sim', '--config', 'nosuch', ...FILES])).stderr).toMatch(/unknown CPU config 'nosuch'; known: .*up5k/);
    const both = await cli(['conformance', '--engine', 'sim', '--config', 'hx8k', '--board', 'icebreaker', ...FILES]);
    expect(both.stderr).toMatch(/--board or --config, not both/);
    expect(both.code).toBe(1);
  });
});
