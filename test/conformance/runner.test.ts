// The conformance runner's judging and report format, with fake engines and
// data files written to a temporary directory.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatReport, formatResultLine, runConformance, runConformanceFile, runConformanceReport, type Engine, type EngineResult,
} from '../../src/conformance/index.ts';
import type { Program } from '../../src/program.ts';

let root: string;
const write = (dir: string, name: string, text: string): string => {
  mkdirSync(join(root, dir), { recursive: true });
  const path = join(root, dir, name);
  writeFileSync(path, text);
  return path;
};

/** An engine that returns a fixed r0 (or fault) and records what it was given. */
function fakeEngine(result: EngineResult | (() => never)): Engine & { seen: { program: Program; input: Uint8Array }[] } {
  const seen: { program: Program; input: Uint8Array }[] = [];
  return {
    name: 'fake',
    seen,
    async run(program, input) {
      seen.push({ program, input });
      if (typeof result === 'function') return result();
      return result;
    },
  };
}
const returns = (r0: bigint) => fakeEngine({ kind: 'exit', r0 });

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'bpfgate-conformance-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('positive files', () => {
  it('pass when r0 equals -- result (hex), fail naming both values otherwise', async () => {
    const f = write('tests', 'ok.data', '-- asm\nmov %r0, 5\nexit\n-- result\n0x5\n');
    expect((await runConformanceFile(f, returns(5n))).passed).toBe(true);
    const bad = await runConformanceFile(f, returns(6n));
    expect(formatResultLine(bad)).toBe('FAIL tests/ok.data: r0 = 0x6, expected 0x5');
  });
  it('compare all 64 bits; a result without 0x is decimal', async () => {
    const f = write('tests', 'dec.data', '-- asm\nmov %r0, 5\nexit\n-- result\n42\n');
    expect((await runConformanceFile(f, returns(42n))).passed).toBe(true);
    expect((await runConformanceFile(f, returns(42n + (1n << 32n)))).passed).toBe(false);
    const g = write('tests', 'wide.data', '-- asm\nmov %r0, 5\nexit\n-- result\n0xffffffffffffffff\n');
    expect((await runConformanceFile(g, returns(0xffffffffffffffffn))).passed).toBe(true);
    expect((await runConformanceFile(g, returns(0xffffffffn))).passed).toBe(false);
  });
  it('give the engine the assembled program and the -- mem bytes', async () => {
    const f = write('tests', 'mem.data', '-- asm\nmov %r0, %r2\nexit\n-- mem\n01 02 ff\n-- result\n3\n');
    const engine = returns(3n);
    await runConformanceFile(f, engine);
    expect([...engine.seen[0]!.input]).toEqual([1, 2, 0xff]);
    expect(engine.seen[0]!.program.insns).toHaveLength(2);
  });
  it('fail on an engine fault, an assembly error or an invalid program', async () => {
    const f = write('tests', 'f.data', '-- asm\nmov %r0, 5\nexit\n-- result\n0x5\n');
    const fault = await runConformanceFile(f, fakeEngine({ kind: 'fault', message: 'pc 0: boom' }));
    expect(fault.reason).toBe('fault: pc 0: boom');
    const asmErr = await runConformanceFile(write('tests', 'a.data', '-- asm\nfrob %r0\nexit\n-- result\n0\n'), returns(0n));
    expect(asmErr.reason).toMatch(/^assembly failed: .*a\.data:2:1: unknown mnemonic/);
    const invalid = await runConformanceFile(write('tests', 'v.data', '-- asm\nmov %r0, %r3\nmov %r0, %r7\nexit\n-- result\n0\n'), returns(0n));
    expect(invalid.reason).toMatch(/^invalid program: .*r7/);
  });
  it('files with -- error pass when something reports an error, fail when the program runs', async () => {
    const f = write('tests', 'e.data', '-- asm\nfrob\n-- error\nunknown\n');
    expect((await runConformanceFile(f, returns(0n))).passed).toBe(true);
    const g = write('tests', 'e2.data', '-- asm\nmov %r0, 0\nexit\n-- error\nsomething\n');
    expect((await runConformanceFile(g, returns(0n))).reason).toMatch(/expected an error/);
    // Even a file that cannot be parsed is judged by its -- error header.
    const h = write('tests', 'e3.data', '-- asm\nexit\n-- bogus\n-- error\nx\n');
    expect((await runConformanceFile(h, returns(0n))).passed).toBe(true);
  });
  it('fail when there is neither -- result nor -- error', async () => {
    const f = write('tests', 'n.data', '-- asm\nmov %r0, 0\nexit\n');
    expect((await runConformanceFile(f, returns(0n))).reason).toMatch(/no -- result or -- error/);
  });
  it('an engine that throws fails the file, in both modes', async () => {
    const thrower = fakeEngine(() => {
      throw new Error('verilator not found');
    });
    const f = write('tests', 't.data', '-- asm\nmov %r0, 0\nexit\n-- result\n0\n');
    expect((await runConformanceFile(f, thrower)).reason).toBe("engine error: engine 'fake' failed: verilator not found");
    const g = write('negative', 't.data', '-- asm\nmov %r0, 0\nexit\n-- result\n1\n');
    expect((await runConformanceFile(g, thrower)).passed).toBe(false);
  });
});

