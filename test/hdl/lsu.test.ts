// The load/store unit with a data RAM, against the interpreter: every load,
// store and atomic entry at offsets around both region edges (unaligned,
// word-crossing, one byte out), checking the loaded/fetched value, every
// byte of the RAM afterwards, and out-of-bounds faults.

import { describe, expect, it } from 'vitest';
import { C, Module } from '../../src/dsl/index.ts';
import { Simulator } from '../../sim/simulator.ts';
import { dataRamWords, dataLimitBits, enabledSpecs, makeConfig, physAddrBits, stackBytes } from '../../hdl/cpu/config.ts';
import { ALU_FN, ATOMIC_ALU_FN, controlFor, UNIT } from '../../hdl/cpu/control.ts';
import { makeAlu } from '../../hdl/cpu/alu.ts';
import { LSU_KIND, makeLsu } from '../../hdl/cpu/lsu.ts';
import type { InsnSpec } from '../../src/isa/table.ts';
import { EXIT, insnOf, lddw, stepAt } from './reference.ts';

const MAP = { dataBase: 0x2000_0000, dataSize: 64, stackBase: 0x1000_0000, frameSize: 64, maxFrames: 2 };
// One stack region: this tests addressing and the rotator; frame isolation is refereed by the lockstep fuzzer.
const cfg = makeConfig({ memoryMap: MAP, frameIsolation: false });
const specs = enabledSpecs(cfg);
const INPUT = Uint8Array.from({ length: 40 }, (_, i) => (i * 37 + 11) & 0xff);
const STACK_TOP = MAP.stackBase + MAP.frameSize * MAP.maxFrames;
const WORDS = dataRamWords(cfg);

/** LSU + ALU + data RAM, wired like the core and the system do. */
function harness(): Simulator {
  const m = new Module('lsu_tb');
  const LB = dataLimitBits(cfg);
  const ins = {
    start: m.input('start', 1), kind: m.input('kind', 2), size: m.input('size', 2), sext: m.input('sext', 1),
    afn: m.input('afn', 4), base: m.input('base', 64), off: m.input('off', 16), imm: m.input('imm', 32),
    cmp: m.input('cmp', 64), data_limit: m.input('data_limit', LB),
    pkt_off: C(LB, 0), pkt_len: C(LB, 0),
  };
  const value = m.input('value', 64);
  const aluFn = m.input('alu_fn', 4);
  const ram = m.memory('ram', { width: 64, depth: WORDS });
  const rd = ram.reader();
  const old = m.wire('old', 64);
  const alu = m.instance('alu', makeAlu(), { a: 0, b: value, alt: old, use_alt: 1, fn: aluFn, size: 0, w32: 0 });
  const lsu = m.instance('lsu', makeLsu(cfg), { ...ins, svalue: value, wvalue: alu.o.y, rdata: rd.data });
  m.comb(old, lsu.o.old);
  m.comb(rd.addr, lsu.o.ram_raddr);
  m.comb(rd.en, 1);
  ram.writePort(lsu.o.ram_waddr, lsu.o.ram_wdata, lsu.o.ram_we, lsu.o.ram_be);
  for (const o of ['done', 'fault', 'result']) m.comb(m.output(o, o === 'result' ? 64 : 1), lsu.o[o]);
  void physAddrBits;
  return Simulator.createSync(m);
}

/** RAM image (bytes): data region then stack, as the CPU lays them out. */
function ramBytes(stackInit: Uint8Array = new Uint8Array(stackBytes(cfg))): Uint8Array {
  const b = new Uint8Array(WORDS * 8);
  b.set(INPUT, 0);
  b.set(stackInit, MAP.dataSize);
  return b;
}

function loadRam(sim: Simulator, bytes: Uint8Array): void {
  const h = sim.mem('ram');
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < WORDS; i++) h.write(i, view.getBigUint64(8 * i, true));
}

function readRam(sim: Simulator): Uint8Array {
  const h = sim.mem('ram');
  const out = new Uint8Array(WORDS * 8);
  const view = new DataView(out.buffer);
  for (let i = 0; i < WORDS; i++) view.setBigUint64(8 * i, h.read(i), true);
  return out;
}

function physical(addr: number): number {
  return addr >= MAP.dataBase ? addr - MAP.dataBase : MAP.dataSize + addr - MAP.stackBase;
}

/** Run one LSU operation to completion. */
function access(sim: Simulator, p: Record<string, bigint | number>): { fault: boolean; result: bigint; cycles: number } {
  sim.poke('alu_fn', p.kind === LSU_KIND.ATOMIC ? ATOMIC_ALU_FN[Number(p.afn) & 7]! : ALU_FN.MOV);
  for (const [k, v] of Object.entries(p)) sim.poke(k, v);
  sim.poke('data_limit', INPUT.length);
  sim.poke('start', 1);
  for (let c = 1; c <= 8; c++) {
    const done = sim.peek('done') === 1n;
    const fault = sim.peek('fault') === 1n;
    const result = sim.peek('result');
    sim.step();
    sim.poke('start', 0);
    if (done) return { fault, result, cycles: c };
  }
  throw new Error('lsu did not finish in 8 cycles');
}

const BASES: [number, number[]][] = [
  [1, [-2, -1, 0, 1, 3, 5, 7, 8, 9, 15, 31, 32, 33, 35, 36, 37, 39, 40, 41]],
  [10, [-129, -128, -127, -125, -121, -120, -65, -64, -9, -8, -7, -5, -4, -3, -2, -1, 0, 1]],
];

