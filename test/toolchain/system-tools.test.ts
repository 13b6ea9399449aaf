import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MissingToolError } from '../../src/toolchain/index.ts';
import { normaliseSources, readSourceFiles } from '../../src/toolchain/sources.ts';
import { requireTool, runProcess } from '../../src/toolchain/system-tools.ts';
import { findOnPath } from '../../src/tools.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bpfgate-tools-'));
  await writeFile(join(dir, 'talker'), '#!/bin/sh\necho one\necho two >&2\nprintf "three"\nexit 3\n');
  await chmod(join(dir, 'talker'), 0o755);
  await writeFile(join(dir, 'not-executable'), 'x');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('native tools', () => {
  it('finds executables on a given PATH only', () => {
    expect(findOnPath('talker', `/nonexistent:${dir}`)).toBe(join(dir, 'talker'));
    expect(findOnPath('not-executable', dir)).toBeUndefined();
    expect(findOnPath('talker', '/nonexistent')).toBeUndefined();
  });

  it('names the package to install for a missing tool', () => {
    expect(() => requireTool('icebox_vlog', 'check bitstreams', '/nonexistent')).toThrowError(MissingToolError);
    expect(() => requireTool('icebox_vlog', 'check bitstreams', '/nonexistent')).toThrowError(
      "icebox_vlog not found on PATH: install the Debian package 'fpga-icestorm' (sudo apt-get install fpga-icestorm); it is needed to check bitstreams",
    );
  });

  it('runs an argv without a shell and streams its lines', async () => {
    const lines: string[] = [];
    const r = await runProcess([join(dir, 'talker'), 'arg with spaces; rm -rf /'], { onLine: (l, s) => lines.push(`${s}:${l}`) });
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toBe('one\nthree');
    expect(lines.sort()).toEqual(['stderr:two', 'stdout:one', 'stdout:three']);
  });
});

describe('design sources', () => {
  it('takes one string or named files, and reads only .v/.sv as HDL', () => {
    expect(normaliseSources('module m; endmodule')).toEqual({ files: { 'design.v': 'module m; endmodule' }, hdl: ['design.v'] });
    expect(normaliseSources({ 'a.v': '', 'b.sv': '', 'defs.vh': '', 'rom.hex': '' }).hdl).toEqual(['a.v', 'b.sv']);
  });

  it('rejects names a yosys script cannot carry, and sources without Verilog', () => {
    expect(() => normaliseSources({ 'src/a.v': '' })).toThrowError(/'src\/a\.v' must be a plain file name/);
    expect(() => normaliseSources({ 'my design.v': '' })).toThrowError(/plain file name/);
    expect(() => normaliseSources({ 'rom.hex': '' })).toThrowError(/no Verilog source among 'rom\.hex'/);
  });

  it('reads files from disk by base name and names a missing one', async () => {
    await writeFile(join(dir, 'x.v'), 'module x; endmodule');
    expect(await readSourceFiles([join(dir, 'x.v')])).toEqual({ 'x.v': 'module x; endmodule' });
    await expect(readSourceFiles([join(dir, 'missing.v')])).rejects.toThrowError(/cannot read source file .*missing\.v/);
    await expect(readSourceFiles([join(dir, 'x.v'), join(dir, 'x.v')])).rejects.toThrowError(/two source files are both called 'x\.v'/);
  });
});