describe('negative files', () => {
  it('pass when any stage reports an error', async () => {
    const f = write('negative', 'bad.data', '-- asm\nfrob %r0\n-- result\n0\n');
    const r = await runConformanceFile(f, returns(0n));
    expect(r.negative).toBe(true);
    expect(r.passed).toBe(true);
  });
  it('a valid program passes only if its r0 differs from -- result', async () => {
    const f = write('negative', 'wrong.data', '-- asm\nmov %r0, 1\nexit\n-- result\n0x2\n');
    expect((await runConformanceFile(f, returns(1n))).passed).toBe(true);
    const same = await runConformanceFile(f, returns(2n));
    expect(same.reason).toMatch(/matches the -- result it must not match/);
  });
  it('a valid program with no result fails', async () => {
    const f = write('negative', 'ok.data', '-- asm\nmov %r0, 1\nexit\n-- error\nx\n');
    expect((await runConformanceFile(f, returns(1n))).reason).toMatch(/expected an error/);
  });
  it('the mode can be forced either way', async () => {
    const f = write('tests', 'forced.data', '-- asm\nmov %r0, 1\nexit\n-- result\n0x2\n');
    expect((await runConformanceFile(f, returns(1n), { mode: 'negative' })).passed).toBe(true);
    const g = write('negative', 'forced.data', '-- asm\nmov %r0, 1\nexit\n-- result\n0x1\n');
    expect((await runConformanceFile(g, returns(1n), { mode: 'positive' })).passed).toBe(true);
  });
});

describe('runConformance', () => {
  it('expands directories to their sorted .data files and ends with the summary line', async () => {
    write('sorted', 'b.data', '-- asm\nmov %r0, 1\nexit\n-- result\n1\n');
    write('sorted', 'a.data', '-- asm\nmov %r0, 1\nexit\n-- result\n2\n');
    write('sorted', 'notes.txt', 'ignored');
    const streamed: string[] = [];
    const summary = await runConformance([join(root, 'sorted'), join(root, 'missing.data')], {
      engine: returns(1n),
      onResult: (r) => streamed.push(r.name),
    });
    expect(streamed).toEqual(['sorted/a.data', 'sorted/b.data', `${root.split('/').at(-1)}/missing.data`]);
    const report = formatReport(summary).trimEnd().split('\n');
    expect(report[0]).toBe('FAIL sorted/a.data: r0 = 0x1, expected 0x2');
    expect(report[1]).toBe('PASS sorted/b.data');
    expect(report[2]).toMatch(/^FAIL .*missing\.data: cannot read file: .*ENOENT/);
    expect(report[3]).toBe('1 passed, 2 failed');
    expect(summary).toMatchObject({ passed: 1, failed: 2 });
  });
  it('runConformanceReport streams the lines and returns the exit code', async () => {
    const lines: string[] = [];
    const code = await runConformanceReport([join(root, 'sorted', 'b.data')], { engine: returns(1n), write: (l) => lines.push(l) });
    expect(lines).toEqual(['PASS sorted/b.data', '1 passed, 0 failed']);
    expect(code).toBe(0);
    expect(await runConformanceReport([join(root, 'sorted')], { engine: returns(1n), write: () => {} })).toBe(1);
    mkdirSync(join(root, 'empty'), { recursive: true });
    expect(await runConformanceReport([join(root, 'empty')], { engine: returns(1n), write: () => {} })).toBe(1);
  });
});
