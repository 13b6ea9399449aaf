// The instruction array the kernel's BPF_PROG_LOAD wants for an XDP object,
// the way libbpf would patch it: each map lddw gets src=1
// (BPF_PSEUDO_MAP_FD) with the map's number, and each lddw of a global's
// address becomes src=2 (BPF_PSEUDO_MAP_VALUE) into one array map holding
// all the globals (bpf-runner.c swaps the numbers for file descriptors).

import type { Insn } from '../../isa/encoding.ts';
import type { XdpObject } from '../object.ts';

export const BPF_PSEUDO_MAP_FD = 1;
export const BPF_PSEUDO_MAP_VALUE = 2;

/**
 * `mapNumbers[i]`: the runner's number for obj.maps[i]; `globalsMap`: its
 * number for the globals map (needed when the program uses globals).
 */
export function kernelInstructions(obj: XdpObject, mapNumbers: readonly number[], globalsMap?: number): Insn[] {
  const insns = obj.program.insns.map((insn) => ({ ...insn }));
  for (const ref of obj.mapRefs) {
    insns[ref.slot] = { ...insns[ref.slot]!, src: BPF_PSEUDO_MAP_FD, imm: mapNumbers[ref.map]! };
    insns[ref.slot + 1] = { ...insns[ref.slot + 1]!, imm: 0 };
  }
  if (obj.globalRefs.length > 0 && globalsMap === undefined) {
    throw new Error(`${obj.file}: the program uses global variables; kernelInstructions needs the globals map`);
  }
  for (const ref of obj.globalRefs) {
    insns[ref.slot] = { ...insns[ref.slot]!, src: BPF_PSEUDO_MAP_VALUE, imm: globalsMap! };
    insns[ref.slot + 1] = { ...insns[ref.slot + 1]!, imm: ref.offset };
  }
  return insns;
}
