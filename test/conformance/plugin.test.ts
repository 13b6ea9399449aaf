// `bpfgate plugin`: the bpf_conformance plugin protocol (memory hex in argv[0],
// program hex on stdin or after --program, r0 in lowercase hex on stdout).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDataFile, programFromDataFile } from '../../src/asm/data-file.ts';
import { runPlugin } from '../../src/conformance/index.ts';
import { encodeProgram } from '../../src/isa/encoding.ts';
import { requireConformanceData } from '../../src/paths.ts';

/** Hex bytes the way the upstream runner writes them: two digits, then two spaces. */
const upstreamHex = (bytes: Uint8Array): string => [...bytes].map((b) => `${b.toString(16).padStart(2, '0')}  `).join('');

const MOV_R0_R2_EXIT = 'bf 20 00 00 00 00 00 00 95 00 00 00 00 00 00 00';

describe('plugin protocol', () => {
  it('reads memory from argv[0] and the program from stdin; prints r0 as bare lowercase hex', () => {
    expect(runPlugin(['00 00 00 01 00 00 00 02'], `${MOV_R0_R2_EXIT}\n`)).toEqual({ stdout: '8\n', exitCode: 0 });
    expect(runPlugin([], 'b7 00 00 00 ff ff ff ff 95 00 00 00 00 00 00 00')).toEqual({ stdout: 'ffffffffffffffff\n', exitCode: 0 });
  });
  it('accepts --program, an empty memory argument and contiguous hex', () => {
    expect(runPlugin(['', '--program', 'bf20000000000000 9500000000000000'], '')).toEqual({ stdout: '0\n', exitCode: 0 });
    expect(runPlugin(['0102', '--program', 'bf20000000000000 9500000000000000'], '')).toEqual({ stdout: '2\n', exitCode: 0 });
  });
  it('only the first stdin line is the program', () => {
    expect(runPlugin([], `${MOV_R0_R2_EXIT}\nff ff\n`).exitCode).toBe(0);
  });
  it('reports errors on stdout with exit code 1', () => {
    const badHex = runPlugin([], 'b7 zz');
    expect(badHex.exitCode).toBe(1);
    expect(badHex.stdout).toMatch(/invalid program hex 'zz' at character 3 \(byte offset 1\)/);
    expect(runPlugin([], 'b7 00 00').stdout).toMatch(/3 bytes, not a whole number of 8-byte instructions/);
    expect(runPlugin([], '').stdout).toMatch(/program is empty/);
    expect(runPlugin([], 'bf 01 00 00 00 00 00 00 95 00 00 00 00 00 00 00').stdout).toMatch(/^Failed to load code: pc 0 .*r0/);
    const fault = runPlugin([], '79 a0 00 00 00 00 00 00 95 00 00 00 00 00 00 00');
    expect(fault).toMatchObject({ exitCode: 1 });
    // r10+0 is the first byte above the frame: outside it (and outside memory), the fault names the frame.
    expect(fault.stdout).toMatch(/^Failed to execute program: pc 0: .*outside the current stack frame/);
    expect(runPlugin(['--jit'], MOV_R0_R2_EXIT)).toEqual({ stdout: expect.stringMatching(/^Invalid arguments: --jit/), exitCode: 1 });
    for (const r of [badHex, fault]) expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
  });
  it('agrees with -- result on every conformance test, fed the way the upstream runner feeds it', () => {
    const dir = requireConformanceData();
    const files = readdirSync(dir).filter((f) => f.endsWith('.data'));
    expect(files).toHaveLength(313);
    for (const name of files) {
      const file = join(dir, name);
      const data = parseDataFile(readFileSync(file, 'utf8'), file);
      const program = programFromDataFile(data, file);
      const out = runPlugin([upstreamHex(data.mem ?? new Uint8Array(0)), ''], `${upstreamHex(encodeProgram(program.insns))}\n`);
      expect(out.exitCode, `${name}: ${out.stdout}`).toBe(0);
      expect(BigInt(`0x${out.stdout.trim()}`), name).toBe(data.result);
    }
  });
});
