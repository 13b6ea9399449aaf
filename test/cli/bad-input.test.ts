// The CLI cases of issue 15, as a new user and as an attacker meet them:
// help and version, the asm | disasm pipeline, bad slots, faults on stderr,
// load errors versus faults, write errors, an empty conformance folder.

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/paths.ts';
import { cli } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'bpfgate-bad-input-'));
function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('help and version', () => {
  it('a bare bpfgate prints the help and succeeds', async () => {
    const out = await cli([]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^Usage: bpfgate /);
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const out = await cli(['--version']);
    expect(out).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('--help ends with examples, the pipeline among them', async () => {
    const out = await cli(['--help']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/\nExamples:\n(.*\n)*  bpfgate asm prog\.s -f words \| bpfgate disasm -/);
  });
});

describe('asm | disasm', () => {
  const source = 'lddw %r1, 0x1122334455667788\nmov32 %r0, %r1\nexit\n';

  it('README\'s pipeline works: words on standard input', async () => {
    const words = await cli(['asm', file('p.s', source), '-f', 'words']);
    const child = promisify(execFile)(process.execPath, [resolve(REPO_ROOT, 'bin/bpfgate.mjs'), 'disasm', '-'], { timeout: 60_000 });
    child.child.stdin!.end(words.stdout);
    const { stdout } = await child;
    expect(stdout).toBe('lddw %r1, 0x1122334455667788\nmov32 %r0, %r1\nexit\n');
  });

  it('asm output in words and hex formats is recognised without an extension', async () => {
    for (const format of ['words', 'hex']) {
      const text = (await cli(['asm', file('p.s', source), '-f', format])).stdout;
      const out = await cli(['disasm', file(`p-${format}`, text)]);
      expect(out).toMatchObject({ code: 0, stdout: 'lddw %r1, 0x1122334455667788\nmov32 %r0, %r1\nexit\n' });
    }
  });

  it('disasm shows a binary with bad slots, marking them, instead of refusing it', async () => {
    const bin = file('bad.bin', Uint8Array.from([0xff, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]));
    const out = await cli(['disasm', bin]);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe('.raw 0x00000000000000ff  # unknown opcode 0xff\nexit\n');
    expect(out.stderr).toMatch(/bad\.bin: pc 0 .*Invalid instruction: unknown opcode 0xff/);
  });
});

describe('run', () => {
  it('a fault goes to stderr (exit 2), the counts stay on stdout', async () => {
    const out = await cli(['run', file('oob.s', 'ldxw %r0, [%r1+100]\nexit\n'), '--mem-hex', '0102']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^fault: out-of-bounds: pc 0: ldxw %r0, \[%r1\+100\]/);
    expect(out.stdout).not.toMatch(/fault/);
    expect(out.stdout).toMatch(/^insns: 0$/m);
  });

  it('a program too large for the simulated CPU is a load error (exit 1), not a fault', async () => {
    const big = file('big.s', `${'mov %r0, 1\n'.repeat(5000)}exit\n`);
    const out = await cli(['run', big, '--engine', 'sim']);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^bpfgate: .*big\.s: cannot load: program has 5001 slots but the CPU's program memory holds \d+/);
    expect(out.stderr).not.toMatch(/fault/);
  });
});

describe('files and folders', () => {
  it('asm -o names the file it cannot write, and why', async () => {
    const src = file('ok.s', 'mov %r0, 0\nexit\n');
    const out = await cli(['asm', src, '-o', join(dir, 'no-such-folder', 'out.txt')]);
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(`bpfgate: cannot write output file ${join(dir, 'no-such-folder', 'out.txt')}: its folder does not exist\n`);
  });

  it('conformance on an empty folder keeps the summary line and says why nothing ran', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    const out = await cli(['conformance', empty]);
    expect(out.code).toBe(1);
    expect(out.stdout.trim().split('\n').at(-1)).toBe('0 passed, 0 failed');
    expect(out.stderr).toMatch(/no \.data files in .*empty: give \.data files, or folders holding them/);
  });
});

describe('runaway programs', () => {
  const loop = (): string => file('loop.s', 'mov %r0, 0\nloop:\nadd %r0, 1\nja loop\nexit\n');

  it('--max-insns is one budget, labelled for every engine', async () => {
    const help = (await cli(['run', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toMatch(/--max-insns <n> instruction budget, every engine \(default 1000000\): running out is a budget fault naming the pc/);
  });

  it('the interpreter stops a runaway loop at the default budget, naming the pc', async () => {
    const out = await cli(['run', loop()]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^fault: budget: pc [12]: /);
    expect(out.stdout).toMatch(/^insns: 1000000$/m);
  });

  it('so does the simulated CPU, in seconds, with a budget fault (not a cycle timeout) and its counters', async () => {
    const out = await cli(['run', loop(), '--engine', 'sim']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^fault: budget: pc [12]: .*instruction budget exhausted \(budget, on sim\)/);
    expect(out.stdout).toMatch(/^insns: 1000000$/m);
    expect(out.stdout).toMatch(/^cycles: [1-9]\d*$/m);
  }, 30_000);
});
