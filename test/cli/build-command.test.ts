// `bpfgate build` refuses bad options before synthesis starts: each error
// names the option (or board) and what it accepts, in one line, exit 1.

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
});
