// The board CPU builds (board-builds.ts) against the conformance suite on
// the TS simulator: every program made only of instructions the build has
// must pass, and every other one must stop with an illegal-instruction
// fault, never a wrong answer.
//
// Which instructions a build has is written out here, from each preset's
// documented summary (hdl/cpu/presets.ts), by mnemonic: an expectation
// independent of config.ts's specEnabled(), which builds the decoder. The
// number of programs each build leaves out is pinned as measured
// (`bpfgate conformance --engine sim --board icebreaker`: 254 passed, 59
// illegal instruction), so a decoder that drops or gains an instruction
// fails here.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDataFile, programFromDataFile } from '../../src/asm/data-file.ts';
import { runConformanceFile } from '../../src/conformance/index.ts';
import { createSimEngine } from '../../src/engines/sim.ts';
import type { InsnSpec } from '../../src/isa/table.ts';
import { decodeSpec } from '../../src/isa/lookup.ts';
import { CONFORMANCE_TESTS, requireConformanceData } from '../../src/paths.ts';
import { boardCpuBuilds } from './board-builds.ts';

const MULTIPLY = /^mul(32)?$/;
const DIVIDE = /^s?(div|mod)(32)?$/;
const ATOMIC = /^lock /;
const LEGACY_PACKET = /^ld(abs|ind)/;
const callx = (s: InsnSpec): boolean => s.shape === 'call-reg';

/** Per shipped build: does it leave the instruction out (so it must fault as illegal)? */
const LEAVES_OUT: Readonly<Record<string, (s: InsnSpec) => boolean>> = {
  // "atomics, v4 but sdiv/smod; no divider (div/mod/sdiv/smod) or callx"
  up5k: (s) => DIVIDE.test(s.mnemonic) || callx(s),
  // "the compact divider ... no atomics or callx"
  'up5k-div': (s) => ATOMIC.test(s.mnemonic) || callx(s),
  // "every RFC group"
  hx8k: () => false,
  // "no multiplier/divider", and no callx
  small: (s) => MULTIPLY.test(s.mnemonic) || DIVIDE.test(s.mnemonic) || callx(s),
  // "no multiplier/divider, atomics or callx"
  minimal: (s) => MULTIPLY.test(s.mnemonic) || DIVIDE.test(s.mnemonic) || ATOMIC.test(s.mnemonic) || callx(s),
};

/** Programs of the suite each build leaves out, as measured. */
const LEFT_OUT_COUNT: Readonly<Record<string, number>> = { up5k: 59, 'up5k-div': 35, hx8k: 0 };

describe('board CPU builds on the conformance suite', () => {
  it('every shipped build has its expectation written here', () => {
    expect(boardCpuBuilds().map((b) => b.name).sort()).toEqual(Object.keys(LEAVES_OUT).sort());
  });

  for (const { name, cfg } of boardCpuBuilds()) {
    it(`'${name}': passes every program it has the instructions for, faults illegal on the rest`, async () => {
      requireConformanceData();
      const leavesOut = LEAVES_OUT[name];
      if (!leavesOut) throw new Error(`no expectation for the build '${name}': add it to LEAVES_OUT`);
      const engine = createSimEngine({ config: cfg, maxInsns: Math.min(10_000_000, 2 ** cfg.counterBits - 1) });
      let runnable = 0;
      let leftOut = 0;
      for (const file of readdirSync(CONFORMANCE_TESTS).filter((f) => f.endsWith('.data')).sort()) {
        const path = join(CONFORMANCE_TESTS, file);
        const program = programFromDataFile(parseDataFile(readFileSync(path, 'utf8'), file), file);
        // lddw's second slot decodes as nothing: skip slots that are not instructions.
        const missing = program.insns.map(decodeSpec).some((d) => d.ok && (leavesOut(d.spec) || LEGACY_PACKET.test(d.spec.mnemonic)));
        const r = await runConformanceFile(path, engine);
        if (missing) {
          leftOut++;
          expect(r.outcome.kind === 'error' && r.outcome.message, file).toMatch(/illegal instruction/);
        } else {
          runnable++;
          expect(r.passed, `${file}: ${r.reason ?? ''}`).toBe(true);
        }
      }
      expect(runnable).toBeGreaterThan(150);
      if (LEFT_OUT_COUNT[name] !== undefined) expect(leftOut).toBe(LEFT_OUT_COUNT[name]);
    });
  }
});
