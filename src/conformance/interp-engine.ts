// The reference interpreter as a conformance Engine.

import { Interpreter } from '../interp/interpreter.ts';
import type { ExecOptions, LoadOptions } from '../interp/types.ts';
import type { Program } from '../program.ts';
import type { Engine, EngineResult } from './engine.ts';

export interface InterpreterEngineOptions extends LoadOptions, Pick<ExecOptions, 'maxInsns' | 'trace' | 'args'> {}

export function createInterpreterEngine(opts: InterpreterEngineOptions = {}): Engine {
  return {
    name: 'interp',
    run(program: Program, input: Uint8Array): EngineResult {
      const result = new Interpreter(program, opts).run({ input, maxInsns: opts.maxInsns, trace: opts.trace, args: opts.args });
      if (result.kind === 'exit') return { kind: 'exit', r0: result.r0, insns: result.insns };
      return { kind: 'fault', message: result.message, code: result.code, pc: result.pc, insns: result.insns };
    },
  };
}

export const interpreterEngine: Engine = createInterpreterEngine();
