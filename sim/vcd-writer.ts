// VCD writer: records chosen (or all) named signals after every clock edge.
// Time unit is one clock cycle split in two so the clock itself is visible:
// time 2n is the rising edge of cycle n, 2n+1 the falling edge.
//
// This module does no I/O (it runs in a browser too): the text goes to a
// sink. The Node-only file writer, traceVcd, is in ./vcd.ts.

import type { Simulator } from './simulator.ts';

export interface VcdOptions {
  /** Signal names to record (default: every named signal). */
  signals?: string[];
  timescale?: string;
}

export interface VcdTrace {
  /** Sample now (done automatically after every step). */
  sample(): void;
  close(): Promise<void>;
}

/** Record `sim` into `write` after every step from now on; samples the current state immediately. */
export function traceVcdTo(sim: Simulator, write: (text: string) => void, opts: VcdOptions = {}): VcdTrace & { stop(): void } {
  const trace = new VcdWriter(sim, write, opts);
  const off = sim.onStep(() => trace.sample());
  trace.sample();
  return { sample: () => trace.sample(), stop: off, close: async () => off() };
}

/** Build a VCD as a string (for tests and small traces). */
export function vcdToString(sim: Simulator, cycles: number, opts: VcdOptions = {}): string {
  let text = '';
  const w = new VcdWriter(sim, (s) => (text += s), opts);
  w.sample();
  for (let i = 0; i < cycles; i++) {
    sim.step();
    w.sample();
  }
  return text;
}

export class VcdWriter {
  private readonly sigs: { name: string; id: string; width: number; last: string | undefined }[];
  private headerDone = false;

  constructor(
    private readonly sim: Simulator,
    private readonly write: (s: string) => void,
    private readonly opts: VcdOptions,
  ) {
    const all = sim.signals().filter((s) => !s.name.includes('__') || !sim.has(s.name.replace(/__/g, '.')));
    const chosen = opts.signals ? opts.signals.map((n) => all.find((s) => s.name === n) ?? missing(n)) : all;
    this.sigs = chosen.map((s, i) => ({ name: s.name, id: vcdId(i + 1), width: s.width, last: undefined }));
  }

  private header(): void {
    const lines = [`$date ${new Date().toISOString()} $end`, '$version bpfgate dsl simulator $end', `$timescale ${this.opts.timescale ?? '1ns'} $end`];
    lines.push(`$scope module ${this.sim.ir.name} $end`, '$var wire 1 ! clk $end');
    // Hierarchical names become nested scopes.
    const tree = new Map<string, string[]>();
    for (const s of this.sigs) {
      const parts = s.name.split('.');
      const scope = parts.slice(0, -1).join('.');
      const decl = `$var wire ${s.width} ${s.id} ${parts[parts.length - 1]}${s.width > 1 ? ` [${s.width - 1}:0]` : ''} $end`;
      if (!tree.has(scope)) tree.set(scope, []);
      tree.get(scope)!.push(decl);
    }
    for (const [scope, decls] of [...tree].sort()) {
      const depth = scope ? scope.split('.').length : 0;
      for (const s of scope ? scope.split('.') : []) lines.push(`$scope module ${s} $end`);
      lines.push(...decls);
      for (let i = 0; i < depth; i++) lines.push('$upscope $end');
    }
    lines.push('$upscope $end', '$enddefinitions $end');
    this.write(lines.join('\n') + '\n');
    this.headerDone = true;
  }

  sample(): void {
    if (!this.headerDone) this.header();
    const t = this.sim.cycle * 2;
    const changes: string[] = [];
    for (const s of this.sigs) {
      const v = this.sim.peekBits(s.name);
      const text = s.width === 1 ? `${v}${s.id}` : `b${v.toString(2)} ${s.id}`;
      if (text !== s.last) {
        changes.push(text);
        s.last = text;
      }
    }
    this.write(`#${t}\n1!\n${changes.join('\n')}${changes.length ? '\n' : ''}#${t + 1}\n0!\n`);
  }
}

function vcdId(i: number): string {
  let s = '';
  do {
    s += String.fromCharCode(33 + (i % 94));
    i = Math.floor(i / 94);
  } while (i > 0);
  return s;
}

function missing(name: string): never {
  throw new Error(`vcd: no signal named '${name}'`);
}
