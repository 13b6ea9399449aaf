// The shipped CPU builds ("presets"), next to the config they fill in. The
// bitstream build, the simulator engines (`--board` / `--config`), the
// lockstep fuzzer (`--config NAME`), the tests and README all name builds
// from this one table, so what is fuzzed is what is shipped.
//
// The CPU's own defaults (4096 program slots, 64 KiB of data in block RAM,
// the helper extension port) are for measurements: no iCE40 has the 200
// block RAMs they need. A preset is a set of overrides of the SoC defaults
// (presetConfig below: the defaults without the helper port, which nothing
// on a board answers).

import { DEFAULT_MEMORY_MAP } from '../../src/isa/memory-map.ts';
import { makeConfig, type CpuConfig } from './config.ts';

/** A named CPU build for the SoC, and what it leaves out (for the user). */
export interface CpuPreset {
  readonly name: string;
  readonly summary: string;
  /** Overrides of the SoC's CPU defaults (presetConfig). */
  readonly cpu: Partial<CpuConfig>;
  /**
   * The nextpnr router measured fastest for this build on its device (the
   * bitstream build's default; `bpfgate build --router` overrides it).
   * Absent: nextpnr's default, router1.
   */
  readonly router?: 'router1' | 'router2';
  /**
   * The core clock in MHz, made by the device's PLL from the board's
   * oscillator, that this build is measured to meet with room to spare (the
   * bitstream build's default; `bpfgate build --clock` overrides it).
   * Absent: the oscillator itself.
   */
  readonly coreMHz?: number;
}

/**
 * Memories for block RAM only (HX8K: 32 blocks): 512 program slots (8 BRAMs),
 * 2 KiB data + 8 x 512 B stack (12 BRAMs); with the register file's 8 and
 * the host link's frame buffer, 30 blocks.
 */
const BRAM_MEMORY: Partial<CpuConfig> = {
  progWords: 512,
  memoryMap: { ...DEFAULT_MEMORY_MAP, dataSize: 2048 },
};

/** UltraPlus: data (the CPU's default 64 KiB) and stack in the four SPRAMs, 512 program slots in block RAM. */
const SPRAM_MEMORY: Partial<CpuConfig> = {
  progWords: 512,
  dataRam: 'spram',
  memoryMap: DEFAULT_MEMORY_MAP,
};

export const CPU_PRESETS: Readonly<Record<string, CpuPreset>> = {
  default: {
    name: 'default',
    summary: 'the CPU defaults (4096 program slots, 64 KiB data): too big for any iCE40, for measurements',
    cpu: {},
  },
  up5k: {
    name: 'up5k',
    summary: 'UltraPlus: DSP multiplier that also shifts (no shifter of its own), atomics, v4 but sdiv/smod; no divider (div/mod/sdiv/smod) or callx (they fault as illegal), 24-bit cycle/instruction counters, 512 program slots, 64 KiB data + stack in SPRAM',
    // v4 without the divider: movsx, ldsx, bswap and gotol run; sdiv/smod
    // are in the divmul groups, which divider 'none' leaves out (specEnabled).
    cpu: { ...SPRAM_MEMORY, multiplier: 'dsp', divider: 'none', shifter: 'dsp', atomics: true, v4: true, callx: false, counterBits: 24 },
  },
  'up5k-div': {
    name: 'up5k-div',
    summary: 'UltraPlus with the divider instead of atomics: DSP multiplier that also shifts, the compact divider (div/mod/sdiv/smod), v4; no atomics or callx (they fault as illegal), 24-bit counters, 512 program slots, 64 KiB data + stack in SPRAM, mispredicted jumps fixed a cycle late',
    cpu: { ...SPRAM_MEMORY, multiplier: 'dsp', divider: 'compact', shifter: 'dsp', atomics: false, v4: true, callx: false, counterBits: 24, lateBranch: true },
  },
  hx8k: {
    name: 'hx8k',
    summary: 'HX8K: every RFC group (iterative multiplier, the divider on the ALU, atomics, v4), 512 program slots, 2 KiB data, mispredicted jumps fixed a cycle late',
    cpu: { ...BRAM_MEMORY, multiplier: 'iterative', divider: 'compact', lateBranch: true },
    // 75% full (Dec 4, compact divider, lateBranch): router2 26.6 MHz.
    // With the shared divider (80% full) router2 reached 27.9 MHz (84 s on
    // a quiet machine before frame isolation), router1 28.7 MHz but 161 s.
    router: 'router2',
    // Against 24 MHz (the PLL doubling the breakout's 12 MHz) the default
    // seed reaches 30.96 MHz (P&R 99 s, Dec 4); against 30 MHz only 28.84.
    coreMHz: 24,
  },
  small: {
    name: 'small',
    summary: 'no multiplier/divider (mul/div/mod fault as illegal), 512 program slots, 2 KiB data',
    cpu: { ...BRAM_MEMORY, multiplier: 'none', divider: 'none', callx: false, frameIsolation: false },
  },
  minimal: {
    name: 'minimal',
    summary: 'no multiplier/divider, atomics or callx (they fault as illegal), 16-bit cycle/instruction counters, 512 program slots, 2 KiB data',
    cpu: { ...BRAM_MEMORY, multiplier: 'none', divider: 'none', callx: false, atomics: false, counterBits: 16, frameIsolation: false },
  },
};

