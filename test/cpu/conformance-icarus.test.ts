// The CPU's emitted Verilog under Icarus Verilog: the conformance suite with
// cycle counts identical to the TS simulator's.

import { describe, it } from 'vitest';
import { createIcarusEngine } from '../../src/engines/icarus.ts';
import { checkRunsAreIndependent, conformanceWithCycleCheck } from './hdl-engine-helpers.ts';

describe('icarus engine', () => {
  it('passes the conformance suite with the same cycle counts as the TS simulator', async () => {
    await conformanceWithCycleCheck(createIcarusEngine());
  });

  it('clears the stack between the runs of a batch', () => {
    checkRunsAreIndependent(createIcarusEngine());
  });
});
