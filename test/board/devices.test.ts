import { describe, expect, it } from 'vitest';
import { runNextpnrIce40, runIcepack } from '@yowasp/nextpnr-ice40';
import { DEVICES, listBoards } from '../../src/board/index.ts';

// The device table must agree with the nextpnr chip databases the flow uses:
// place an empty design on each part and read back what nextpnr says it has.
const EMPTY_NETLIST = JSON.stringify({
  creator: 'bpfgate test',
  modules: { empty: { attributes: { top: '00000000000000000000000000000001' }, ports: {}, cells: {}, netnames: {} } },
});

describe('device table', () => {
  for (const device of Object.values(DEVICES)) {
    it(`matches nextpnr for ${device.part}`, async () => {
      const pkg = listBoards().find((b) => b.device === device.id)?.package;
      expect(pkg, `a board uses ${device.part}`).toBeDefined();
      const files = await runNextpnrIce40(
        [device.nextpnrFlag, '--package', pkg!, '--json', 'd.json', '--asc', 'd.asc', '--report', 'r.json'],
        { 'd.json': EMPTY_NETLIST },
        { stdout: null, stderr: null, decodeASCII: false },
      );
      const report = JSON.parse(new TextDecoder().decode(files!['r.json'] as Uint8Array)) as {
        utilization: Record<string, { available: number }>;
      };
      const available = (name: string): number => report.utilization[name]?.available ?? 0;
      expect({
        logicCells: available('ICESTORM_LC'),
        bram: available('ICESTORM_RAM'),
        spram: available('ICESTORM_SPRAM'),
        dsp: available('ICESTORM_DSP'),
        pll: available('ICESTORM_PLL'),
      }).toEqual(device.capacity);
      const packed = await runIcepack(['d.asc', 'd.bin'], { 'd.asc': files!['d.asc']! }, { decodeASCII: false });
      expect((packed!['d.bin'] as Uint8Array).length).toBe(device.bitstreamBytes);
    });
  }
});
