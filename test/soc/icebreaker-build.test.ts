// The default board: the iCEBreaker's own CPU build ('up5k') must fit the
// UP5K and meet its 12 MHz oscillator, through the npm toolchain alone
// (yowasp yosys + nextpnr + icepack). The build's whole time was 431 s on a
// busy 2-core machine and 944 s with three builds and two test runs sharing
// it (load 9); the limit leaves room beyond that.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEVICES } from '../../src/board/devices.ts';
import { buildSoc } from '../../src/toolchain/soc-build.ts';
import { readFile } from 'node:fs/promises';

describe('the iCEBreaker (UP5K) build', () => {
  it('fits and meets the 12 MHz clock', async () => {
    const built = await buildSoc({ board: 'icebreaker', outDir: mkdtempSync(join(tmpdir(), 'bpfgate-icebreaker-')) });
    const { report } = built.build;
    expect(built.config.name).toBe('up5k');
    expect(report.utilisation!.logicCells.used).toBeLessThanOrEqual(report.utilisation!.logicCells.available);
    expect(report.timing?.met, built.build.reportText).toBe(true);
    const bin = await readFile(built.build.files.bin!);
    expect(bin.length).toBe(DEVICES.up5k.bitstreamBytes);
  }, 1_500_000);
});
