// The CLI as a user meets it: real processes, real files, and the contracts
// other tools read (the conformance summary line, plugin output).

import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CONFORMANCE_TESTS, REPO_ROOT } from '../../src/paths.ts';

const run = promisify(execFile);
const BIN = resolve(REPO_ROOT, 'bin', 'bpfgate.mjs');

interface Outcome { code: number; stdout: string; stderr: string }

async function bpfgate(args: string[], input?: string): Promise<Outcome> {
  const child = run(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, timeout: 60_000 });
  if (input !== undefined) {
    child.child.stdin!.end(input);
  }
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const dir = mkdtempSync(join(tmpdir(), 'bpfgate-cli-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('bpfgate CLI', () => {
  it('runs an assembly file and prints r0', async () => {
    const prog = file('ok.s', 'mov %r0, 40\nadd %r0, 2\nexit\n');
    const out = await bpfgate(['run', prog]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^r0: 0x2a \(42\)$/m);
    expect(out.stdout).toMatch(/^insns: 3$/m);
  });

  it('passes input bytes and argument registers', async () => {
    const prog = file('load.s', 'ldxw %r0, [%r1]\nadd %r0, %r3\nexit\n');
    const out = await bpfgate(['run', prog, '--mem-hex', '01 00 00 00', '--args', 'r3=0x10']);
    expect(out.stdout).toMatch(/^r0: 0x11 /m);
  });

  it('reports a fault with pc, instruction and address, and exits 2', async () => {
    const prog = file('oob.s', 'ldxw %r0, [%r1+100]\nexit\n');
    const out = await bpfgate(['run', prog, '--mem-hex', '0102']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/fault: out-of-bounds: pc 0: ldxw %r0, \[%r1\+100\].*0x20000064/);
  });

  it('names file, line and column for bad assembly, without a stack trace', async () => {
    const prog = file('bad.s', 'mov %r0, 1\nadd %r0, %r11\nexit\n');
    const out = await bpfgate(['run', prog]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/bad\.s:2:\d+: .*Invalid register/);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it('gives clear errors for a missing file, an unknown engine and bad --args', async () => {
    expect((await bpfgate(['run', join(dir, 'nope.o')])).stderr).toMatch(/program not found: .*nope\.o/);
    const prog = file('x.s', 'mov %r0, 0\nexit\n');
    expect((await bpfgate(['run', prog, '--engine', 'quantum'])).stderr).toMatch(/unknown engine 'quantum'; known engines: interp/);
    expect((await bpfgate(['run', prog, '--args', 'r9=1'])).stderr).toMatch(/--args: 'r9=1'/);
  });

  it('gives a clear error for a truncated ELF', async () => {
    const elf = file('trunc.o', '\x7fELF\x02\x01');
    const out = await bpfgate(['run', elf]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/trunc\.o/);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it('assembles to words and disassembles them back', async () => {
    const prog = file('rt.s', 'lddw %r1, 0x1122334455667788\nmov32 %r0, %r1\nexit\n');
    const words = await bpfgate(['asm', prog]);
    expect(words.stdout.trim().split('\n')).toEqual([
      '0x5566778800000118', '0x1122334400000000', '0x00000000000010bc', '0x0000000000000095',
    ]);
    const binPath = join(dir, 'rt.bin');
    await bpfgate(['asm', prog, '--format', 'bin', '--out', binPath]);
    const dis = await bpfgate(['disasm', binPath]);
    expect(dis.stdout).toContain('lddw %r1, 0x1122334455667788');
    expect(dis.stdout).toContain('mov32 %r0, %r1');
  });

  it('runs conformance files and ends with the summary line', async () => {
    const out = await bpfgate(['conformance', join(CONFORMANCE_TESTS, 'add.data'), join(CONFORMANCE_TESTS, 'prime.data')]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^PASS .*add\.data/m);
    expect(out.stdout.trim().split('\n').at(-1)).toBe('2 passed, 0 failed');
  });

  it('exits non-zero when a conformance file fails', async () => {
    const wrong = file('wrong.data', '-- asm\nmov %r0, 1\nexit\n-- result\n0x2\n');
    const out = await bpfgate(['conformance', wrong]);
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/^FAIL /m);
    expect(out.stdout.trim().split('\n').at(-1)).toBe('0 passed, 1 failed');
  });

  it('speaks the bpf_conformance plugin protocol', async () => {
    const ok = await bpfgate(['plugin', '01 02 03 04'], '61 10 00 00 00 00 00 00 95 00 00 00 00 00 00 00\n');
    expect(ok).toMatchObject({ code: 0, stdout: '4030201\n' });
    const bad = await bpfgate(['plugin'], 'ff\n');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/not a whole number of 8-byte instructions/);
  });
});
