// Test helpers: assemble and run, returning r0 or the fault.

import { expect } from 'vitest';
import { assemble } from '../../src/asm/assembler.ts';
import { runProgram, type Exit, type Fault, type RunOptions } from '../../src/interp/index.ts';
import type { Program } from '../../src/program.ts';

export function asm(source: string): Program {
  return assemble(source, { file: 'test.s' });
}

/** Run and expect a normal exit. */
export function exitOf(p: Program | string, opts: RunOptions = {}): Exit {
  const r = runProgram(typeof p === 'string' ? asm(p) : p, opts);
  if (r.kind !== 'exit') expect.fail(`expected an exit, got fault: ${r.message}`);
  return r;
}

export function r0Of(p: Program | string, opts: RunOptions = {}): bigint {
  return exitOf(p, opts).r0;
}

/** Run and expect a fault. */
export function faultOf(p: Program | string, opts: RunOptions = {}): Fault {
  const r = runProgram(typeof p === 'string' ? asm(p) : p, opts);
  if (r.kind !== 'fault') expect.fail(`expected a fault, got exit with r0 = 0x${r.r0.toString(16)}`);
  return r;
}
