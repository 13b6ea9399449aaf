// Load an XDP object into the kernel the way libbpf would (maps created from
// their definitions, globals in one array map) and run it there: the
// referee side of bpfgate's differential tests and benchmarks.

import { XdpError } from '../errors.ts';
import type { MapEntry } from '../map-table.ts';
import type { XdpObject } from '../object.ts';
import { kernelInstructions } from './kernel-program.ts';
import type { KernelRunResult, KernelXdp } from './kernel-runner.ts';

const BPF_MAP_TYPE_ARRAY = 2;

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
  for (const def of obj.maps) numbers.push(await kernel.createMap(def));
  const globals = obj.program.globals ?? new Uint8Array(0);
  let globalsMap: number | undefined;
  if (globals.length > 0) {
    globalsMap = await kernel.createMap({ type: BPF_MAP_TYPE_ARRAY, keySize: 4, valueSize: globals.length, maxEntries: 1, flags: 0 });
    await kernel.update(globalsMap, new Uint8Array(4), globals);
  }
  await kernel.load(kernelInstructions(obj, numbers, globalsMap));
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
