// The CPU generator's one config object. Every hardware unit reads it; the
// decoder filters the ISA table through `specEnabled` so an instruction the
// build leaves out decodes as illegal, and the fuzzer uses the same filter
// so it only generates what the build runs.

import { DEFAULT_MEMORY_MAP, stackTop, type MemoryMap } from '../../src/isa/memory-map.ts';
import { ISA, type InsnSpec } from '../../src/isa/table.ts';

export type MultiplierKind = 'iterative' | 'dsp' | 'none';
/**
 * Radix-2 with a subtractor of its own, radix-2 on the core's ALU ('shared',
 * divider-shared.ts), the same with the magnitudes and signs formed by the
 * ALU in extra steps too ('compact', divider-compact.ts: the smallest), or
 * left out.
 */
export type DividerKind = 'iterative' | 'shared' | 'compact' | 'none';
/**
 * Multi-cycle shifter: steps of 32/8/1 bits from the start cycle, a smaller
 * one with steps of 8/1 (shifter.ts), or shifts as multiplications by 2^n on
 * the DSP multiplier's blocks ('dsp': no shifter of its own, 5 cycles, 3 for
 * 32-bit; needs multiplier 'dsp').
 */
export type ShifterKind = 'fast' | 'small' | 'dsp';
/** What the data + stack RAM is built from: block RAM, or the UltraPlus's SB_SPRAM256KA (up to 16K x 64 bits). */
export type DataRamKind = 'bram' | 'spram';

export interface CpuConfig {
  /** mul32/mul64: shift-add over several cycles, SB_MAC16 blocks, or left out. */
  readonly multiplier: MultiplierKind;
  /** div/mod/sdiv/smod: radix-2 iterative, radix-2 on the ALU ('shared', 'compact'), or left out. */
  readonly divider: DividerKind;
  /** lsh/rsh/arsh: the faster or the smaller multi-cycle shifter, or the DSP multiplier. */
  readonly shifter: ShifterKind;
  /** The atomic32/atomic64 groups. */
  readonly atomics: boolean;
  /** The legacy packet group (ldabs/ldind). */
  readonly packet: boolean;
  /** ISA v4 extensions (sdiv/smod, movsx, bswap, ldxs*, gotol). */
  readonly v4: boolean;
  /** callx (helper id in a register; not in RFC 9669). */
  readonly callx: boolean;
  /** Program memory depth in 64-bit slots (a power of two). */
  readonly progWords: number;
  /** Address map; dataSize is the data RAM size, frameSize * maxFrames the stack RAM. */
  readonly memoryMap: MemoryMap;
  /** Helper ids other than the built-in ones go out on the extension port (else they fault). */
  readonly helperPort: boolean;
  /** Width of the cycle and retired-instruction counters. */
  readonly counterBits: number;
  /** Data + stack RAM in block RAM or (UltraPlus only) SPRAM. */
  readonly dataRam: DataRamKind;
  /**
   * Each local call's frame is its own, as the interpreter's default
   * (isolateFrames): an access below the current frame, or an r10-based one
   * outside [r10 - frameSize, r10), is an out-of-bounds fault. Off: one
   * stack region, every frame reachable.
   */
  readonly frameIsolation: boolean;
  /**
   * Conditional jumps retire as D predicted and a wrong prediction is fixed
   * a cycle later (the wrong-path instruction in E is squashed): the fetch
   * address no longer waits on the ALU's comparison, the core's longest
   * path, for one cycle more per mispredicted jump (core.ts).
   */
  readonly lateBranch: boolean;
}

