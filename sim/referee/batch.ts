// One referee batch: many random designs in ONE Verilog testbench (one
// Icarus compile or one Verilator build), driven by the same stimulus file,
// every output dumped every cycle and compared line by line against the TS
// simulator running the same designs in lock step.

import { closeSync, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileDesign } from '../../src/dsl/passes/index.ts';
import type { DesignIR, ModuleIR } from '../../src/dsl/ir.ts';
import { setLocCapture } from '../../src/dsl/loc.ts';
import { clockedModules, emitModuleTexts } from '../../src/dsl/verilog.ts';
import type { Module } from '../../src/dsl/module.ts';
import { Simulator } from '../simulator.ts';
import { wordsOf } from '../codegen.ts';
import { Rng } from '../../src/random.ts';
import { loadBits, makeStimulus, STIM_BITS, stimulusHex, type Stimulus } from './stimulus.ts';

export type RefSim = 'icarus' | 'verilator';

/** A design under test: a module factory so shrinking can rebuild it. */
export interface DutSpec {
  /** Unique Verilog-safe name (top module name). */
  name: string;
  /** Position in the run; seeds this design's stimulus bit offsets. */
  index: number;
  build: () => Module;
  /** Verilog back end options. */
  flatten: boolean;
  fold: boolean;
  /** TS simulator pass options. */
  simFold: boolean;
}

export interface PreparedDut {
  spec: DutSpec;
  verilog: DesignIR;
  sim: Simulator;
  /** Input name -> stimulus bit offset. */
  inputs: { name: string; net: number; width: number; offset: number }[];
  /** state: driven by a register or memory read port (sampled before the edge). */
  outputs: { name: string; net: number; width: number; state: boolean }[];
  clocked: boolean;
  hasRst: boolean;
}

export interface Mismatch {
  design: string;
  index: number;
  cycle: number;
  signal: string;
  ts: string;
  ref: string;
}

export interface BatchResult {
  sim: RefSim;
  designs: number;
  cycles: number;
  mismatches: Mismatch[];
  ms: { prepare: number; build: number; run: number; compare: number };
  dir: string;
}

export function prepareDut(spec: DutSpec, seed: number): PreparedDut {
  const rng = new Rng(designSeed(seed ^ 0x5eed, spec.index));
  const verilog = compileDesign(spec.build(), { flatten: spec.flatten, fold: spec.fold });
  const simIR = compileDesign(spec.build(), { flatten: true, collapse: 'all', fold: spec.simFold });
  const sim = Simulator.fromIR(simIR.top);
  const top = verilog.top;
  const inputs: PreparedDut['inputs'] = [];
  let off = 16 * (1 + rng.below(STIM_BITS / 16 - 1));
  for (const p of top.inputs) {
    if (p.name === 'rst') continue;
    const w = top.nets[p.net]!.width;
    if (off + w > STIM_BITS) off = 16;
    const net = simIR.top.inputs.find((q) => q.name === p.name)!.net;
    inputs.push({ name: p.name, net, width: w, offset: off });
    off += w;
  }
  const simTop = simIR.top;
  const stateNets = new Set<number>();
  for (const c of simTop.cells) if (c.kind === 'dff' || c.kind === 'memrd') stateNets.add(c.outs[0]!);
  const outputs = top.outputs.map((p) => {
    const net = simTop.outputs.find((q) => q.name === p.name)!.net;
    return { name: p.name, net, width: top.nets[p.net]!.width, state: stateNets.has(net) };
  });
  return {
    spec,
    verilog,
    sim,
    inputs,
    outputs,
    clocked: clockedModules(verilog).has(top),
    hasRst: top.inputs.some((p) => p.name === 'rst'),
  };
}

/** Testbench: cycle-major loop; each cycle applies the stimulus row, lets
 *  combinational logic settle, prints every output of every design, then
 *  gives one rising clock edge. */
export function testbench(duts: PreparedDut[], cycles: number): string {
  const L: string[] = [];
  const aw = Math.max(1, Math.ceil(Math.log2(cycles)));
  L.push('module tb;', '  reg clk;', `  reg [${STIM_BITS - 1}:0] stim [0:${cycles - 1}];`, `  reg [${STIM_BITS - 1}:0] st;`);
  L.push(`  reg [${aw}:0] cyc;`, '  integer fd;');
  duts.forEach((d, i) => {
    for (const o of d.outputs) L.push(`  wire ${o.width > 1 ? `[${o.width - 1}:0] ` : ''}d${i}_${o.name};`);
    const conns: string[] = [];
    if (d.clocked) conns.push('.clk(clk)');
    if (d.hasRst) conns.push('.rst(st[0])');
    for (const p of d.inputs) conns.push(`.${p.name}(st[${p.offset + p.width - 1}:${p.offset}])`);
    for (const o of d.outputs) conns.push(`.${o.name}(d${i}_${o.name})`);
    L.push(`  ${d.spec.name} u${i} (${conns.join(', ')});`);
  });
  L.push('  initial begin', "    clk = 1'b0;", `    st = ${STIM_BITS}'d0;`, '    $readmemh("stim.hex", stim);', '    fd = $fopen("out.txt", "w");');
  L.push(`    for (cyc = 0; cyc < ${cycles}; cyc = cyc + 1) begin`, `      st = stim[cyc[${aw - 1}:0]];`, '      #1;');
  duts.forEach((d, i) => {
    if (d.outputs.length === 0) return;
    L.push(`      $fwrite(fd, "${d.outputs.map(() => '%h').join(' ')}\\n", ${d.outputs.map((o) => `d${i}_${o.name}`).join(', ')});`);
  });
  L.push("      clk = 1'b1;", '      #1;', "      clk = 1'b0;", '    end', '    $fclose(fd);', '    $finish;', '  end', 'endmodule', '');
  return L.join('\n');
}

