// The address space every bpfgate engine shares (interpreter, simulated CPU,
// board). eBPF programs see flat 64-bit addresses; bpfgate is Harvard, so the
// program is not addressable and two data regions exist:
//
//   stack  [stackBase, stackBase + frameSize * maxFrames)   r10 = its top;
//          each local call moves r10 down by one frame.
//   data   [dataBase, dataBase + dataSize)                   globals from the
//          ELF (.rodata/.data/.bss) first, then the packet/input bytes; r1
//          points at the packet and r2 holds its length. Only the bytes
//          actually loaded (globals + packet) are accessible: the run's
//          `dataLimit`, enforced the same way by the hardware.
//
// Every access outside these is a fault. Addresses are chosen so a region is
// told by its upper bits, which keeps the hardware's address decode small.

export interface MemoryMap {
  readonly dataBase: number;
  /** Capacity of data memory in bytes (the hardware's data RAM size). */
  readonly dataSize: number;
  readonly stackBase: number;
  readonly frameSize: number;
  /** Call depth bound: frames available, the entry frame included. */
  readonly maxFrames: number;
}

export const DEFAULT_MEMORY_MAP: MemoryMap = Object.freeze({
  dataBase: 0x2000_0000,
  dataSize: 64 * 1024,
  stackBase: 0x1000_0000,
  frameSize: 512,
  maxFrames: 8,
});

export function stackTop(map: MemoryMap): number {
  return map.stackBase + map.frameSize * map.maxFrames;
}
