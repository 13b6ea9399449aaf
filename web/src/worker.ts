// The playground's engines in a Web Worker: compiling a CPU build and every
// run happen here, off the page's thread, so the page stays responsive (and
// can stop a long run by ending the worker). The page sends what to load
// (text or bytes, cheap to copy) rather than loaded programs, and gets plain
// data back; a LoadError comes back with its line and column.

import {
  checkExample, cpuFor, loadAssembly, loadDataFile, LoadError, loadObject, lockstep, profileCpu, readPackets, runCpu,
  runInterpOn, runXdp, signalNames, speedBench, verilogFor, xdpObjectOf, type Loaded,
} from './playground.ts';

/** A program as the page has it: editor text (assembly or a `.data` file) or an object's bytes; `input` overrides a `.data` file's. */
export type Source =
  | { readonly kind: 'asm' | 'data'; readonly text: string; readonly file: string; readonly input?: Uint8Array }
  | { readonly kind: 'object'; readonly bytes: Uint8Array; readonly file: string; readonly input?: Uint8Array };

export interface Window {
  readonly start: number;
  readonly length: number;
  readonly signals: readonly string[];
}

function load(src: Source): Loaded {
  const loaded = src.kind === 'object' ? loadObject(src.bytes, src.file) : src.kind === 'data' ? loadDataFile(src.text, src.file) : loadAssembly(src.text, src.file);
  return src.input ? { ...loaded, input: src.input } : loaded;
}

const ops = {
  /** Elaborate and compile a build's CPU (kept for later runs); its time in ms. */
  compile(preset: string): number {
    const t = performance.now();
    cpuFor(preset);
    return performance.now() - t;
  },
  /** Both engines, the lockstep check and a profiled run (CPI per class, the waveform window). */
  run(preset: string, src: Source, window: Window) {
    const loaded = load(src);
    const interp = runInterpOn(preset, loaded);
    const cpu = runCpu(preset, loaded);
    const ls = lockstep(preset, loaded);
    const profile = profileCpu(preset, loaded, window);
    return {
      interp, cpu, classes: profile.classes, wave: profile.wave,
      expected: loaded.expected, expectsError: loaded.expectsError ?? false,
      lockstep: { ok: ls.ok, insns: ls.insns, cycles: ls.cycles, divergence: ls.divergence },
    };
  },
  profile(preset: string, src: Source, window: Window) {
    return profileCpu(preset, load(src), window).wave;
  },
  signals(preset: string) {
    return signalNames(preset);
  },
  verilog(preset: string): string {
    return verilogFor(preset);
  },
  example(preset: string, name: string, text: string) {
    return checkExample(preset, name, text);
  },
  async xdp(preset: string, program: Source, pcap: { bytes: Uint8Array; file: string }) {
    const object = program.kind === 'object'
      ? xdpObjectOf({ object: program.bytes, file: program.file })
      : xdpObjectOf({ program: load(program).program, file: program.file });
    return runXdp(preset, object, readPackets(pcap.bytes, pcap.file));
  },
  speed(preset: string, iterations: number) {
    return speedBench(preset, iterations);
  },
};

export type Ops = typeof ops;

export interface Request {
  readonly id: number;
  readonly op: keyof Ops;
  readonly args: unknown[];
}

export type Reply =
  | { readonly id: number; readonly value: unknown }
  | { readonly id: number; readonly error: { readonly name: string; readonly message: string; readonly line?: number; readonly column?: number } };

// Only in a worker (this module is also imported for its types).
if (typeof document === 'undefined' && typeof self !== 'undefined' && 'postMessage' in self) {
  self.addEventListener('message', (e: MessageEvent<Request>) => {
    const { id, op, args } = e.data;
    void (async () => {
      try {
        const value = await (ops[op] as (...a: unknown[]) => unknown)(...args);
        self.postMessage({ id, value } satisfies Reply);
      } catch (err) {
        const x = err as Error & { line?: number; column?: number };
        const error = err instanceof LoadError
          ? { name: 'LoadError', message: x.message, ...(x.line !== undefined ? { line: x.line } : {}), ...(x.column !== undefined ? { column: x.column } : {}) }
          : { name: x?.name ?? 'Error', message: x?.message ?? String(err) };
        self.postMessage({ id, error } satisfies Reply);
      }
    })();
  });
}
