// Interpreter speed: retired instructions per second on a few programs.
// Run alone with `npx tsx bench/interp.ts`; bench/main.ts can import
// benchInterp() and merge its numbers.

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { assemble } from '../src/asm/assembler.ts';
import { parseDataFile } from '../src/asm/data-file.ts';
import { formatIssue, validateProgram } from '../src/asm/validate.ts';
import { Interpreter } from '../src/interp/interpreter.ts';
import type { Program } from '../src/program.ts';
import { CONFORMANCE_TESTS } from '../src/paths.ts';


/** Measure each program for at least this long. */
const MIN_SECONDS = 0.4;

interface BenchProgram {
  readonly name: string;
  readonly program: Program;
  readonly input: Uint8Array;
}

/** prime.data from the conformance suite, testing a larger prime so the loop runs ~1M times. */
function primeProgram(): BenchProgram {
  const file = `${CONFORMANCE_TESTS}/prime.data`;
  const data = parseDataFile(readFileSync(file, 'utf8'), file);
  if (data.asm === undefined || !/^mov %r1, 67$/m.test(data.asm)) {
    throw new Error(`${file}: expected its '-- asm' to start with 'mov %r1, 67' (the number it tests)`);
  }
  const asm = data.asm.replace(/^mov %r1, 67$/m, 'mov %r1, 1000003');
  return { name: 'prime', program: assemble(asm, { file }), input: new Uint8Array(0) };
}

/** Register-only arithmetic and a backward branch. */
function aluLoopProgram(): BenchProgram {
  const asm = `
    mov %r0, 0
    mov %r1, 0
    mov %r2, 2000000
    mov %r3, 1
  loop:
    add %r0, %r1
    xor %r0, 0x5a5a
    lsh %r0, 3
    rsh %r0, 1
    mul32 %r3, 7
    add32 %r3, %r0
    add %r1, 1
    jlt %r1, %r2, loop
    exit`;
  return { name: 'alu-loop', program: assemble(asm, { file: 'alu-loop' }), input: new Uint8Array(0) };
}

/** Byte loads from the input, a stack store/load round trip per byte; 20 passes over 32 KiB. */
function memLoopProgram(): BenchProgram {
  const asm = `
    mov %r0, 0
    mov %r6, 20
  outer:
    mov %r3, 0
  inner:
    mov %r4, %r1
    add %r4, %r3
    ldxb %r5, [%r4+0]
    add %r0, %r5
    stxdw [%r10-8], %r0
    ldxdw %r0, [%r10-8]
    add %r3, 1
    jlt %r3, %r2, inner
    sub %r6, 1
    jne %r6, 0, outer
    exit`;
  const input = new Uint8Array(32 * 1024).map((_, i) => (i * 31) & 0xff);
  return { name: 'mem-loop', program: assemble(asm, { file: 'mem-loop' }), input };
}

function measure(b: BenchProgram): number {
  const issues = validateProgram(b.program);
  if (issues.length > 0) throw new Error(`bench ${b.name}: ${formatIssue(issues[0]!, b.program)}`);
  const interp = new Interpreter(b.program);
  const once = (): number => {
    const r = interp.run({ input: b.input, maxInsns: 1e9 });
    if (r.kind !== 'exit') throw new Error(`bench ${b.name}: ${r.message}`);
    return r.insns;
  };
  once(); // warm-up: let V8 optimise the run loop
  let insns = 0;
  const start = performance.now();
  let seconds = 0;
  do {
    insns += once();
    seconds = (performance.now() - start) / 1000;
  } while (seconds < MIN_SECONDS);
  return Math.round(insns / seconds);
}

export async function benchInterp(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const b of [primeProgram(), aluLoopProgram(), memLoopProgram()]) out[`interp.ips.${b.name}`] = measure(b);
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const [key, value] of Object.entries(await benchInterp())) console.log(`${key}: ${value}`);
}
