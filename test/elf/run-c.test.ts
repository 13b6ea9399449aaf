// Real C programs, compiled with clang -target bpf, loaded by the ELF loader
// and run on the reference interpreter. The referee is the same C compiled
// with the host compiler and run natively on the same input (see
// toolchain.ts); a few cases also have answers computed here in TS.

import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatIssue, validateProgram } from '../../src/asm/index.ts';
import { loadElf } from '../../src/elf/index.ts';
import { runProgram } from '../../src/interp/index.ts';
import type { Program } from '../../src/program.ts';
import { Rng } from '../../src/random.ts';
import { packetCases } from './packets.ts';
import { compileBpf, compileNative, type NativeProgram } from './toolchain.ts';

/** Deterministic pseudo-random bytes, so failures reproduce. */
function randomBytes(seed: number, length: number): Uint8Array {
  return new Rng(seed).bytes(length);
}

const RANDOM_INPUTS = [0, 1, 2, 3, 7, 8, 9, 16, 31, 64, 100, 255].map((n, i) => randomBytes(0x9e37 + i * 7919, n));

interface CCase {
  readonly name: string;
  readonly path: string;
  /** C return type of `prog`; the result is compared at this width. */
  readonly returnType: 'unsigned long' | 'int';
  readonly inputs: readonly Uint8Array[];
  /** Answers computed in TS, independent of both compilers (optional). */
  readonly expected?: readonly bigint[];
}

const primeCount = (n: number): number => {
  let c = 0;
  for (let k = 2; k <= n; k++) {
    let p = true;
    for (let i = 2; i < k; i++) if (k % i === 0) p = false;
    if (p) c++;
  }
  return c;
};

const packets = packetCases();
const primeInputs = [[], [0], [1], [2], [3], [10], [67], [100], [255]].map((b) => Uint8Array.from(b));

const CASES: readonly CCase[] = [
  { name: 'loops', path: 'test/fixtures/c/loops.c', returnType: 'unsigned long', inputs: RANDOM_INPUTS },
  { name: 'structs on the stack', path: 'test/fixtures/c/structs.c', returnType: 'unsigned long', inputs: RANDOM_INPUTS },
  {
    name: 'switch',
    path: 'test/fixtures/c/switch.c',
    returnType: 'unsigned long',
    // Every opcode nibble with every argument nibble, then random programs.
    inputs: [Uint8Array.from({ length: 256 }, (_, i) => (i * 17) & 0xff), ...RANDOM_INPUTS],
  },
  { name: 'byte swaps', path: 'test/fixtures/c/bswap.c', returnType: 'unsigned long', inputs: RANDOM_INPUTS },
  { name: 'calls across sections', path: 'test/fixtures/c/calls.c', returnType: 'unsigned long', inputs: RANDOM_INPUTS },
  { name: 'globals', path: 'test/fixtures/c/globals.c', returnType: 'unsigned long', inputs: RANDOM_INPUTS },
  {
    name: 'example: prime counter',
    path: 'examples/c/primes.c',
    returnType: 'unsigned long',
    inputs: primeInputs,
    expected: primeInputs.map((b) => BigInt(primeCount(b.length ? b[0]! : 67))),
  },
  {
    name: 'example: CRC-32',
    path: 'examples/c/crc32.c',
    returnType: 'unsigned long',
    inputs: RANDOM_INPUTS,
    expected: RANDOM_INPUTS.map((b) => BigInt(crc32(b))),
  },
  {
    name: 'example: packet parser',
    path: 'examples/c/packet_parser.c',
    returnType: 'int',
    inputs: [...packets.map((p) => p.bytes), ...RANDOM_INPUTS],
    expected: packets.map((p) => BigInt(p.expected)),
  },
];

const WIDTH = { 'unsigned long': 64, int: 32 } as const;

function runOnInterpreter(program: Program, input: Uint8Array, bits: number): bigint {
  const r = runProgram(program, { input });
  if (r.kind !== 'exit') throw new Error(`interpreter fault: ${r.message}`);
  return BigInt.asIntN(bits, r.r0);
}

interface Built {
  program: Record<string, Program>;
  native: NativeProgram;
}

// Every CPU version clang 14 knows (v4 needs clang >= 18): v1 has no jlt/jle, v2 no 32-bit jumps.
const CPUS = ['v3', 'v2', 'v1'] as const;

describe.each(CASES)('C program: $name', (c) => {
  const built = {} as Built;
  beforeAll(async () => {
    const source = readFileSync(c.path, 'utf8');
    const [native, ...objects] = await Promise.all([
      compileNative(source, 'prog', c.returnType),
      ...CPUS.map((cpu) => compileBpf(source, { cpu })),
    ]);
    built.native = native;
    built.program = Object.fromEntries(CPUS.map((cpu, i) => [cpu, loadElf(objects[i]!, { file: c.path })]));
  });

  it.each(CPUS)('-mcpu=%s passes the program validator', (cpu) => {
    const program = built.program[cpu]!;
    expect(validateProgram(program).map((issue) => formatIssue(issue, program))).toEqual([]);
  });

  it.each(CPUS)('-mcpu=%s gives the native result on every input', async (cpu) => {
    const native = await built.native.run(c.inputs);
    const ours = c.inputs.map((input) => runOnInterpreter(built.program[cpu]!, input, WIDTH[c.returnType]));
    expect(ours).toEqual(native);
  });

  if (c.expected) {
    it('native and bpfgate results match the answers computed in TS', async () => {
      const n = c.expected!.length;
      const native = await built.native.run(c.inputs.slice(0, n));
      expect(native).toEqual(c.expected);
      const ours = c.inputs.slice(0, n).map((input) => runOnInterpreter(built.program.v3!, input, WIDTH[c.returnType]));
      expect(ours).toEqual(c.expected);
    });
  }
});
