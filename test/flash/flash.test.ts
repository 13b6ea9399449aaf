import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICES, requireBoard } from '../../src/board/index.ts';
import { flash, flashCommand, FlashError, formatCommand, NoBoardFoundError } from '../../src/flash/index.ts';
import { MissingToolError } from '../../src/toolchain/index.ts';
import { findOnPath } from '../../src/tools.ts';

/** Bytes shaped like an icepack image of `bytes` bytes: preamble, sync word, zero padding. */
function fakeBitstream(bytes: number): Uint8Array {
  const image = new Uint8Array(bytes);
  image.set([0xff, 0x00, 0x00, 0xff, 0x7e, 0xaa, 0x99, 0x7e]);
  return image;
}

let dir: string;
let up5kBin: string;
let hx8kBin: string;
let fakeTools: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bpfgate-flash-'));
  up5kBin = join(dir, 'up5k design.bin');
  hx8kBin = join(dir, 'hx8k.bin');
  await writeFile(up5kBin, fakeBitstream(DEVICES.up5k.bitstreamBytes));
  await writeFile(hx8kBin, fakeBitstream(DEVICES.hx8k.bitstreamBytes));
  fakeTools = join(dir, 'bin');
  await mkdir(fakeTools);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fakeTool(name: string, script: string): Promise<void> {
  await writeFile(join(fakeTools, name), `#!/bin/sh\n${script}\n`);
  await chmod(join(fakeTools, name), 0o755);
}

describe('flash command per board', () => {
  const cases: [string, string, string[]][] = [
    ['icebreaker', 'iceprog', ['/x.bin']],
    ['icesugar', 'icesprog', ['/x.bin']],
    ['upduino-v3', 'iceprog', ['/x.bin']],
    ['ice40-hx8k-breakout', 'iceprog', ['/x.bin']],
    ['tinyfpga-bx', 'tinyprog', ['-p', '/x.bin']],
    ['fomu-pvt', 'dfu-util', ['-D', '/x.bin']],
    ['icestick', 'iceprog', ['/x.bin']],
  ];
  for (const [board, tool, args] of cases) {
    it(`${board}: ${tool} ${args.join(' ')}`, () => {
      const cmd = flashCommand(requireBoard(board), '/x.bin');
      expect(cmd.tool).toBe(tool);
      expect(cmd.args).toEqual(args);
      expect(cmd.packageHint.length).toBeGreaterThan(0);
    });
  }

  it('names the package of each tool', () => {
    expect(flashCommand(requireBoard('icebreaker'), '/x.bin').packageHint).toMatch(/Debian package 'fpga-icestorm'/);
    expect(flashCommand(requireBoard('tinyfpga-bx'), '/x.bin').packageHint).toMatch(/pip install tinyprog/);
    expect(flashCommand(requireBoard('fomu'), '/x.bin').packageHint).toMatch(/Debian package 'dfu-util'/);
    expect(flashCommand(requireBoard('icesugar'), '/x.bin').packageHint).toMatch(/github\.com\/wuxx\/icesugar/);
  });

  it('loads SRAM with iceprog -S, and only with iceprog', () => {
    expect(flashCommand(requireBoard('hx8k'), '/x.bin', { sram: true }).args).toEqual(['-S', '/x.bin']);
    expect(() => flashCommand(requireBoard('icesugar'), '/x.bin', { sram: true })).toThrowError(/not available with icesprog/);
  });

  it('offers the alternative tools a board lists, and refuses others', () => {
    const cmd = flashCommand(requireBoard('icebreaker'), '/x.bin', { tool: 'openFPGALoader' });
    expect([cmd.tool, ...cmd.args]).toEqual(['openFPGALoader', '-b', 'ice40_generic', '-f', '/x.bin']);
    expect(() => flashCommand(requireBoard('icebreaker'), '/x.bin', { tool: 'dfu-util' })).toThrowError(
      "board 'icebreaker' is not programmed with dfu-util; it can be programmed with: iceprog, openFPGALoader",
    );
  });

  it('keeps the path one argument, and quotes it only for display', () => {
    const cmd = flashCommand(requireBoard('icebreaker'), "/tmp/my design's.bin");
    expect(cmd.args).toEqual(["/tmp/my design's.bin"]);
    expect(formatCommand(cmd)).toBe(`iceprog '/tmp/my design'\\''s.bin'`);
  });
});

