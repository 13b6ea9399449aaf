// Public face of the assembler package: text <-> slots, `.data` files, and
// the loader check every engine runs before executing a program.
export { AsmError } from './errors.ts';
export { assemble, IMPLICIT_EXIT_LABEL, RAW_DIRECTIVE, type AssembleOptions } from './assembler.ts';
export { parseRaw, type RawOptions, type RawSlots } from './raw.ts';
export {
  disassemble, disassembleInsns, disassembleOne, disassembleProgram,
  type DisassembleOptions, type DisassembledInsn,
} from './disassembler.ts';
export {
  assertValidProgram, checkProgram, ENTRY_DEFINED, formatIssue, MAX_REPORTED_ISSUES, ProgramValidationError, validateProgram,
  type ValidationIssue,
} from './validate.ts';
export { registerEffects, type RegisterEffects } from './reg-effects.ts';
export { KNOWN_SECTIONS, parseDataFile, programFromDataFile, type DataFile } from './data-file.ts';
export { checkDataFile, type DataFileVerdict } from './data-file-check.ts';
export { formatLlvm, type LlvmFormatOptions } from './llvm-syntax.ts';
