// The CPU builds the boards get (hdl/cpu/presets.ts, all but the 'default'
// measurement build), with the data RAM in block RAM where the board uses
// SPRAM: the TS-simulator engines load that RAM directly, and the SoC tests
// cover SPRAM.

import type { CpuConfig } from '../../hdl/cpu/config.ts';
import { boardPresets, presetConfig } from '../../hdl/cpu/presets.ts';

export function boardCpuBuilds(): { readonly name: string; readonly cfg: CpuConfig }[] {
  return boardPresets().map((p) => ({ name: p.name, cfg: presetConfig(p, { dataRam: 'bram' }) }));
}
