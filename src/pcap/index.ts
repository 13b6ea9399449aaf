// Classic libpcap capture files: read and write.
export { readPcap, linktypeName, type ReadPcapOptions } from './read.ts';
export { writePcap, type PcapRecord, type WritePcapOptions } from './write.ts';
export { PcapError } from './errors.ts';
export * from './format.ts';
