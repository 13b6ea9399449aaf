// struct xdp_md as a run starts with it, and the check that the program
// left it alone (it is read-only; engines that vet accesses fault at the
// store itself, this catches it for the others).

import type { PacketBounds } from './access.ts';
import { XDP_MD, XDP_MD_FIELD_NAMES } from './constants.ts';

export interface ContextSettings {
  readonly ingressIfindex: number;
  readonly rxQueueIndex: number;
}

export function contextBytes(bounds: PacketBounds, settings: ContextSettings): Uint8Array {
  const ctx = new Uint8Array(XDP_MD.bytes);
  const view = new DataView(ctx.buffer);
  view.setUint32(XDP_MD.data, bounds.data, true);
  view.setUint32(XDP_MD.dataEnd, bounds.end, true);
  view.setUint32(XDP_MD.dataMeta, bounds.meta, true);
  view.setUint32(XDP_MD.ingressIfindex, settings.ingressIfindex, true);
  view.setUint32(XDP_MD.rxQueueIndex, settings.rxQueueIndex, true);
  return ctx;
}

/** A message naming the first field of `actual` that differs from `expected`, or undefined. */
export function contextChange(expected: Uint8Array, actual: Uint8Array): string | undefined {
  const was = new DataView(expected.buffer, expected.byteOffset, expected.byteLength);
  const now = new DataView(actual.buffer, actual.byteOffset, actual.byteLength);
  for (let at = 0; at < XDP_MD.bytes; at += 4) {
    if (was.getUint32(at, true) !== now.getUint32(at, true)) {
      return `the program wrote 0x${now.getUint32(at, true).toString(16)} into xdp_md.${XDP_MD_FIELD_NAMES[at]} ` +
        `(was 0x${was.getUint32(at, true).toString(16)}): the xdp_md context is read-only and the kernel verifier rejects such a write`;
    }
  }
  return undefined;
}
