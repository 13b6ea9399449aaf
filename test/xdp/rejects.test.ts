// Programs the kernel verifier refuses must fault on bpfgate (it checks at
// run time what the verifier proves at load time), with a message that says
// what was wrong and where. The kernel's refusal is checked too, so each
// case is known to be one the kernel rejects. Objects bpfgate cannot run
// (an unsupported helper or map type) are refused at load with an error
// naming the helper or map.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelCommandError, KernelXdp } from '../../src/xdp/kernel/kernel-runner.ts';
import { loadIntoKernel } from '../../src/xdp/kernel/kernel-program-loader.ts';
import { loadXdpObject } from '../../src/xdp/object.ts';
import { XdpSession } from '../../src/xdp/session.ts';
import { XdpError } from '../../src/xdp/errors.ts';
import { compileFixture } from './compile.ts';

interface Reject {
  readonly name: string;
  readonly packet: Uint8Array;
  readonly code: string;
  /** What the fault message must say. */
  readonly says: RegExp;
  readonly maxInsns?: number;
}

const frame = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i & 0xff);

const REJECTS: readonly Reject[] = [
  { name: 'past_end', packet: frame(60), code: 'access', says: /ldxb .*read of 1 byte at 0x[0-9a-f]+ is 40 bytes past data_end/ },
  { name: 'headroom', packet: frame(60), code: 'access', says: /read of 1 byte at .* is in the headroom, 1 byte before data_meta/ },
  { name: 'write_ctx', packet: frame(60), code: 'access', says: /write of 4 bytes .* writes xdp_md\.data: the xdp_md context is read-only/ },
  { name: 'ctx_byte', packet: frame(60), code: 'access', says: /reads xdp_md at offset 16 with a 1-byte load/ },
  { name: 'egress', packet: frame(60), code: 'access', says: /xdp_md\.egress_ifindex, which only devmap programs may read/ },
  { name: 'value_overrun', packet: frame(60), code: 'access', says: /read of 4 bytes .* runs past the end of a map value/ },
  { name: 'null_value', packet: frame(60), code: 'out-of-bounds', says: /read of 8 bytes at 0x0 is outside memory/ },
  { name: 'spin', packet: frame(60), code: 'budget', says: /budget of 5000/, maxInsns: 5000 },
  { name: 'stack_key', packet: frame(14), code: 'helper-fault', says: /bpf_map_lookup_elem: key \(r2\): read of 4 bytes .* runs 2 bytes past data_end/ },
];

let kernel: KernelXdp | undefined;
beforeAll(async () => {
  kernel = await KernelXdp.open();
});
afterAll(() => kernel?.close());

describe('programs the kernel verifier refuses fault on bpfgate', () => {
  for (const r of REJECTS) {
    it(`bad/${r.name}.c`, async () => {
      const { bytes } = await compileFixture(`bad/${r.name}`);
      const obj = loadXdpObject(bytes, { file: `${r.name}.o` });
      const refused = await loadIntoKernel(kernel!, obj).then(() => undefined, (e: unknown) => e);
      expect(refused, 'the kernel should refuse this program').toBeInstanceOf(KernelCommandError);

      const result = await new XdpSession(obj, r.maxInsns ? { maxInsns: r.maxInsns } : {}).run(r.packet);
      expect(result.kind).toBe('fault');
      if (result.kind !== 'fault') return;
      expect(result.code).toBe(r.code);
      expect(result.message).toMatch(r.says);
      // The message names the instruction and the C line it came from.
      expect(result.message).toMatch(new RegExp(`^pc ${result.pc}: .*\\(.*bad/${r.name}\\.c:\\d+:\\d+\\)$`));
    });
  }

  it('faults leave maps and globals as they were', async () => {
    const { bytes } = await compileFixture('bad/value_overrun');
    const session = new XdpSession(loadXdpObject(bytes, { file: 'value_overrun.o' }));
    const before = session.map('records').entries();
    expect((await session.run(frame(60))).kind).toBe('fault');
    expect(session.map('records').entries()).toEqual(before);
  });
});

describe('objects bpfgate cannot run are refused at load', () => {
  it('an unsupported helper, named with its source line', async () => {
    const { bytes } = await compileFixture('bad/unsupported_helper');
    expect(() => loadXdpObject(bytes, { file: 'unsupported_helper.o' })).toThrowError(
      /^unsupported_helper\.o: pc \d+ \(.*unsupported_helper\.c:\d+:\d+\) calls bpf_fib_lookup \(helper 69\), which bpfgate's XDP mode does not support; supported: bpf_map_lookup_elem, /,
    );
  });

  it('an unsupported map type the program uses, naming the program, the map and its type', async () => {
    const { bytes } = await compileFixture('bad/unsupported_map');
    const obj = loadXdpObject(bytes, { file: 'unsupported_map.o' });
    expect(() => new XdpSession(obj)).toThrowError(XdpError);
    expect(() => new XdpSession(obj)).toThrowError(
      /^unsupported_map\.o: program 'xdp' uses map 'stacks', a BPF_MAP_TYPE_STACK_TRACE \(7\), which bpfgate does not support \(supported: BPF_MAP_TYPE_HASH, /,
    );
  });

  it('maps of unsupported types that the program never uses do not stop the object loading', async () => {
    const { bytes } = await compileFixture('unused_maps');
    const session = new XdpSession(loadXdpObject(bytes, { file: 'unused_maps.o' }));
    expect(session.mapNames).toEqual(['lengths']);
    expect(() => session.map('socks')).toThrowError(
      "unused_maps.o: map 'socks' (BPF_MAP_TYPE_SOCKMAP (15)) is not loaded: program 'xdp' does not use it and bpfgate does not support its type",
    );
    const r = await session.run(new Uint8Array(70));
    expect(r.kind === 'exit' && r.actionName).toBe('XDP_PASS');
    expect(session.map('lengths').entries()).toEqual([{ key: Uint8Array.from([1, 0, 0, 0]), value: Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0]) }]);
  });

  it("a 'values' field that is neither map-in-map nor a program array says so", async () => {
    const { bytes } = await compileFixture('bad/values_not_maps');
    expect(() => loadXdpObject(bytes, { file: 'values_not_maps.o' })).toThrowError(
      /^values_not_maps\.o: map 'outer': field 'values' is not __array\(values, struct \{ \.\.\. \}\) \(map-in-map\) or __array\(values, int \(void \*\)\) \(program array\)/,
    );
  });
});
