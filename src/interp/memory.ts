// Backing store of the program-visible address space (see src/isa/memory-map.ts).
//
// One Uint8Array holds both regions: the whole stack region at physical
// offset 0, then the accessible part of the data region (globals, padding,
// input) — nothing else is addressable, so nothing else is backed.

import { stackTop, type MemoryMap } from '../isa/memory-map.ts';
import { packetOffset, type Program } from '../program.ts';
import { hex64 } from './int64.ts';

export interface MemoryLayout {
  readonly stackBase: number;
  readonly stackSize: number;
  readonly stackTop: number;
  readonly frameSize: number;
  readonly maxFrames: number;
  readonly dataBase: number;
  /** Accessible data bytes: packetOffset + input length (the run's dataLimit, relative to dataBase). */
  readonly dataLimit: number;
  /** Address of the packet (input) bytes: the default r1. */
  readonly packetAddr: number;
  readonly packetLength: number;
  /**
   * Stack offset (from stackBase) of the lowest accessible byte: the current
   * frame's bottom when frames are isolated, else 0. The run loop moves it
   * at every local call and exit (LoadOptions.isolateFrames); helpers and
   * atomics see the same value through physical().
   */
  stackFloor: number;
}

export class InputTooLargeError extends RangeError {
  override readonly name = 'InputTooLargeError';
}

export function makeLayout(map: MemoryMap, program: Program, inputLength: number): MemoryLayout {
  const offset = packetOffset(program);
  if (offset + inputLength > map.dataSize) {
    throw new InputTooLargeError(
      `input of ${inputLength} bytes does not fit data memory: ${map.dataSize} bytes, ` +
        `${offset} of them taken by the program's globals (the input starts at offset ${offset})`,
    );
  }
  return {
    stackBase: map.stackBase,
    stackSize: map.frameSize * map.maxFrames,
    stackTop: stackTop(map),
    frameSize: map.frameSize,
    maxFrames: map.maxFrames,
    dataBase: map.dataBase,
    dataLimit: offset + inputLength,
    packetAddr: map.dataBase + offset,
    packetLength: inputLength,
    stackFloor: 0,
  };
}

/** Fresh backing memory: zeroed stack, then globals, zero padding and the input. */
export function makeMemory(layout: MemoryLayout, program: Program, input: Uint8Array): Uint8Array {
  const mem = new Uint8Array(layout.stackSize + layout.dataLimit);
  if (program.globals) mem.set(program.globals, layout.stackSize);
  mem.set(input, layout.stackSize + (layout.packetAddr - layout.dataBase));
  return mem;
}

/**
 * Physical offset of an access of `bytes` bytes at the 64-bit address
 * (hi, lo as int32 words, plus a small signed offset), or -1 if any byte of
 * it is outside both regions (the stack below layout.stackFloor is not
 * accessible). Kept tiny so the run loop's calls inline.
 */
export function physical(layout: MemoryLayout, hi: number, lo: number, off: number, bytes: number): number {
  if (hi !== 0) return -1;
  const a = (lo >>> 0) + off;
  const s = a - layout.stackBase;
  if (s >= layout.stackFloor && s <= layout.stackSize - bytes) return s;
  const d = a - layout.dataBase;
  if (d >= 0 && d <= layout.dataLimit - bytes) return d + layout.stackSize;
  return -1;
}

/** Physical offset of an access at a bigint address, or -1. */
export function physicalBig(layout: MemoryLayout, addr: bigint, bytes: number): number {
  // The usual address is already a small non-negative bigint: no wrap to compute.
  if (addr >= 0n && addr <= 0xffffffffn) return physical(layout, 0, Number(addr), 0, bytes);
  const u = BigInt.asUintN(64, addr);
  if (u > 0xffffffffn) return -1;
  return physical(layout, 0, Number(u), 0, bytes);
}

/** Exact 64-bit address of register (lo, hi) + off, for messages. */
export function effectiveAddress(lo: number, hi: number, off: number): bigint {
  return BigInt.asUintN(64, ((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)) + BigInt(off));
}

/** The regions, for out-of-bounds messages. */
export function describeRegions(layout: MemoryLayout): string {
  const range = (base: number, size: number): string =>
    size === 0 ? `empty at ${hex(base)}` : `[${hex(base)}, ${hex(base + size)})`;
  return `stack ${range(layout.stackBase, layout.stackSize)}, data ${range(layout.dataBase, layout.dataLimit)}`;
}

export function outOfBoundsMessage(
  layout: MemoryLayout, access: 'read' | 'write', address: bigint, bytes: number,
): string {
  const what = `${access} of ${bytes} byte${bytes === 1 ? '' : 's'} at ${hex64(address)}`;
  const a = Number(address) - layout.stackBase;
  const floor = layout.stackFloor;
  if (floor > 0 && address < 1n << 32n && a >= 0 && a < floor && a + bytes <= layout.stackSize) {
    const inUse = `[${hex(layout.stackBase + floor)}, ${hex(layout.stackTop)})`;
    return `${what} is below the current stack frame (frames in use: ${inUse}); each local call's frame is its own`;
  }
  return `${what} is outside memory (${describeRegions(layout)})`;
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
