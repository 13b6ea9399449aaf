// The interpreter engine's compiled path against its stepping path (the
// interpreter's loop, stopping at each access to vet or note): every program
// and packet of the kernel corpus, and the programs the verifier would refuse,
// checked and unchecked. Whole results must be identical: verdict, packet,
// metadata, redirect, events, log, instruction counts, every map after every
// packet, and fault messages.

import { describe, expect, it } from 'vitest';
import { createInterpXdpEngine } from '../../src/xdp/interp-engine.ts';
import { loadXdpObject, XdpSession, type XdpObject, type XdpRunResult } from '../../src/xdp/index.ts';
import { compileC, compileFixture } from './compile.ts';
import { KERNEL_CASES, type KernelCase } from './kernel-cases.ts';
import { craftedPackets, mutations } from './packet-corpus.ts';

async function load(c: KernelCase): Promise<XdpObject> {
  const { bytes } = c.source ? await compileC(c.source) : await compileFixture(c.name);
  return loadXdpObject(bytes, { file: `${c.name}.o`, ...c.load });
}

/** A result with its map snapshot (a lazy view) spelled out, so toEqual compares the entries. */
function plain(r: XdpRunResult): unknown {
  return { ...r, maps: [...r.maps].map(([name, entries]) => [name, entries.map((e) => [[...e.key], [...e.value]])]) };
}

function sessions(obj: XdpObject, check: boolean, setup: KernelCase['setup'] = []): [XdpSession, XdpSession] {
  const pair: [XdpSession, XdpSession] = [
    new XdpSession(obj, { check, engine: createInterpXdpEngine() }),
    new XdpSession(obj, { check, engine: createInterpXdpEngine({ compiled: false }) }),
  ];
  for (const s of pair) for (const w of setup) s.map(w.map).update(w.key, w.value);
  return pair;
}

describe('interp engine: compiled path vs stepping path', () => {
  for (const c of KERNEL_CASES) {
    it(`${c.name}: identical results on every packet, checked and unchecked`, async () => {
      const obj = await load(c);
      let exits = 0;
      for (const check of [true, false]) {
        const [compiled, stepping] = sessions(obj, check, c.setup);
        for (const p of c.packets()) {
          const a = compiled.runSync(p), b = stepping.runSync(p);
          expect(plain(a), `${c.name} check=${check}`).toEqual(plain(b));
          if (a.kind === 'exit') exits++;
        }
        expect(compiled.globalData()).toEqual(stepping.globalData());
      }
      expect(exits).toBeGreaterThan(0);
    });
  }

  it('the programs the verifier refuses fault identically (message, pc, count) and leave the maps alone', async () => {
    const packets = [...craftedPackets(), ...mutations(craftedPackets(), 30, 5)];
    let faults = 0;
    for (const name of ['past_end', 'headroom', 'ctx_byte', 'egress', 'null_value', 'stack_key', 'value_overrun', 'spin', 'write_ctx', 'write_then_fault']) {
      const obj = loadXdpObject((await compileFixture(`bad/${name}`)).bytes, { file: `${name}.o` });
      for (const check of [true, false]) {
        const [compiled, stepping] = sessions(obj, check);
        for (const p of packets) {
          const a = compiled.runSync(p), b = stepping.runSync(p);
          expect(plain(a), `bad/${name} check=${check}`).toEqual(plain(b));
          if (a.kind === 'fault') faults++;
        }
      }
    }
    expect(faults).toBeGreaterThan(200);
  });
});
