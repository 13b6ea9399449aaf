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
import { loadTailCallTargets, type TailCallTargets } from './tail-calls.ts';

export interface XdpObject extends ElfWithMaps {
  /** File name for messages. */
  readonly file: string;
  /** Helper ids the program (or a tail-call target) calls with `call N`. */
  readonly helpersCalled: ReadonlySet<number>;
  /** Indexes (into `maps`) of the maps the program's code (or a tail-call target's) refers to. */
  readonly usedMaps: ReadonlySet<number>;
  /** Programs tail calls may reach (numbers 1..n; 0 is this one) and the PROG_ARRAY slots naming them. */
  readonly tailCalls?: TailCallTargets;
}

export interface LoadXdpOptions {
  file?: string;
  /** Executable section (default: the object's first program section, e.g. `xdp`). */
  section?: string;
  /** Function to start at. */
  symbol?: string;
  /** PROG_ARRAY contents, `MAP=INDEX:PROGRAM[,...]` (see tail-calls.ts); added to the object's own initialisers. */
  progArray?: readonly string[];
  /** max_entries overrides by map name, as a loader sets them before creating the maps (libbpf: bpf_map__set_max_entries). */
  mapEntries?: Readonly<Record<string, number>>;
}

/** Load an XDP program from a clang -target bpf object. Throws ElfError or XdpError. */
export function loadXdpObject(bytes: Uint8Array, opts: LoadXdpOptions = {}): XdpObject {
  const file = opts.file ?? '<memory>';
  const elf = withMapEntries(
    loadElfWithMaps(bytes, { file, ...(opts.section ? { section: opts.section } : {}), ...(opts.symbol ? { symbol: opts.symbol } : {}) }),
    file, opts.mapEntries ?? {},
  );
  const tailCalls = loadTailCallTargets(bytes, file, elf, opts.progArray ?? []);
  const helpersCalled = new Set<number>();
  const usedMaps = new Set<number>();
  for (const part of [elf, ...tailCalls.programs]) {
    if ((part.program.globals?.length ?? 0) !== (elf.program.globals?.length ?? 0)) {
      throw new XdpError(`${file}: program '${part.section}' sees a different globals layout than '${elf.section}'`);
    }
    scanHelpers(part.program, part === elf ? file : `${file}: program '${part.section}'`, helpersCalled);
    for (const r of part.mapRefs) usedMaps.add(r.map);
  }
  return { ...elf, file, helpersCalled, usedMaps, tailCalls };
}

/** The object with max_entries replaced for the named maps. Throws XdpError for an unknown map or a bad count. */
function withMapEntries(elf: ElfWithMaps, file: string, entries: Readonly<Record<string, number>>): ElfWithMaps {
  for (const [name, n] of Object.entries(entries)) {
    if (!elf.maps.some((m) => m.name === name)) {
      throw new XdpError(`--map-entries ${name}=${n}: ${file} has no map '${name}'; maps: ${elf.maps.map((m) => `'${m.name}'`).join(', ') || 'none'}`);
    }
    if (!Number.isInteger(n) || n < 1 || n > 0xffffffff) throw new XdpError(`--map-entries ${name}=${n}: max_entries must be a whole number from 1 to 4294967295`);
  }
  if (Object.keys(entries).length === 0) return elf;
  return { ...elf, maps: elf.maps.map((m) => (entries[m.name] === undefined ? m : { ...m, maxEntries: entries[m.name]! })) };
}

/** Add the helpers `program` calls to `into`; refuse kfuncs and helpers bpfgate lacks. */
function scanHelpers(program: Program, file: string, into: Set<number>): void {
  program.insns.forEach((insn, slot) => {
    const decoded = decodeSpec(insn);
    if (!decoded.ok || decoded.spec.sem.kind !== 'call') return;
    const where = `${file}: ${describeSite(program, slot)}`;
    if (decoded.spec.sem.target === 'btf') throw new XdpError(`${where} calls a kfunc (BTF id ${insn.imm}); bpfgate supports helper calls only`);
    if (decoded.spec.sem.target !== 'helper') return;
    if (!SUPPORTED_HELPERS.has(insn.imm)) {
      const supported = [...SUPPORTED_HELPERS].sort((a, b) => a - b).map(helperName).join(', ');
      throw new XdpError(`${where} calls ${helperName(insn.imm)} (helper ${insn.imm}), which bpfgate's XDP mode does not support; supported: ${supported}`);
    }
    into.add(insn.imm);
  });
}

/** `pc 12 (prog.c:40:9)`, or `pc 12` without line info. */
export function describeSite(program: Program, slot: number): string {
  const source = program.sources?.[slot];
  return source ? `pc ${slot} (${formatSource(source)})` : `pc ${slot}`;
}

export function formatSource(source: SourceRef): string {
  return `${source.file}:${source.line}:${source.column}`;
}

/** The program with each map lddw loading its map's handle (by map index). */
export function bindMapHandles(obj: Pick<ElfWithMaps, 'program' | 'mapRefs'>, handles: ReadonlyMap<number, number>): Program {
  const insns = obj.program.insns.map((insn) => ({ ...insn }));
  for (const ref of obj.mapRefs) {
    const handle = handles.get(ref.map);
    if (handle === undefined) throw new XdpError(`internal: map ${ref.map} is used by the program but was not placed`);
    insns[ref.slot]!.imm = handle | 0;
    insns[ref.slot + 1]!.imm = 0;
  }
  return { ...obj.program, insns, ...(obj.program.globals ? { globals: obj.program.globals.slice() } : {}) };
}
