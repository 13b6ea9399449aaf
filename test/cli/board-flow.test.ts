import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICES } from '../../src/board/index.ts';
import { parsePinOptions, registerBoardCommands } from '../../src/cli/commands/board-flow.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bpfgate-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<string> {
  let text = '';
  const program = new Command().exitOverride();
  registerBoardCommands(program, (t) => (text += t));
  await program.parseAsync(['node', 'bpfgate', ...args]);
  return text;
}

describe('board CLI verbs', () => {
  it('boards: lists every board with unsupported reasons', async () => {
    const text = await run('boards');
    expect(text).toMatch(/icebreaker\s+iCEBreaker v1\.0, iCE40UP5K-SG48 \(default\)/);
    expect(text).toMatch(/icestick .*unsupported: the bpfgate core does not fit/);
  });

  it('flash --dry-run: prints the command without running it', async () => {
    const bin = join(dir, 'd.bin');
    const image = new Uint8Array(DEVICES.up5k.bitstreamBytes);
    image.set([0xff, 0x00, 0x00, 0xff, 0x7e, 0xaa, 0x99, 0x7e]);
    await writeFile(bin, image);
    expect(await run('flash', bin, '--board', 'icebreaker', '--dry-run')).toMatch(new RegExp(`^would run: iceprog ${bin}\\n`));
    expect(await run('flash', bin, '--tool', 'openFPGALoader', '-n')).toMatch(/^would run: openFPGALoader -b ice40_generic -f /);
  });

  it('parses --pin pairs and rejects malformed ones', () => {
    expect(parsePinOptions(['gpio[0]=23', 'x=B4'])).toEqual({ 'gpio[0]': '23', x: 'B4' });
    expect(() => parsePinOptions(['gpio23'])).toThrowError(/--pin expects <signal>=<package pin>/);
  });
});
