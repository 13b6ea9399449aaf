// Which frames a packet run accepts, as the kernel's BPF_PROG_TEST_RUN does:
// it refuses frames shorter than an Ethernet header with EINVAL, and puts
// everything past one page's room (4096 less headroom and tail reserve) in
// fragments (multi-buffer XDP), which bpfgate does not model. Either way the
// packet is refused on its own; the run goes on with the next one.

import { XDP_FRAME, XDP_MAX_PACKET } from './constants.ts';

export type FrameRefusalReason = 'runt' | 'multi-buffer';

export interface FrameRefusal {
  readonly reason: FrameRefusalReason;
  /** One line naming the size and the limit. */
  readonly message: string;
}

/** Why a frame of `length` bytes cannot run, or undefined when it can. */
export function frameRefusal(length: number): FrameRefusal | undefined {
  if (length < XDP_FRAME.minPacketBytes) {
    return {
      reason: 'runt',
      message: `a ${length}-byte frame is shorter than an Ethernet header (${XDP_FRAME.minPacketBytes} bytes): ` +
        'the kernel refuses it (BPF_PROG_TEST_RUN: EINVAL)',
    };
  }
  if (length > XDP_MAX_PACKET) {
    return {
      reason: 'multi-buffer',
      message: `a ${length}-byte frame needs multi-buffer XDP (fragments past ${XDP_MAX_PACKET} bytes, the kernel's single-buffer ` +
        `limit: ${XDP_FRAME.frameBytes}-byte page less ${XDP_FRAME.headroom} headroom and ${XDP_FRAME.tailReserve} tail reserve), which bpfgate does not support`,
    };
  }
  return undefined;
}
