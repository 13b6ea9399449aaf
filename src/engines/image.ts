// What a run of a program on the CPU needs, as memory images and register
// values — shared by the simulated CPU, the Verilator and Icarus test
// benches. The layout is the interpreter's (src/interp/memory.ts): globals,
// zero padding to 8 bytes, then the input; r1 = its address, r2 = its length,
// r10 = top of the stack.

import { insnToWord } from '../isa/encoding.ts';
import { packetOffset, type Program } from '../program.ts';
import type { ArgRegister } from '../interp/types.ts';
import { dataRamWords, type CpuConfig } from '../../hdl/cpu/config.ts';

export interface RunImage {
  /** One 64-bit word per program slot. */
  readonly prog: readonly bigint[];
  readonly entry: number;
  /** Data region contents [0, dataLimit): globals, padding, input. */
  readonly data: Uint8Array;
  readonly dataLimit: number;
  /** Legacy packet loads: the input's offset and length in the data region. */
  readonly packetOffset: number;
  readonly packetLength: number;
  /** Initial r0..r9. */
  readonly regs: readonly bigint[];
}

/** A program or input the hardware cannot hold (like the interpreter's RangeError). */
export class ImageError extends RangeError {
  override readonly name = 'ImageError';
}

const ARG_INDEX: Record<ArgRegister, number> = { r1: 1, r2: 2, r3: 3, r4: 4, r5: 5 };

export function buildImage(
  cfg: CpuConfig, program: Program, input: Uint8Array, args: Partial<Record<ArgRegister, bigint>> = {},
): RunImage {
  const n = program.insns.length;
  if (n > cfg.progWords) {
    throw new ImageError(`program has ${n} slots but the CPU's program memory holds ${cfg.progWords} (config progWords)`);
  }
  if (!Number.isInteger(program.entry) || program.entry < 0 || program.entry >= Math.max(n, 1)) {
    throw new ImageError(`program entry ${program.entry} is outside the program (0..${n - 1})`);
  }
  const offset = packetOffset(program);
  const dataSize = cfg.memoryMap.dataSize;
  if (offset + input.length > dataSize) {
    throw new ImageError(
      `input of ${input.length} bytes does not fit data memory: ${dataSize} bytes, ` +
        `${offset} of them taken by the program's globals (the input starts at offset ${offset})`,
    );
  }
  const data = new Uint8Array(offset + input.length);
  if (program.globals) data.set(program.globals, 0);
  data.set(input, offset);
  const regs: bigint[] = new Array(10).fill(0n);
  regs[1] = BigInt(cfg.memoryMap.dataBase + offset);
  regs[2] = BigInt(input.length);
  for (const [name, value] of Object.entries(args)) {
    const i = ARG_INDEX[name as ArgRegister];
    if (i === undefined) throw new ImageError(`unknown argument register '${name}' (expected r1..r5)`);
    if (value !== undefined) regs[i] = BigInt.asUintN(64, value);
  }
  return {
    prog: program.insns.map(insnToWord),
    entry: program.entry,
    data,
    dataLimit: data.length,
    packetOffset: offset,
    packetLength: input.length,
    regs,
  };
}

/** The whole data RAM (data region at 0, zeroed stack after it) as 64-bit little-endian words. */
export function dataRamImage(cfg: CpuConfig, image: RunImage): bigint[] {
  const words: bigint[] = new Array(dataRamWords(cfg)).fill(0n);
  const view = new DataView(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  for (let i = 0; i < image.data.length; i += 8) {
    let w = 0n;
    for (let b = Math.min(7, image.data.length - 1 - i); b >= 0; b--) w = (w << 8n) | BigInt(view.getUint8(i + b));
    words[i / 8] = w;
  }
  return words;
}
