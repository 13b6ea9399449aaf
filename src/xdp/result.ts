// What one packet's run gives back.

import type { SourceRef } from '../program.ts';
import type { MapEntry } from './map-table.ts';
import type { XdpEventRecord, XdpRedirect } from './helpers.ts';
import type { FrameRefusalReason } from './frames.ts';

interface XdpRunCommon {
  /** Instructions retired (engines that count them). */
  readonly insns?: number;
  /** Clock cycles (hardware engines). */
  readonly cycles?: number;
  /** bpf_trace_printk output, one entry per call. */
  readonly log: readonly string[];
  /** Every map's entries after the run (key order; arrays: every index), by map name. */
  readonly maps: ReadonlyMap<string, readonly MapEntry[]>;
}

export interface XdpExit extends XdpRunCommon {
  readonly kind: 'exit';
  /** The verdict: r0 as the kernel returns it (its low 32 bits). */
  readonly action: number;
  /** `XDP_PASS`, ... (`verdict N` outside enum xdp_action). */
  readonly actionName: string;
  readonly r0: bigint;
  /** The packet as the program left it: [data, data_end). A view of a buffer shared with other results (mind byteOffset). */
  readonly packet: Uint8Array;
  /** The metadata in front of it: [data_meta, data) (empty unless bpf_xdp_adjust_meta grew it). */
  readonly meta: Uint8Array;
  /** Set when the program redirected: bpf_redirect (flags 0), or bpf_redirect_map to an entry that exists. */
  readonly redirect?: XdpRedirect;
  /** Tail calls taken (bpf_tail_call) on the way to this verdict. */
  readonly tailCalls?: number;
  /** Records written to perf event arrays and ring buffers, in order. */
  readonly events?: readonly XdpEventRecord[];
}

/** The program did something the kernel would have refused to load (or ran out of budget). */
export interface XdpFault extends XdpRunCommon {
  readonly kind: 'fault';
  /** One line: `pc N: insn: what happened`, with the source line when known. */
  readonly message: string;
  /** The engine's fault code (`out-of-bounds`, `access`, `budget`, `helper-fault`, `context`, ...). */
  readonly code?: string;
  readonly pc?: number;
  readonly source?: SourceRef;
}

/** The frame itself cannot run (too short for the kernel, or multi-buffer): the program did not run, maps are untouched. */
export interface XdpRefused extends XdpRunCommon {
  readonly kind: 'refused';
  readonly reason: FrameRefusalReason;
  /** One line: the frame's size and the limit it breaks. */
  readonly message: string;
}

export type XdpRunResult = XdpExit | XdpFault | XdpRefused;
