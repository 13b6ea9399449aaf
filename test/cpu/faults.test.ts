// The fault codes the core reports and the host's names for them: every
// code the hardware defines has a name, and an unknown code is an error
// (it used to become 'illegal-instruction' silently).

import { describe, expect, it } from 'vitest';
import { FAULT, FAULT_BITS, faultName } from '../../src/abi/faults.ts';

describe('fault codes', () => {
  it('names every code the core defines, each differently', () => {
    const codes = Object.values(FAULT).filter((c) => c !== FAULT.NONE);
    const names = codes.map(faultName);
    expect(new Set(names).size).toBe(codes.length);
    for (const c of codes) expect(c).toBeLessThan(1 << FAULT_BITS);
  });

  it('refuses a code it does not know instead of guessing', () => {
    expect(() => faultName(0)).toThrow(/fault code 0, which src\/abi\/faults.ts does not define/);
    expect(() => faultName(15)).toThrow(/fault code 15/);
  });
});
