// XDP on bpfgate: run real XDP programs (clang -target bpf objects, unchanged)
// over packets, with maps, helpers and the kernel's xdp_md/frame layout.
// See README.md in this folder.
export { loadXdpObject, bindMapHandles, type XdpObject, type LoadXdpOptions } from './object.ts';
export { XdpSession, type XdpSessionOptions } from './session.ts';
export type { XdpMap } from './map-views.ts';
export type { XdpRunResult, XdpExit, XdpFault, XdpRefused } from './result.ts';
export { frameRefusal, type FrameRefusal, type FrameRefusalReason } from './frames.ts';
export type { XdpEngine, XdpEngineRequest, XdpEngineResult, XdpEngineClock, AccessCheck } from './engine.ts';
export { createInterpXdpEngine, type InterpXdpEngineOptions } from './interp-engine.ts';
export { packetsPerSecond, ICEBREAKER_HZ } from './throughput.ts';
export { planXdpMemory, type XdpLayout } from './layout.ts';
export { xdpHelpers, HELPER, SUPPORTED_HELPERS, type XdpHelperEnv } from './helpers.ts';
export { helperName } from './helper-names.ts';
export type { MapEntry, MapKind, PlacedMap } from './map-table.ts';
export * from './constants.ts';
export { XdpError } from './errors.ts';
