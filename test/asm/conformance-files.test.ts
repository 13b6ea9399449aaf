// Every program of the conformance suite must assemble and pass the loader
// check; and assembling all of them must stay fast.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.ts';
import { parseDataFile, programFromDataFile } from '../../src/asm/data-file.ts';
import { disassembleProgram } from '../../src/asm/disassembler.ts';
import { formatIssue, validateProgram } from '../../src/asm/validate.ts';
import { dataFiles } from './support/conformance.ts';

const files = dataFiles('tests').map((path) => ({ path, name: basename(path), text: readFileSync(path, 'utf8') }));

describe('conformance tests/*.data', () => {
  it('has the 313 files this project was built against', () => {
    expect(files).toHaveLength(313);
  });

  it('every file assembles, validates, and round-trips through the disassembler', () => {
    const problems: string[] = [];
    for (const f of files) {
      try {
        const program = programFromDataFile(parseDataFile(f.text, f.path), f.path);
        const issues = validateProgram(program);
        problems.push(...issues.map((i) => formatIssue(i, program)));
        const again = assemble(disassembleProgram(program));
        if (JSON.stringify(again.insns) !== JSON.stringify(program.insns)) problems.push(`${f.name}: listing does not reassemble`);
      } catch (e) {
        problems.push(String(e));
      }
    }
    expect(problems).toEqual([]);
  });

  it('assembling all of them takes well under a second', () => {
    const parsed = files.map((f) => ({ f, data: parseDataFile(f.text, f.path) }));
    // Warm up once (module JIT), then time a full pass.
    for (const { f, data } of parsed) programFromDataFile(data, f.path);
    const t0 = performance.now();
    for (const { f, data } of parsed) programFromDataFile(data, f.path);
    const ms = performance.now() - t0;
    console.log(`assembled ${files.length} conformance files in ${ms.toFixed(1)} ms`);
    // Generous bound for a shared 2-core CI machine; typical is ~20 ms.
    expect(ms).toBeLessThan(1000);
  });
});
