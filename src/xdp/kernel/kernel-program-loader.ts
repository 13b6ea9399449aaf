// Load an XDP object into the kernel the way libbpf would (maps created from
// their definitions, globals in one array map) and run it there: the
// referee side of bpfgate's differential tests and benchmarks.

import { cpus } from 'node:os';
import { XdpError } from '../errors.ts';
import type { MapEntry } from '../map-table.ts';
import type { XdpObject } from '../object.ts';
import { kernelInstructions } from './kernel-program.ts';
import type { KernelRunResult, KernelXdp } from './kernel-runner.ts';

const BPF_MAP_TYPE_ARRAY = 2;
const BPF_MAP_TYPE_PERF_EVENT_ARRAY = 4;

export interface KernelXdpProgram {
  /** The runner's number for each map, by name. */
  readonly maps: ReadonlyMap<string, number>;
  update(map: string, key: Uint8Array, value: Uint8Array, flags?: number): Promise<void>;
  delete(map: string, key: Uint8Array): Promise<void>;
  dump(map: string): Promise<MapEntry[]>;
  /** The globals (.data/.bss/.rodata) as the kernel holds them, or undefined without globals. */
  globals(): Promise<Uint8Array | undefined>;
  run(packet: Uint8Array, repeat?: number): Promise<KernelRunResult>;
}

export async function loadIntoKernel(kernel: KernelXdp, obj: XdpObject): Promise<KernelXdpProgram> {
  const numbers: number[] = [];
  for (const def of obj.maps) {
    // A map-in-map needs an inner map of the template's shape at creation (libbpf makes a throwaway one the same way).
    const inner = def.inner ? await kernel.createMap(def.inner) : undefined;
    // libbpf sizes a perf event array without max_entries to the machine's CPUs.
    const sized = def.type === BPF_MAP_TYPE_PERF_EVENT_ARRAY && def.maxEntries === 0 ? { ...def, maxEntries: cpus().length } : def;
    numbers.push(await kernel.createMap(sized, inner));
  }
  const globals = obj.program.globals ?? new Uint8Array(0);
  let globalsMap: number | undefined;
  if (globals.length > 0) {
    globalsMap = await kernel.createMap({ type: BPF_MAP_TYPE_ARRAY, keySize: 4, valueSize: globals.length, maxEntries: 1, flags: 0 });
    await kernel.update(globalsMap, new Uint8Array(4), globals);
  }
  const key = (index: number): Uint8Array => Uint8Array.from([index & 0xff, (index >>> 8) & 0xff, (index >>> 16) & 0xff, index >>> 24]);
  for (const [i, def] of obj.maps.entries()) {
    for (const init of def.inner ? def.initial ?? [] : []) {
      const target = obj.maps.findIndex((d) => d.name === init.symbol);
      if (target >= 0) await kernel.setFd(numbers[i]!, key(init.index), 'map', numbers[target]!);
    }
  }
  // Tail-call targets first (numbers 1..n as in the session); the PROG_ARRAY slots then get their fds.
  const progs: number[] = [];
  for (const p of obj.tailCalls?.programs ?? []) progs.push(await kernel.loadExtra(kernelInstructions({ ...p, file: obj.file }, numbers, globalsMap)));
  await kernel.load(kernelInstructions(obj, numbers, globalsMap));
  const needsEntry = (obj.tailCalls?.slots ?? []).some((s) => s.program === 0);
  const entry = needsEntry ? await kernel.loadExtra(kernelInstructions(obj, numbers, globalsMap)) : undefined;
  for (const s of obj.tailCalls?.slots ?? []) {
    await kernel.setFd(numbers[s.map]!, key(s.index), 'prog', s.program === 0 ? entry! : progs[s.program - 1]!);
  }
  const maps = new Map(obj.maps.map((m, i) => [m.name, numbers[i]!]));
  const number = (name: string): number => {
    const n = maps.get(name);
    if (n === undefined) throw new XdpError(`${obj.file}: no map '${name}'`);
    return n;
  };
  return {
    maps,
    update: (map, key, value, flags = 0) => kernel.update(number(map), key, value, flags),
    delete: (map, key) => kernel.delete(number(map), key),
    dump: (map) => kernel.dump(number(map)),
    globals: async () => (globalsMap === undefined ? undefined : (await kernel.dump(globalsMap))[0]?.value),
    run: (packet, repeat = 1) => kernel.run(packet, repeat),
  };
}
