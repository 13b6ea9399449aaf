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
export function kernelInstructions(
  obj: Pick<XdpObject, 'program' | 'mapRefs' | 'globalRefs' | 'file' | 'entryFunction'>, mapNumbers: readonly number[], globalsMap?: number,
): Insn[] {
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
  return obj.entryFunction ? onlyEntryFunction(insns, obj.entryFunction, obj.file) : insns;
}

/**
 * The entry function alone plus the sections linked after its own (bpfgate
 * links the whole section; the verifier refuses the other functions in it as
 * unreachable). Local calls out of the function are moved by the gap.
 */
function onlyEntryFunction(insns: Insn[], fn: { start: number; end: number; sectionEnd: number }, file: string): Insn[] {
  const gap = fn.sectionEnd - fn.end;
  const kept = [...insns.slice(fn.start, fn.end), ...insns.slice(fn.sectionEnd)];
  const newSlot = (old: number): number => (old < fn.sectionEnd ? old - fn.start : old - gap - fn.start);
  for (let old = fn.start; old < fn.end; old++) {
    const insn = insns[old]!;
    if (insn.opcode !== 0x85 || insn.src !== 1) continue; // local call
    const target = old + 1 + insn.imm;
    if (target >= fn.start && target < fn.end) continue;
    if (target < fn.sectionEnd) throw new Error(`${file}: the entry function calls another function of its own section (slot ${target}); the kernel referee cannot split that`);
    kept[newSlot(old)] = { ...insn, imm: newSlot(target) - newSlot(old) - 1 };
  }
  return kept;
}