function hexOf(V: Int32Array, off: number, width: number): string {
  const k = wordsOf(width);
  let s = '';
  for (let j = k - 1; j >= 0; j--) s += (V[off + j]! >>> 0).toString(16).padStart(8, '0');
  return stripZeros(s);
}

/** Leading zeros are not compared: Verilator sometimes pads %h to a wider
 *  internal width than the declared wire. */
function stripZeros(s: string): string {
  let i = 0;
  while (i < s.length - 1 && s.charCodeAt(i) === 48) i++;
  return i ? s.slice(i) : s;
}

/** Streams lines of a (possibly large) text file. */
function* lines(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(1 << 22);
  let rest = '';
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      const text = rest + buf.toString('latin1', 0, n);
      const parts = text.split('\n');
      rest = parts.pop()!;
      yield* parts;
    }
    if (rest) yield rest;
  } finally {
    closeSync(fd);
  }
}

/** Run the TS side over `stim` and compare with the reference dump, in lock
 *  step. Each cycle: load inputs, snapshot register-driven outputs, step (the
 *  comb phase stores the pre-edge comb outputs), compare. Yields to the event
 *  loop now and then so a long compare does not starve the test runner. */
export async function compareDump(duts: PreparedDut[], stim: Stimulus, outPath: string, maxMismatches = 20): Promise<Mismatch[]> {
  const mism: Mismatch[] = [];
  const failed = new Uint8Array(duts.length);
  const it = lines(outPath);
  const plan = duts.map((d) => {
    const slots = d.sim.compiled.slots;
    const rst = d.sim.ir.inputs.find((p) => p.name === 'rst');
    return {
      V: d.sim.compiled.V,
      step: d.sim.compiled.step,
      rst: rst ? slots.get(rst.net)!.offset : -1,
      ins: d.inputs.map((p) => ({ off: p.offset, w: p.width, dst: slots.get(p.net)!.offset })),
      outs: d.outputs.map((o) => ({ name: o.name, w: o.width, off: slots.get(o.net)!.offset, state: o.state, pre: '' })),
    };
  });
  for (let c = 0; c < stim.cycles; c++) {
    if ((c & 31) === 31) await new Promise((r) => setImmediate(r));
    const rstBit = stim.words[c * (STIM_BITS / 32)]! & 1;
    for (let i = 0; i < duts.length; i++) {
      const p = plan[i]!;
      const V = p.V;
      if (p.rst >= 0) V[p.rst] = rstBit;
      for (const x of p.ins) loadBits(stim, c, x.off, x.w, V, x.dst);
      const check = !failed[i] && p.outs.length > 0;
      if (check) for (const o of p.outs) if (o.state) o.pre = hexOf(V, o.off, o.w);
      p.step();
      if (p.outs.length === 0) continue;
      const got = it.next();
      if (got.done) throw new Error(`referee: reference output ended early at cycle ${c}, design ${i}`);
      if (!check) continue;
      const fields = got.value.split(' ');
      for (let k = 0; k < p.outs.length; k++) {
        const o = p.outs[k]!;
        const exp = o.state ? o.pre : hexOf(V, o.off, o.w);
        const ref = stripZeros(fields[k] ?? '<missing>');
        if (exp !== ref) {
          failed[i] = 1;
          if (mism.length < maxMismatches) mism.push({ design: duts[i]!.spec.name, index: duts[i]!.spec.index, cycle: c, signal: o.name, ts: exp, ref });
          break;
        }
      }
    }
  }
  return mism;
}

/** Writes the modules once, and one testbench per shard (sub-directory). */
export function writeBatch(dir: string, duts: PreparedDut[], stim: Stimulus, shards = 1): { files: string[]; shardDirs: string[]; shardDuts: PreparedDut[][] } {
  mkdirSync(dir, { recursive: true });
  const files = new Map<string, string>();
  for (const d of duts) {
    for (const m of emitModuleTexts(d.verilog)) {
      const path = join(dir, `${m.name}.v`);
      const prev = files.get(path);
      if (prev !== undefined && prev !== m.text) throw new Error(`referee: two different modules named ${m.name} in one batch`);
      files.set(path, m.text);
    }
  }
  for (const [path, text] of files) writeFileSync(path, text);
  const hex = stimulusHex(stim);
  const per = Math.ceil(duts.length / shards);
  const shardDirs: string[] = [];
  const shardDuts: PreparedDut[][] = [];
  for (let k = 0; k * per < duts.length; k++) {
    const sd = join(dir, `shard${k}`);
    mkdirSync(sd, { recursive: true });
    const part = duts.slice(k * per, (k + 1) * per);
    writeFileSync(join(sd, 'tb.v'), testbench(part, stim.cycles));
    writeFileSync(join(sd, 'stim.hex'), hex);
    shardDirs.push(sd);
    shardDuts.push(part);
  }
  return { files: [...files.keys()], shardDirs, shardDuts };
}

export function designSeed(seed: number, index: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
}

/** Vendor primitive types the batch instantiates. */
export function primitiveTypes(duts: PreparedDut[]): string[] {
  const types = new Set<string>();
  for (const d of duts) {
    for (const m of d.verilog.modules as ModuleIR[]) {
      for (const c of m.cells) if (c.kind === 'inst' && c.inst!.kind === 'prim') types.add(c.inst!.prim.type);
    }
  }
  return [...types].sort();
}

export { setLocCapture };
