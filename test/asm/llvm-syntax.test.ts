import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.ts';
import { formatLlvm } from '../../src/asm/llvm-syntax.ts';
import { ISA } from '../../src/isa/index.ts';
import { instancesOf } from './support/instances.ts';
import { Rng } from '../../src/random.ts';

const llvm = (conformance: string): string => {
  const { insns } = assemble(conformance);
  return formatLlvm(insns[0]!, insns[1]);
};

describe('LLVM syntax', () => {
  const cases: Array<[string, string]> = [
    ['add %r1, %r2', 'r1 += r2'],
    ['add32 %r1, 5', 'w1 += 5'],
    ['arsh %r1, 3', 'r1 s>>= 3'],
    ['mov32 %r1, -1', 'w1 = -1'],
    ['neg %r1', 'r1 = -r1'],
    ['sdiv %r1, %r2', 'r1 s/= r2'],
    ['movsx832 %r1, %r2', 'w1 = (s8)w2'],
    ['jeq %r1, %r2, +3', 'if r1 == r2 goto +3'],
    ['jsgt32 %r1, 5, -1', 'if w1 s> 5 goto -1'],
    ['ja +3', 'goto +3'],
    ['ja32 -2', 'gotol -2'],
    ['ldxw %r0, [%r1+4]', 'r0 = *(u32 *)(r1 + 4)'],
    ['ldxsh %r0, [%r1-2]', 'r0 = *(s16 *)(r1 - 2)'],
    ['stxdw [%r10-8], %r1', '*(u64 *)(r10 - 8) = r1'],
    ['stw [%r1+0], 7', '*(u32 *)(r1 + 0) = 7'],
    ['lock add [%r1+0], %r2', 'lock *(u64 *)(r1 + 0) += r2'],
    ['lock and32 [%r1+4], %r2', 'lock *(u32 *)(r1 + 4) &= w2'],
    ['lock fetch add [%r1+0], %r2', 'r2 = atomic_fetch_add((u64 *)(r1 + 0), r2)'],
    ['lock xchg [%r1+0], %r2', 'r2 = xchg_64(r1 + 0, r2)'],
    ['lock cmpxchg [%r1+0], %r2', 'r0 = cmpxchg_64(r1 + 0, r0, r2)'],
    ['lock cmpxchg32 [%r1+0], %r2', 'w0 = cmpxchg32_32(r1 + 0, w0, w2)'],
    ['be16 %r1', 'r1 = be16 r1'],
    ['bswap64 %r1', 'r1 = bswap64 r1'],
    ['lddw %r1, 0x1122334455667788', 'r1 = 0x1122334455667788 ll'],
    ['call 5', 'call 5'],
    ['call %r2', 'callx r2'],
    ['exit', 'exit'],
    ['ldabsh 12', 'r0 = *(u16 *)skb[12]'],
    ['ldindb %r1, 0', 'r0 = *(u8 *)skb[r1]'],
  ];
  for (const [ours, theirs] of cases) it(`${ours}  ->  ${theirs}`, () => expect(llvm(ours)).toBe(theirs));

  it('never prints a local or runtime call as a plain helper call', () => {
    expect(llvm('call local +3')).toBe('call <local +3>');
    expect(llvm('call runtime 3')).toBe('call <runtime 3>');
    const { insns } = assemble('call local -1');
    expect(formatLlvm(insns[0]!, undefined, { label: 'f' })).toBe('call f');
  });

  it('formats every spec of the table', () => {
    const rng = new Rng(7);
    for (const spec of ISA) {
      for (const slots of instancesOf(spec, rng, 2)) expect(formatLlvm(slots[0]!, slots[1])).toMatch(/\S/);
    }
  });

  it('refuses a slot that does not decode', () => {
    expect(() => formatLlvm({ opcode: 0xff, dst: 0, src: 0, off: 0, imm: 0 })).toThrow(/unknown opcode 0xff/);
  });
});
