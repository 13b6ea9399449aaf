// An XDP object file, loaded and vetted once: the program (with the lddw
// slots that name maps), the map definitions, and the helpers it calls. A
// helper bpfgate does not implement is refused here, before any packet, like
// the kernel verifier refuses it at load time.

import { loadElfWithMaps, type ElfWithMaps } from '../elf/load-with-maps.ts';
import { decodeSpec } from '../isa/lookup.ts';
import type { Program, SourceRef } from '../program.ts';
import { XdpError } from './errors.ts';
import { helperName } from './helper-names.ts';
import { SUPPORTED_HELPERS } from './helpers.ts';

export interface XdpObject extends ElfWithMaps {
  /** File name for messages. */
  readonly file: string;
  /** Helper ids the program calls with `call N`. */
  readonly helpersCalled: ReadonlySet<number>;
}

export interface LoadXdpOptions {
  file?: string;
  /** Executable section (default: the object's first program section, e.g. `xdp`). */
  section?: string;
  /** Function to start at. */
  symbol?: string;
}

/** Load an XDP program from a clang -target bpf object. Throws ElfError or XdpError. */
export function loadXdpObject(bytes: Uint8Array, opts: LoadXdpOptions = {}): XdpObject {
  const file = opts.file ?? '<memory>';
  const elf = loadElfWithMaps(bytes, { file, ...(opts.section ? { section: opts.section } : {}), ...(opts.symbol ? { symbol: opts.symbol } : {}) });
  const helpersCalled = new Set<number>();
  elf.program.insns.forEach((insn, slot) => {
    const decoded = decodeSpec(insn);
    if (!decoded.ok || decoded.spec.sem.kind !== 'call') return;
    const where = `${file}: ${describeSite(elf.program, slot)}`;
    if (decoded.spec.sem.target === 'btf') throw new XdpError(`${where} calls a kfunc (BTF id ${insn.imm}); bpfgate supports helper calls only`);
    if (decoded.spec.sem.target !== 'helper') return;
    if (!SUPPORTED_HELPERS.has(insn.imm)) {
      const supported = [...SUPPORTED_HELPERS].sort((a, b) => a - b).map(helperName).join(', ');
      throw new XdpError(`${where} calls ${helperName(insn.imm)} (helper ${insn.imm}), which bpfgate's XDP mode does not support; supported: ${supported}`);
    }
    helpersCalled.add(insn.imm);
  });
  return { ...elf, file, helpersCalled };
}

/** `pc 12 (prog.c:40:9)`, or `pc 12` without line info. */
export function describeSite(program: Program, slot: number): string {
  const source = program.sources?.[slot];
  return source ? `pc ${slot} (${formatSource(source)})` : `pc ${slot}`;
}

export function formatSource(source: SourceRef): string {
  return `${source.file}:${source.line}:${source.column}`;
}

/** The program with each map lddw loading its map's handle (one per map index). */
export function bindMapHandles(obj: ElfWithMaps, handles: readonly number[]): Program {
  const insns = obj.program.insns.map((insn) => ({ ...insn }));
  for (const ref of obj.mapRefs) {
    insns[ref.slot]!.imm = handles[ref.map]! | 0;
    insns[ref.slot + 1]!.imm = 0;
  }
  return { ...obj.program, insns, ...(obj.program.globals ? { globals: obj.program.globals.slice() } : {}) };
}