describe('flash', () => {
  it('dry run: reports the command and whether the tool is there, runs nothing', async () => {
    const r = await flash(requireBoard('icebreaker'), up5kBin, { dryRun: true });
    expect(r.ran).toBe(false);
    expect(r.command.args).toEqual([up5kBin]);
    expect(r.commandText).toBe(`iceprog '${up5kBin}'`);
    expect(r.toolPath).toBe(findOnPath('iceprog'));
    const missing = await flash(requireBoard('icebreaker'), up5kBin, { dryRun: true, path: '/nonexistent' });
    expect(missing.toolPath).toBeUndefined();
  });

  it('names the package and the exact command when the tool is missing', async () => {
    const err = await flash(requireBoard('icebreaker'), up5kBin, { path: '/nonexistent' }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(MissingToolError);
    expect((err as Error).message).toBe(
      "iceprog not found on PATH: install the Debian package 'fpga-icestorm' (sudo apt-get install fpga-icestorm); " +
        `it is needed to program board 'icebreaker': iceprog '${up5kBin}'`,
    );
  });

  it('says "no board found" when the real iceprog finds no USB device', async () => {
    expect(findOnPath('iceprog'), "iceprog is needed for this test: install the Debian package 'fpga-icestorm'").toBeDefined();
    const err = await flash(requireBoard('icebreaker'), up5kBin).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(NoBoardFoundError);
    expect((err as Error).message).toMatch(/^no board found: iceprog could not find iCEBreaker v1\.0 on USB\. .*then run: iceprog /);
  });

  it('streams the tool\'s progress and succeeds when it does', async () => {
    await fakeTool('icesprog', 'echo "write flash ($(wc -c < "$1") Bytes)"; echo done');
    const lines: string[] = [];
    const r = await flash(requireBoard('icesugar'), up5kBin, { path: fakeTools, onLine: (l) => lines.push(l) });
    expect(r.ran).toBe(true);
    expect(lines).toEqual([`write flash (${DEVICES.up5k.bitstreamBytes} Bytes)`, 'done']);
  });

  it('reports any other failure with the tool\'s last lines', async () => {
    await fakeTool('tinyprog', 'echo "Programming at addr 028000"; echo "Error: flash verify failed" >&2; exit 1');
    const board = requireBoard('tinyfpga-bx');
    const lp8k = join(dir, 'lp8k.bin');
    await writeFile(lp8k, fakeBitstream(DEVICES.lp8k.bitstreamBytes));
    const err = await flash(board, lp8k, { path: fakeTools }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(FlashError);
    expect(err).not.toBeInstanceOf(NoBoardFoundError);
    expect((err as Error).message).toMatch(/^tinyprog exited with status 1 while programming board 'tinyfpga-bx' \(tinyprog -p .*lp8k\.bin\):\n  Programming at addr 028000\n  Error: flash verify failed$/);
  });

  it('turns each tool\'s "no device" message into "no board found"', async () => {
    await fakeTool('dfu-util', 'echo "dfu-util: No DFU capable USB device available" >&2; exit 74');
    await expect(flash(requireBoard('fomu'), up5kBin, { path: fakeTools })).rejects.toThrowError(NoBoardFoundError);
  });

  it('checks the file before the board: exists, is a bitstream, is for this part', async () => {
    await expect(flash(requireBoard('icebreaker'), join(dir, 'missing.bin'), { dryRun: true })).rejects.toThrowError(/cannot read bitstream .*missing\.bin/);
    const asc = join(dir, 'design.asc');
    await writeFile(asc, '.comment from nextpnr\n.device 5k\n');
    await expect(flash(requireBoard('icebreaker'), asc, { dryRun: true })).rejects.toThrowError(/is not an iCE40 bitstream \(no sync word/);
    await expect(flash(requireBoard('icebreaker'), hx8kBin, { dryRun: true })).rejects.toThrowError(
      /hx8k\.bin \(135100 bytes\) is a bitstream for an iCE40HX8K, but board 'icebreaker' has an iCE40UP5K/,
    );
  });
});
