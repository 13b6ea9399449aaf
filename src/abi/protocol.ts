// The bpfgate host protocol: the one description of frames, commands, error
// codes and reply layouts. The host codec (src/host/) and the hardware
// protocol engine (hdl/soc/host-link.ts) are both generated from these
// tables, so the two sides cannot drift apart. The prose version is
// docs/host-protocol.md.
//
// Frame (both directions), every multi-byte field little-endian except the CRC:
//
//   sync  seq  cmd  len  payload[len]  crc_hi  crc_lo
//
//   sync  0xA5 host -> board, 0x5A board -> host
//   seq   chosen by the host, echoed in the reply (stale replies are told apart)
//   cmd   a command code; replies carry the request's code, or ERROR
//   len   payload length, 0..255
//   crc   CRC-16/CCITT-FALSE over seq, cmd, len and payload, high byte first
//         (so the CRC over everything after sync, CRC included, is zero)

export const SYNC_REQUEST = 0xa5;
export const SYNC_REPLY = 0x5a;
export const PROTOCOL_VERSION = 1;
/** Largest payload a frame can carry (the length field is one byte). */
export const MAX_PAYLOAD = 255;
/** Bytes a frame adds around its payload: sync, seq, cmd, len, crc x2. */
export const FRAME_OVERHEAD = 6;
/** Identify magic: "BPFG". */
export const IDENTIFY_MAGIC = [0x42, 0x50, 0x46, 0x47] as const;

/** Registers the host can reach: r0..r10. */
export const REGISTER_COUNT = 11;

/** What the address of a memory command indexes. */
export type Space = 'prog' | 'data' | 'regs';

/**
 * How a request's payload is laid out (the hardware checks `len` from this):
 * - empty:  no payload.
 * - value:  u32: an index into the space (must be < its size) or a size
 *            (must be <= the space's size).
 * - read:   u32 address, u8 count (count units to read, 1..maxCount).
 * - write:  u32 address, then n >= 1 units of `unit` bytes.
 * - param:  u32 value, u8 parameter id (PARAMS).
 */
export type RequestLayout =
  | { readonly kind: 'empty' }
  | { readonly kind: 'value'; readonly meaning: 'index' | 'size' }
  | { readonly kind: 'read'; readonly unit: 1 | 8 }
  | { readonly kind: 'write'; readonly unit: 1 | 8 }
  | { readonly kind: 'param' };

/** What a successful reply carries. */
export type ReplyLayout = 'empty' | 'identify' | 'status' | 'read';

export interface CommandSpec {
  readonly code: number;
  readonly name: string;
  readonly request: RequestLayout;
  readonly reply: ReplyLayout;
  /** The memory (or register file) the address indexes, for range checks. */
  readonly space?: Space;
  /** Accepted while the core runs (everything else is refused with BUSY). */
  readonly whileRunning: boolean;
}

export const COMMANDS = {
  identify: { code: 0x01, name: 'identify', request: { kind: 'empty' }, reply: 'identify', whileRunning: true },
  writeProg: { code: 0x02, name: 'write-prog', request: { kind: 'write', unit: 8 }, reply: 'empty', space: 'prog', whileRunning: false },
  readProg: { code: 0x03, name: 'read-prog', request: { kind: 'read', unit: 8 }, reply: 'read', space: 'prog', whileRunning: false },
  writeData: { code: 0x04, name: 'write-data', request: { kind: 'write', unit: 1 }, reply: 'empty', space: 'data', whileRunning: false },
  readData: { code: 0x05, name: 'read-data', request: { kind: 'read', unit: 1 }, reply: 'read', space: 'data', whileRunning: false },
  writeRegs: { code: 0x06, name: 'write-regs', request: { kind: 'write', unit: 8 }, reply: 'empty', space: 'regs', whileRunning: false },
  readRegs: { code: 0x07, name: 'read-regs', request: { kind: 'read', unit: 8 }, reply: 'read', space: 'regs', whileRunning: false },
  setParam: { code: 0x08, name: 'set-param', request: { kind: 'param' }, reply: 'empty', whileRunning: false },
  run: { code: 0x09, name: 'run', request: { kind: 'value', meaning: 'index' }, reply: 'empty', space: 'prog', whileRunning: false },
  stop: { code: 0x0a, name: 'stop', request: { kind: 'empty' }, reply: 'empty', whileRunning: true },
  status: { code: 0x0b, name: 'status', request: { kind: 'empty' }, reply: 'status', whileRunning: true },
} as const satisfies Record<string, CommandSpec>;

export type CommandKey = keyof typeof COMMANDS;
export const COMMAND_LIST: readonly CommandSpec[] = Object.values(COMMANDS);

/** Reply command code of an error reply; its payload is [error code, request cmd]. */
export const ERROR_REPLY = 0x7f;

export function commandByCode(code: number): CommandSpec | undefined {
  return COMMAND_LIST.find((c) => c.code === code);
}

