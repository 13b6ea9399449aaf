// The CPU builds the boards get (src/toolchain/soc-build.ts, all but the
// 'default' measurement build), with the data RAM in block RAM where the
// board uses SPRAM: the TS-simulator engines load that RAM directly, and the
// SoC tests cover SPRAM.

import type { CpuConfig } from '../../hdl/cpu/config.ts';
import { socCpuConfig } from '../../hdl/soc/cpu-system.ts';
import { SOC_CONFIGS } from '../../src/toolchain/soc-build.ts';

export function boardCpuBuilds(): { readonly name: string; readonly cfg: CpuConfig }[] {
  return Object.values(SOC_CONFIGS)
    .filter((c) => c.name !== 'default')
    .map((c) => ({ name: c.name, cfg: socCpuConfig({ ...c.cpu, dataRam: 'bram' }) }));
}
