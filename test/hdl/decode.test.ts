// The generated decoder against the interpreter's loader: for edge and
// random slots, the same verdict (runs / illegal-instruction / bad-register)
// and, for slots that run, the control word of the ISA entry the
// interpreter decoded.

import { describe, expect, it } from 'vitest';
import { Simulator } from '../../sim/simulator.ts';
import { enabledSpecs, makeConfig, type CpuConfig } from '../../hdl/cpu/config.ts';
import { CONTROL_FIELDS, controlFor } from '../../hdl/cpu/control.ts';
import { makeDecoder } from '../../hdl/cpu/decode.ts';
import { FAULT } from '../../src/abi/faults.ts';
import { insnToWord, type Insn } from '../../src/isa/encoding.ts';
import { loadProgram } from '../../src/interp/loaded-program.ts';
import { Rng } from '../../src/random.ts';

function slots(cfg: CpuConfig, rng: Rng): Insn[] {
  const out: Insn[] = [];
  const regs = [0, 1, 9, 10, 11, 15];
  for (const spec of enabledSpecs(cfg)) {
    // Each entry with legal, out-of-range and r10 registers, and with one
    // stray bit in every field it neither uses nor fixes.
    for (const dst of regs) for (const src of regs) {
      out.push({ opcode: spec.opcode, dst, src: spec.fixed.src ?? src, off: spec.fixed.off ?? 3, imm: spec.fixed.imm ?? -7 });
    }
    const base = { opcode: spec.opcode, dst: 1, src: spec.fixed.src ?? 2, off: spec.fixed.off ?? 0, imm: spec.fixed.imm ?? 0 };
    out.push(base, { ...base, off: base.off + 1 }, { ...base, imm: base.imm + 1 }, { ...base, src: (base.src + 1) & 15 });
  }
  for (let i = 0; i < 20000; i++) {
    out.push({ opcode: rng.int(0, 255), dst: rng.int(0, 15), src: rng.int(0, 15), off: rng.pick([0, 1, 8, 16, 32, rng.int(-32768, 32767)]), imm: rng.pick([0, 1, 16, 32, 64, 0xe1, 0xf1, rng.u32() | 0]) });
  }
  return out;
}

function check(cfg: CpuConfig): number {
  const sim = Simulator.createSync(makeDecoder(cfg));
  const rng = new Rng(99);
  let n = 0;
  for (const insn of slots(cfg, rng)) {
    // The interpreter's verdict for the slot alone (an lddw gets a valid second half).
    const loaded = loadProgram({ insns: [insn, { opcode: 0, dst: 0, src: 0, off: 0, imm: 0 }], entry: 0 }, { legacyPacket: cfg.packet });
    const fault = loaded.faults.get(0);
    const spec = loaded.specs[0];
    sim.poke('insn', insnToWord(insn));
    const code = Number(sim.peek('fault'));
    const what = `0x${insnToWord(insn).toString(16).padStart(16, '0')}`;
    if (fault && fault.code !== 'bad-jump') {
      expect(code, `${what}: ${fault.message}`).toBe(fault.code === 'bad-register' ? FAULT.BAD_REGISTER : FAULT.ILLEGAL);
    } else {
      expect(code, `${what} (${spec?.id})`).toBe(0);
      const want = controlFor(spec!);
      for (const [name] of CONTROL_FIELDS) expect(Number(sim.peek(`ctl_${name}`)), `${what} ${spec!.id} ${name}`).toBe(want[name]);
    }
    n++;
  }
  return n;
}

describe('decoder generated from the ISA table', () => {
  it('agrees with the interpreter loader (default build)', () => {
    expect(check(makeConfig())).toBeGreaterThan(25000);
  });
  it('agrees with the interpreter loader (legacy packet build)', () => {
    expect(check(makeConfig({ packet: true }))).toBeGreaterThan(25000);
  });
  it('decodes an entry the build leaves out as illegal', () => {
    const cfg = makeConfig({ multiplier: 'none', atomics: false });
    const sim = Simulator.createSync(makeDecoder(cfg));
    const all = enabledSpecs(makeConfig());
    for (const id of ['mul64_reg', 'mul32_imm', 'atomic64_add', 'atomic32_cmpxchg']) {
      const spec = all.find((s) => s.id === id)!;
      sim.poke('insn', insnToWord({ opcode: spec.opcode, dst: 1, src: 2, off: 0, imm: spec.fixed.imm ?? 0 }));
      expect(Number(sim.peek('fault')), id).toBe(FAULT.ILLEGAL);
    }
  });
});