/** A human name for a command code, known or not. */
export function commandName(code: number): string {
  if (code === ERROR_REPLY) return 'error';
  return commandByCode(code)?.name ?? `unknown command 0x${code.toString(16).padStart(2, '0')}`;
}

/** Largest count a read may ask for: the reply must fit one frame. */
export function maxReadCount(unit: 1 | 8): number {
  return Math.floor(MAX_PAYLOAD / unit);
}

/** Largest number of units one write frame carries (after the u32 address). */
export function maxWriteCount(unit: 1 | 8): number {
  return Math.floor((MAX_PAYLOAD - 4) / unit);
}

/**
 * Run parameters set with set-param. `max` names the limit the value is
 * checked against (a size: the value may equal it); absent means any u32.
 */
export interface ParamSpec {
  readonly id: number;
  readonly name: string;
  readonly max?: 'progWords' | 'dataBytes';
  readonly text: string;
}

export const PARAMS = {
  dataLimit: { id: 0, name: 'data-limit', max: 'dataBytes', text: 'bytes of the data region the program may access' },
  progLength: { id: 1, name: 'prog-length', max: 'progWords', text: 'program slots; control leaving them faults' },
  insnBudget: { id: 2, name: 'insn-budget', text: 'instructions before a budget fault (0 = no limit)' },
  packetOffset: { id: 3, name: 'packet-offset', max: 'dataBytes', text: 'legacy packet loads: offset of the packet' },
  packetLength: { id: 4, name: 'packet-length', max: 'dataBytes', text: 'legacy packet loads: length of the packet' },
} as const satisfies Record<string, ParamSpec>;

export type ParamKey = keyof typeof PARAMS;
export const PARAM_LIST: readonly ParamSpec[] = Object.values(PARAMS);

export const ERROR_CODES = {
  badCrc: { code: 1, name: 'bad-crc', text: 'the frame failed its CRC check' },
  badLength: { code: 2, name: 'bad-length', text: 'the payload length does not fit the command' },
  unknownCommand: { code: 3, name: 'unknown-command', text: 'the board does not know this command' },
  outOfRange: { code: 4, name: 'out-of-range', text: 'the address or count is outside the memory' },
  busy: { code: 5, name: 'busy', text: 'the core is running (stop it first)' },
  frameTimeout: { code: 6, name: 'frame-timeout', text: 'the frame stopped arriving half-way' },
  framing: { code: 7, name: 'framing', text: 'a UART framing error (wrong baud rate or noise) broke the frame' },
  badParam: { code: 8, name: 'bad-param', text: 'no run parameter has this id' },
} as const;

export type ErrorKey = keyof typeof ERROR_CODES;

export function errorByCode(code: number): { code: number; name: string; text: string } | undefined {
  return Object.values(ERROR_CODES).find((e) => e.code === code);
}

/** Core states as the status reply reports them. */
export const RUN_STATES = {
  idle: 0,
  running: 1,
  exited: 2,
  fault: 3,
  stopped: 4,
} as const;

export type RunState = keyof typeof RUN_STATES;

export function runStateName(code: number): RunState | undefined {
  return (Object.keys(RUN_STATES) as RunState[]).find((k) => RUN_STATES[k] === code);
}

/**
 * A fixed-layout reply, field by field in wire order. The hardware emits
 * exactly these fields, the host decodes them; widths are in bytes.
 */
export interface ReplyField<K extends string = string> {
  readonly key: K;
  readonly bytes: 1 | 2 | 4 | 8;
}

export const IDENTIFY_FIELDS = [
  { key: 'magic', bytes: 4 },
  { key: 'version', bytes: 1 },
  { key: 'maxPayload', bytes: 1 },
  { key: 'features', bytes: 2 },
  { key: 'clockHz', bytes: 4 },
  { key: 'baud', bytes: 4 },
  { key: 'progWords', bytes: 4 },
  { key: 'dataBytes', bytes: 4 },
  { key: 'dataBase', bytes: 4 },
  { key: 'stackBase', bytes: 4 },
  { key: 'frameSize', bytes: 2 },
  { key: 'maxFrames', bytes: 1 },
  { key: 'faultSet', bytes: 1 },
] as const satisfies readonly ReplyField[];

export const STATUS_FIELDS = [
  { key: 'state', bytes: 1 },
  { key: 'fault', bytes: 1 },
  { key: 'pc', bytes: 4 },
  { key: 'r0', bytes: 8 },
  { key: 'cycles', bytes: 8 },
  { key: 'insns', bytes: 8 },
] as const satisfies readonly ReplyField[];

export const ERROR_FIELDS = [
  { key: 'error', bytes: 1 },
  { key: 'cmd', bytes: 1 },
] as const satisfies readonly ReplyField[];

export function layoutBytes(fields: readonly ReplyField[]): number {
  return fields.reduce((n, f) => n + f.bytes, 0);
}

export type FieldValues<F extends readonly ReplyField[]> = { [K in F[number]['key']]: bigint };
