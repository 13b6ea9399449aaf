// Public face of the ISA: the table, its indexes and the raw encoding.
export * from './encoding.ts';
export * from './table.ts';
export * from './lookup.ts';
export * from './memory-map.ts';
