// Every file of the conformance negative suite must be refused: by the
// .data parser, the assembler or the loader check. The one list-free
// exception: a valid program with a `-- result` section is "needs-run" (the
// file shows a wrong expected result, which only running can expose; the
// conformance runner checks that the result does NOT match).

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDataFile, type DataFileVerdict } from '../../src/asm/data-file-check.ts';
import { dataFiles } from './support/conformance.ts';

const verdicts = new Map<string, DataFileVerdict>(
  dataFiles('negative').map((path) => [basename(path), checkDataFile(readFileSync(path, 'utf8'), path)]),
);

describe('conformance negative/*.data', () => {
  it('has files to check', () => {
    expect(verdicts.size).toBeGreaterThanOrEqual(59);
  });

  for (const [name, verdict] of verdicts) {
    it(`${name} is rejected or needs a run`, () => {
      if (verdict.kind === 'accepted') throw new Error(`${name}: accepted a program the negative suite says is wrong`);
      if (verdict.kind === 'rejected') {
        expect(verdict.message).toMatch(/^\S+:\d+:\d+: /);
      } else {
        expect(verdict.data.result).toBe(verdict.expectedResult);
      }
    });
  }

  it('needs-run is only used for valid programs with a result section', () => {
    const needsRun = [...verdicts].filter(([, v]) => v.kind === 'needs-run').map(([n]) => n);
    console.log(`needs-run (result must NOT match when run): ${needsRun.join(', ') || 'none'}`);
    for (const name of needsRun) {
      const v = verdicts.get(name)!;
      expect(v.kind === 'needs-run' && v.data.result !== undefined && v.data.error === undefined).toBe(true);
    }
  });

  // Where the suite states the error text and it describes the file, our message must contain it.
  const expectedText: Array<[string, DataFileVerdict['kind'], string, RegExp]> = [
    ['error.data', 'rejected', 'validate', /invalid read of r0/i],
    ['invalid_register.data', 'rejected', 'assemble', /Invalid register/],
    ['invalid_lock.data', 'rejected', 'assemble', /Invalid number of operands for lock/],
    ['invalid_lock2.data', 'rejected', 'assemble', /Invalid number of operands for lock/],
    // Its `-- error` says "Invalid register", which does not describe the file: the bad part is the header.
    ['invalid_unknown_directive.data', 'rejected', 'parse', /unknown section '-- Unknown directive'/],
    ['invalid_mnemonic.data', 'rejected', 'assemble', /unknown mnemonic 'ldxq'/],
    ['invalid_label.data', 'rejected', 'assemble', /undefined label 'NOT_A_LABEL'/],
    ['invalid_offset.data', 'rejected', 'assemble', /malformed memory operand/],
    ['invalid_offset_range.data', 'rejected', 'assemble', /out of signed 16-bit range/],
    ['invalid_operand_count.data', 'rejected', 'assemble', /Invalid number of operands for lddw/],
    ['invalid_imm32_dec_range.data', 'rejected', 'assemble', /decimal immediate out of signed 32-bit range/],
    ['invalid_imm32_hex_range.data', 'rejected', 'assemble', /hex immediate out of 32-bit range/],
    ['empty.data', 'rejected', 'assemble', /no program/],
    ['empty_instructions.data', 'rejected', 'assemble', /no program/],
    ['unused-exit-dst.data', 'rejected', 'validate', /unused field not zero \(dst=1\)/],
    ['unused-add64_imm-offset.data', 'rejected', 'validate', /offset=1 is not a defined instruction/],
    ['incorrect_return_value_high_bits.data', 'needs-run', '', /./],
  ];
  for (const [name, kind, stage, pattern] of expectedText) {
    it(`${name}: ${kind}${stage ? ` at ${stage}` : ''}`, () => {
      const v = verdicts.get(name);
      expect(v, `${name} missing from the negative suite`).toBeDefined();
      expect(v!.kind).toBe(kind);
      if (v!.kind === 'rejected') {
        expect(v!.stage).toBe(stage);
        expect(v!.message).toMatch(pattern);
        if (v!.expectedError && name !== 'invalid_unknown_directive.data') expect(v!.message).toContain(v!.expectedError);
      }
    });
  }
});
