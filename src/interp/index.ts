// Reference interpreter for RFC 9669 eBPF; semantics and layout in README.md here.
export { Interpreter, runProgram } from './interpreter.ts';
export { defaultHelpers, unwindHelper, UNWIND_HELPER_ID } from './helpers.ts';
export { InputTooLargeError } from './memory.ts';
export * from './types.ts';
