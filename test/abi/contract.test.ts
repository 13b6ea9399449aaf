// The CPU/host contract (src/abi): the tables are consistent with each other
// and the status word's codec round-trips, with expectations written here
// rather than read back from the tables.

import { describe, expect, it } from 'vitest';
import { decodeCpuStatus, encodeCpuStatus, RUN_STATE, STATUS_WORD } from '../../src/abi/cpu-port.ts';
import { FAULT, FAULT_BITS, faultName } from '../../src/abi/faults.ts';
import { RUN_STATES } from '../../src/abi/protocol.ts';
import { describeFault, CPU_FAULT_SET } from '../../src/abi/fault-sets.ts';

describe('CPU/host contract', () => {
  it('the core\'s run states are the protocol\'s first four (the SoC passes them through unchanged)', () => {
    expect([RUN_STATE.IDLE, RUN_STATE.RUNNING, RUN_STATE.HALTED, RUN_STATE.FAULTED]).toEqual([
      RUN_STATES.idle, RUN_STATES.running, RUN_STATES.exited, RUN_STATES.fault,
    ]);
  });

  it('fault codes are distinct, fit their field, and each has a name', () => {
    const codes = Object.values(FAULT);
    expect(new Set(codes).size).toBe(codes.length);
    expect(Math.max(...codes)).toBeLessThan(1 << FAULT_BITS);
    expect(STATUS_WORD.faultCode[1]).toBe(FAULT_BITS);
    for (const c of codes.filter((c) => c !== FAULT.NONE)) expect(faultName(c)).toMatch(/^[a-z-]+$/);
    expect(faultName(FAULT.OUT_OF_BOUNDS)).toBe('out-of-bounds');
  });

  it('an unknown fault code is an error naming it, never a guess', () => {
    expect(() => faultName(15)).toThrow(/fault code 15/);
    expect(() => faultName(FAULT.NONE)).toThrow(/fault code 0/);
    expect(() => decodeCpuStatus(encodeCpuStatus(RUN_STATE.FAULTED, 13, 4))).toThrow(/fault code 13/);
  });

  it('status word fields do not overlap and fit 64 bits', () => {
    const bits = new Set<number>();
    for (const [lsb, width] of Object.values(STATUS_WORD)) {
      for (let b = lsb; b < lsb + width; b++) {
        expect(bits.has(b)).toBe(false);
        bits.add(b);
      }
    }
    expect(Math.max(...bits)).toBeLessThan(64);
  });

  it('the status word as the hardware lays it out ([1:0] state, [7:4] fault, [47:16] pc) decodes', () => {
    const word = (0x1234n << 16n) | (BigInt(FAULT.BAD_JUMP) << 4n) | BigInt(RUN_STATE.FAULTED);
    expect(decodeCpuStatus(word)).toEqual({ state: RUN_STATE.FAULTED, fault: { code: 'bad-jump', pc: 0x1234 } });
    expect(encodeCpuStatus(RUN_STATE.FAULTED, FAULT.BAD_JUMP, 0x1234)).toBe(word);
    expect(decodeCpuStatus(BigInt(RUN_STATE.HALTED))).toEqual({ state: RUN_STATE.HALTED });
  });

  it('a board\'s faults are named by its fault numbering', () => {
    expect(describeFault(CPU_FAULT_SET, FAULT.CALL_DEPTH)).toBe('call-depth');
    expect(describeFault(0xff, 1)).toBe('fault code 1 (fault numbering 255)');
  });
});
