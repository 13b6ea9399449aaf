// Public face of the ELF loader.
export { loadElf, listPrograms, type LoadElfOptions } from './load.ts';
export type { ElfProgramInfo, ElfFunction } from './select.ts';
export { ElfError } from './errors.ts';
export { loadElfWithMaps } from './load-with-maps.ts';
export { readMapDefinitions, type MapDefinition } from './maps.ts';
