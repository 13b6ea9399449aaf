// struct xdp_md as a run starts with it, and the check that the program
// left it alone (it is read-only; engines that vet accesses fault at the
// store itself, this catches it for the others).

import type { PacketBounds } from './access.ts';
import { XDP_MD, XDP_MD_FIELD_NAMES } from './constants.ts';

export interface ContextSettings {
  readonly ingressIfindex: number;
  readonly rxQueueIndex: number;
}

/** Fill `ctx` (XDP_MD.bytes long) with xdp_md as a run with these bounds sees it. */
export function writeContext(ctx: Uint8Array, bounds: PacketBounds, settings: ContextSettings): void {
  putU32(ctx, XDP_MD.data, bounds.data);
  putU32(ctx, XDP_MD.dataEnd, bounds.end);
  putU32(ctx, XDP_MD.dataMeta, bounds.meta);
  putU32(ctx, XDP_MD.ingressIfindex, settings.ingressIfindex);
  putU32(ctx, XDP_MD.rxQueueIndex, settings.rxQueueIndex);
}

function putU32(bytes: Uint8Array, at: number, v: number): void {
  bytes[at] = v & 0xff;
  bytes[at + 1] = (v >>> 8) & 0xff;
  bytes[at + 2] = (v >>> 16) & 0xff;
  bytes[at + 3] = v >>> 24;
}

/** A message naming the first field of xdp_md at `actual[at...]` that differs from `expected`, or undefined. */
export function contextChange(expected: Uint8Array, actual: Uint8Array, at = 0): string | undefined {
  let i = 0;
  while (i < XDP_MD.bytes && expected[i] === actual[at + i]) i++;
  if (i === XDP_MD.bytes) return undefined;
  const was = new DataView(expected.buffer, expected.byteOffset, expected.byteLength);
  const now = new DataView(actual.buffer, actual.byteOffset + at, XDP_MD.bytes);
  for (let at = 0; at < XDP_MD.bytes; at += 4) {
    if (was.getUint32(at, true) !== now.getUint32(at, true)) {
      return `the program wrote 0x${now.getUint32(at, true).toString(16)} into xdp_md.${XDP_MD_FIELD_NAMES[at]} ` +
        `(was 0x${was.getUint32(at, true).toString(16)}): the xdp_md context is read-only and the kernel verifier rejects such a write`;
    }
  }
  return undefined;
}