describe('lsu', () => {
  const sim = harness();
  sim.reset();
  const mov = specs.find((s) => s.id === 'mov64_imm')!;
  void mov;

  it('loads like the interpreter (value, sign extension, faults)', () => {
    const stackPattern = Uint8Array.from({ length: stackBytes(cfg) }, (_, i) => (i * 91 + 5) & 0xff);
    for (const spec of specs.filter((s) => controlFor(s).unit === UNIT.LOAD)) {
      const c = controlFor(spec);
      for (const [base, offs] of BASES) {
        for (const off of offs) {
          // The stack pattern is written by the program first (the interpreter's stack starts zeroed).
          const prog = [];
          const view = new DataView(stackPattern.buffer);
          for (let i = 0; i < stackPattern.length; i += 8) {
            prog.push(...lddw(3, view.getBigUint64(i, true)));
            prog.push(insnOf(specs.find((s) => s.id === 'stxdw')!, { dst: 10, src: 3, off: i - stackPattern.length }));
          }
          const pc = prog.length;
          prog.push(insnOf(spec, { dst: 0, src: base, off }), EXIT);
          const { step, result } = stepAt(prog, pc, INPUT, MAP);
          loadRam(sim, ramBytes(stackPattern));
          const baseValue = base === 1 ? MAP.dataBase : STACK_TOP;
          const got = access(sim, { kind: LSU_KIND.LOAD, size: c.size, sext: c.fn & 1, afn: 0, base: baseValue, off, imm: 0, value: 0, cmp: 0 });
          const what = `${spec.id} [r${base}${off >= 0 ? '+' : ''}${off}]`;
          if (!step) {
            expect(result.kind === 'fault' && result.code, what).toBe('out-of-bounds');
            expect(got.fault, what).toBe(true);
          } else {
            expect(got.fault, what).toBe(false);
            expect(got.result, what).toBe(step.regs[0]);
            expect(got.cycles, what).toBeLessThanOrEqual(3);
          }
        }
      }
    }
  });

  it('stores like the interpreter (byte enables, word-crossing, faults)', () => {
    const values = [0x0123456789abcdefn, 0xffffffffffffffffn, 0x8000000000000080n];
    for (const spec of specs.filter((s) => controlFor(s).unit === UNIT.STORE)) {
      const c = controlFor(spec);
      const imm = spec.sem.kind === 'store' && spec.sem.operand === 'imm';
      for (const v of values) {
        for (const [base, offs] of BASES) {
          for (const off of offs) {
            const immValue = Number(BigInt.asIntN(32, v));
            const prog = [...lddw(2, v), insnOf(spec, { dst: base, src: 2, off, imm: immValue }), EXIT];
            const { step, result } = stepAt(prog, 2, INPUT, MAP);
            const expected = ramBytes();
            for (const w of step?.memWrites ?? []) {
              for (let i = 0; i < w.bytes; i++) expected[physical(w.addr) + i] = Number((w.value >> BigInt(8 * i)) & 0xffn);
            }
            loadRam(sim, ramBytes());
            const value = imm ? BigInt.asUintN(64, BigInt(immValue)) : v;
            const got = access(sim, { kind: LSU_KIND.STORE, size: c.size, sext: 0, afn: 0, base: base === 1 ? MAP.dataBase : STACK_TOP, off, imm: 0, value, cmp: 0 });
            const what = `${spec.id} [r${base}${off >= 0 ? '+' : ''}${off}] = 0x${value.toString(16)}`;
            expect(got.fault, what).toBe(!step);
            if (!step) expect(result.kind === 'fault' && result.code, what).toBe('out-of-bounds');
            expect(readRam(sim), what).toEqual(expected);
            expect(got.cycles, what).toBeLessThanOrEqual(2);
          }
        }
      }
    }
  });

  it('runs atomics like the interpreter (fetch, cmpxchg hit and miss, crossing words)', () => {
    const atomics = specs.filter((s) => controlFor(s).unit === UNIT.ATOMIC);
    expect(atomics.length).toBe(20);
    for (const spec of atomics) {
      const c = controlFor(spec);
      for (const off of [-1, 0, 1, 4, 6, 7, 8, 32, 33, 36, 37]) {
        for (const [src, r0] of [[0x1111111122222222n, 0n], [0xfffffffffffffff0n, 0x2e2905fcf3bea956n], [5n, 0xf3bea956n]] as const) {
          // r0 for cmpxchg: either arbitrary or the value in memory (a hit).
          const prog = [...lddw(2, src), ...lddw(0, r0), insnOf(spec, { dst: 1, src: 2, off }), EXIT];
          const { step, result } = stepAt(prog, 4, INPUT, MAP);
          const expected = ramBytes();
          for (const w of step?.memWrites ?? []) {
            for (let i = 0; i < w.bytes; i++) expected[physical(w.addr) + i] = Number((w.value >> BigInt(8 * i)) & 0xffn);
          }
          loadRam(sim, ramBytes());
          const got = access(sim, { kind: LSU_KIND.ATOMIC, size: c.size, sext: 0, afn: c.fn, base: MAP.dataBase, off, imm: 0, value: src, cmp: r0 });
          const what = `${spec.id} [r1+${off}]`;
          expect(got.fault, what).toBe(!step);
          if (!step) {
            expect(result.kind === 'fault' && result.code, what).toBe('out-of-bounds');
            continue;
          }
          expect(readRam(sim), what).toEqual(expected);
          const fetched = spec.sem.kind === 'atomic' && spec.sem.op === 'cmpxchg' ? step.regs[0] : step.regs[2];
          if (spec.sem.kind === 'atomic' && spec.sem.fetch) expect(got.result, what).toBe(fetched);
          expect(got.cycles, what).toBeLessThanOrEqual(5);
        }
      }
    }
  });
});

export type { InsnSpec };
