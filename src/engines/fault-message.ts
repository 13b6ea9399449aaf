// One-line fault messages for the hardware engines, in the interpreter's
// shape: `pc N: <instruction>: <what happened>`.

import { describeSlot } from '../interp/describe.ts';
import type { FaultCode } from '../interp/types.ts';
import type { Program } from '../program.ts';

const WHAT: Record<FaultCode, string> = {
  'illegal-instruction': 'illegal instruction',
  'bad-register': 'invalid register (r11+, or a write to the read-only r10)',
  'out-of-bounds': 'memory access outside the stack and the data region',
  'call-depth': 'local call exceeds the call depth (memoryMap.maxFrames)',
  budget: 'instruction budget exhausted',
  'bad-helper': 'unknown helper id',
  'helper-fault': 'the helper reported an error',
  'bad-jump': 'control left the program',
};

export function cpuFaultMessage(engine: string, program: Program, code: FaultCode, pc: number): string {
  return `pc ${pc}: ${describeSlot(program, pc)}: ${WHAT[code]} (${code}, on ${engine})`;
}
