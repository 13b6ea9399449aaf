// Every ALU and conditional-jump entry of the ISA table, run on the
// interpreter with edge and random operands, against the BigInt reference
// model (reference-model.ts).

import { describe, expect, it } from 'vitest';
import { ISA, type InsnSpec } from '../../src/isa/table.ts';
import { Interpreter } from '../../src/interp/index.ts';
import { Rng } from '../../src/random.ts';
import { exit, ins, program } from './build.ts';
import { aluReference, jumpReference } from './reference-model.ts';

const EDGE_64: readonly bigint[] = [
  0n, 1n, 2n, 3n, 7n, 31n, 32n, 33n, 63n, 64n, 65n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xffffn,
  0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x1_0000_0001n, 0x7fffffffffffffffn,
  0x8000000000000000n, 0xffffffffffffffffn, 0xfffffffffffffffen, 0xfffffffffffffff6n, 0x123456789abcdef0n,
  0xffffffff80000000n, 0x8000000000000001n,
];
const EDGE_IMM: readonly number[] = [
  0, 1, -1, 2, -2, 7, -10, 31, 32, 63, 64, -64, 0x7fffffff, -0x80000000, 0x8000, -0x8000, 0xffff, 0x12345678,
];


function operandPairs(spec: InsnSpec): [bigint, bigint][] {
  const rng = new Rng(0x9e3779b9 ^ (spec.opcode * 977 + (spec.fixed.off ?? 0)));
  const next = (): bigint => rng.u64();
  const usesImm = spec.sem.kind !== 'exit' && 'operand' in spec.sem && spec.sem.operand === 'imm';
  const srcs = usesImm ? EDGE_IMM.map(BigInt) : EDGE_64;
  const pairs: [bigint, bigint][] = [];
  for (const d of EDGE_64) for (const s of srcs) pairs.push([d, s]);
  // Random values; imm forms reuse a few random imms so each program is loaded once per imm.
  const randomImms = Array.from({ length: 8 }, () => BigInt.asIntN(32, next()));
  for (let i = 0; i < 200; i++) {
    const d = next();
    const s = usesImm ? randomImms[i % randomImms.length]! : next();
    pairs.push([d, s]);
  }
  return pairs;
}

/** One loaded interpreter per program text: operands arrive in r1/r2 through `args`. */
const loaded = new Map<string, Interpreter>();
function interpreterFor(key: string, make: () => ReturnType<typeof program>): Interpreter {
  let interp = loaded.get(key);
  if (!interp) {
    interp = new Interpreter(make());
    loaded.set(key, interp);
  }
  return interp;
}

/** Run `op` with dst = r1 (value d) and src = r2 or imm (value s); return r1 after it. */
function runAlu(spec: InsnSpec, d: bigint, s: bigint): bigint {
  const operand = spec.sem.kind === 'alu' ? spec.sem.operand : 'none';
  const imm = operand === 'imm' ? Number(s) : 0;
  const interp = interpreterFor(`${spec.id}/${imm}`, () => program(
    ins(spec.id, { dst: 1, src: operand === 'reg' ? 2 : 0, imm }), ins('mov64_reg', { dst: 0, src: 1 }), exit(),
  ));
  const r = interp.run({ args: { r1: d, r2: s } });
  if (r.kind !== 'exit') throw new Error(r.message);
  return r.r0;
}

/** 1 if the jump is taken, 0 otherwise. */
function runJump(spec: InsnSpec, d: bigint, s: bigint): boolean {
  const operand = spec.sem.kind === 'jmp' ? spec.sem.operand : 'reg';
  const imm = operand === 'imm' ? Number(s) : 0;
  const interp = interpreterFor(`${spec.id}/${imm}`, () => program(
    ins(spec.id, { dst: 1, src: operand === 'reg' ? 2 : 0, off: 2, imm }),
    ins('mov64_imm', { dst: 0, imm: 0 }), exit(),
    ins('mov64_imm', { dst: 0, imm: 1 }), exit(),
  ));
  const r = interp.run({ args: { r1: d, r2: s } });
  if (r.kind !== 'exit') throw new Error(r.message);
  return r.r0 === 1n;
}

const aluSpecs = ISA.filter((s) => s.sem.kind === 'alu');
const jmpSpecs = ISA.filter((s) => s.sem.kind === 'jmp');

describe('ALU instructions match the reference model', () => {
  it('covers every ALU entry of the table', () => {
    expect(aluSpecs.length).toBeGreaterThan(60);
  });
  for (const spec of aluSpecs) {
    it(spec.id, () => {
      for (const [d, s] of operandPairs(spec)) {
        const got = runAlu(spec, d, s);
        const want = aluReference(spec, d, s);
        if (got !== want) {
          expect.fail(`${spec.id} dst=0x${d.toString(16)} src=${s}: got 0x${got.toString(16)}, want 0x${want.toString(16)}`);
        }
      }
    });
  }
});

describe('conditional jumps match the reference model', () => {
  it('covers every conditional jump of the table', () => {
    expect(jmpSpecs.length).toBe(44);
  });
  for (const spec of jmpSpecs) {
    it(spec.id, () => {
      for (const [d, s] of operandPairs(spec)) {
        const got = runJump(spec, d, s);
        const want = jumpReference(spec, d, s);
        if (got !== want) expect.fail(`${spec.id} dst=0x${d.toString(16)} src=${s}: taken=${got}, want ${want}`);
      }
    });
  }
});