export const DEFAULT_CPU_CONFIG: CpuConfig = Object.freeze({
  multiplier: 'iterative',
  divider: 'iterative',
  shifter: 'fast',
  atomics: true,
  packet: false,
  v4: true,
  callx: true,
  progWords: 4096,
  memoryMap: DEFAULT_MEMORY_MAP,
  helperPort: true,
  counterBits: 32,
  dataRam: 'bram',
  frameIsolation: true,
  lateBranch: false,
});

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Fill in defaults and check the combination; throws ConfigError naming the bad field. */
export function makeConfig(overrides: Partial<CpuConfig> = {}): CpuConfig {
  const cfg: CpuConfig = Object.freeze({ ...DEFAULT_CPU_CONFIG, ...overrides });
  const bad = (field: string, why: string): never => {
    throw new ConfigError(`cpu config: ${field} ${why}`);
  };
  if (!['iterative', 'dsp', 'none'].includes(cfg.multiplier)) bad('multiplier', `must be iterative, dsp or none (got '${cfg.multiplier}')`);
  if (!['iterative', 'shared', 'compact', 'none'].includes(cfg.divider)) bad('divider', `must be iterative, shared, compact or none (got '${cfg.divider}')`);
  if (!['fast', 'small', 'dsp'].includes(cfg.shifter)) bad('shifter', `must be fast, small or dsp (got '${cfg.shifter}')`);
  if (cfg.shifter === 'dsp' && cfg.multiplier !== 'dsp') bad('shifter', `'dsp' shifts on the DSP multiplier, so it needs multiplier 'dsp' (got '${cfg.multiplier}')`);
  if (!isPow2(cfg.progWords) || cfg.progWords < 2 || cfg.progWords > 1 << 20) bad('progWords', `must be a power of two in 2..2^20 (got ${cfg.progWords})`);
  if (!Number.isInteger(cfg.counterBits) || cfg.counterBits < 16 || cfg.counterBits > 64) bad('counterBits', `must be 16..64 (got ${cfg.counterBits})`);
  if (!['bram', 'spram'].includes(cfg.dataRam)) bad('dataRam', `must be bram or spram (got '${cfg.dataRam}')`);
  if (typeof cfg.lateBranch !== 'boolean') bad('lateBranch', `must be true or false (got '${String(cfg.lateBranch)}')`);
  const mm = cfg.memoryMap;
  if (!isPow2(mm.dataSize) || mm.dataSize < 8) bad('memoryMap.dataSize', `must be a power of two of at least 8 bytes (got ${mm.dataSize})`);
  if (!isPow2(mm.frameSize) || mm.frameSize < 8) bad('memoryMap.frameSize', `must be a power of two of at least 8 bytes (got ${mm.frameSize})`);
  if (!Number.isInteger(mm.maxFrames) || mm.maxFrames < 1 || mm.maxFrames > 64) bad('memoryMap.maxFrames', `must be 1..64 (got ${mm.maxFrames})`);
  for (const [name, base, size] of [['dataBase', mm.dataBase, mm.dataSize], ['stackBase', mm.stackBase, stackBytes(cfg)]] as const) {
    if (!Number.isInteger(base) || base < 0 || base % 8 !== 0 || base + size > 2 ** 32) {
      bad(`memoryMap.${name}`, `must be 8-byte aligned with the region below 2^32 (got 0x${base.toString(16)})`);
    }
  }
  const overlap = mm.dataBase < mm.stackBase + stackBytes(cfg) && mm.stackBase < mm.dataBase + mm.dataSize;
  if (overlap) bad('memoryMap', 'has overlapping data and stack regions');
  // Four SB_SPRAM256KA side by side make 16K words of 64 bits.
  if (cfg.dataRam === 'spram' && dataRamWords(cfg) > SPRAM_DATA_WORDS) {
    bad('memoryMap', `needs ${dataRamWords(cfg)} words of data + stack RAM; SPRAM holds ${SPRAM_DATA_WORDS} (128 KiB)`);
  }
  return cfg;
}

const SPRAM_DATA_WORDS = 16 * 1024;

function isPow2(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

/** Does this build execute the instruction? (Otherwise it decodes as illegal.) */
export function specEnabled(cfg: CpuConfig, spec: InsnSpec): boolean {
  if (spec.version === 4 && !cfg.v4) return false;
  if (!spec.rfc && !cfg.callx) return false;
  const sem = spec.sem;
  switch (spec.group) {
    case 'atomic32':
    case 'atomic64':
      return cfg.atomics;
    case 'packet':
      return cfg.packet;
    case 'divmul32':
    case 'divmul64':
      if (sem.kind === 'alu' && sem.op === 'mul') return cfg.multiplier !== 'none';
      return cfg.divider !== 'none';
    default:
      return true;
  }
}

/** The ISA table filtered by the build. */
export function enabledSpecs(cfg: CpuConfig): InsnSpec[] {
  return ISA.filter((s) => specEnabled(cfg, s));
}

// ---- derived sizes -------------------------------------------------------

/** Bytes of stack RAM: every frame the call depth allows. */
export function stackBytes(cfg: CpuConfig): number {
  return cfg.memoryMap.frameSize * cfg.memoryMap.maxFrames;
}

/** The data RAM holds both regions: the data region at physical byte 0, the stack right after it (at dataSize). */
export function dataRamWords(cfg: CpuConfig): number {
  return (cfg.memoryMap.dataSize + stackBytes(cfg)) / 8;
}

export function log2ceil(n: number): number {
  return Math.max(1, Math.ceil(Math.log2(n)));
}

/** Bits of a physical byte address in the data RAM. */
export function physAddrBits(cfg: CpuConfig): number {
  return log2ceil(dataRamWords(cfg) * 8);
}

/** Bits of a program slot index (one more than the memory needs, so pc + 1 past the end is representable). */
export function pcBits(cfg: CpuConfig): number {
  return log2ceil(cfg.progWords) + 1;
}

/** Bits of a call depth (0 .. maxFrames - 1). */
export function depthBits(cfg: CpuConfig): number {
  return log2ceil(Math.max(2, cfg.memoryMap.maxFrames));
}

/** Bits of the data-limit register (0 .. dataSize inclusive). */
export function dataLimitBits(cfg: CpuConfig): number {
  return log2ceil(cfg.memoryMap.dataSize) + 1;
}

export function frameTop(cfg: CpuConfig): number {
  return stackTop(cfg.memoryMap);
}