/**
 * The preset each iCE40 device gets unless the user picks another (keys are
 * src/board/devices.ts DeviceIds).
 *
 * Measured (yowasp yosys + nextpnr, default seed; README's boards table has
 * the details): the UP5K (5,280 logic cells) holds 'up5k', every RFC group
 * but the divider: 4,917 logic cells (93.1%), 4,437 LUT4, 4 of 8 DSPs, Fmax
 * 13.55 MHz on the iCEBreaker against its 12 MHz oscillator (Dec 4; 14.10
 * on Dec 3, and 13.36 on the iCESugar, 13.77 on the UPduino). With the
 * compact divider it would need 5,433 cells: it does not fit; 'up5k-div'
 * trades atomics for it (5,215 cells). (An earlier try with atomics, v4 and
 * 32-bit counters, 5,171 cells at 98%, reached only 9.5-11.6 MHz: the
 * UltraPlus fabric is slow and its routing degrades near full use.)
 * The HX8K (7,680) holds 'hx8k', every RFC group: 5,741 logic cells (5,255
 * LUT4), 30 of 32 block RAMs, Fmax 25.96 MHz against 12 MHz; 'minimal'
 * there: 4,915 cells, Fmax 28.7 MHz.
 */
export const DEVICE_PRESET: Readonly<Record<string, string>> = {
  up5k: 'up5k',
  hx8k: 'hx8k',
  lp8k: 'hx8k',
};

export class PresetError extends Error {
  override readonly name = 'PresetError';
}

/** The preset called `name`; throws PresetError listing the known ones. */
export function requirePreset(name: string): CpuPreset {
  const p = Object.hasOwn(CPU_PRESETS, name) ? CPU_PRESETS[name] : undefined;
  if (!p) throw new PresetError(`unknown CPU config '${name}'; known: ${Object.keys(CPU_PRESETS).join(', ')}`);
  return p;
}

/**
 * The build a board runs: the preset `name` names, or the board's own (its
 * device's, DEVICE_PRESET) when `name` is undefined or 'board'. Throws
 * PresetError naming the board or listing the known presets.
 */
export function presetFor(board: { readonly id: string; readonly device: string }, name?: string): CpuPreset {
  if (name !== undefined && name !== 'board') return requirePreset(name);
  const own = devicePresetName(board.device);
  if (own === undefined) {
    throw new PresetError(`no CPU build is defined for the ${board.device} of board '${board.id}'; pick one with --config (${Object.keys(CPU_PRESETS).join(', ')})`);
  }
  return requirePreset(own);
}

/** The preset name a device gets by default, or undefined when none fits it. */
export function devicePresetName(device: string): string | undefined {
  return Object.hasOwn(DEVICE_PRESET, device) ? DEVICE_PRESET[device] : undefined;
}

/**
 * The CPU config of a preset as the SoC builds it: the CPU defaults without
 * the helper extension port, then the preset's overrides, then `extra`
 * (e.g. `{ dataRam: 'bram' }` for engines that load the data RAM directly).
 */
export function presetConfig(preset: string | CpuPreset, extra: Partial<CpuConfig> = {}): CpuConfig {
  const p = typeof preset === 'string' ? requirePreset(preset) : preset;
  return makeConfig({ helperPort: false, ...p.cpu, ...extra });
}

/** The shipped board builds (every preset but the 'default' measurement build). */
export function boardPresets(): CpuPreset[] {
  return Object.values(CPU_PRESETS).filter((p) => p.name !== 'default');
}
