// Public face of the ELF loader.
export { loadElf, listPrograms, type LoadElfOptions } from './load.ts';
export type { ElfProgramInfo, ElfFunction } from './select.ts';
export { ElfError } from './errors.ts';
