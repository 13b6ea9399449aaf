// Boards: descriptions (boards/), lookup, devices and pin constraints.

export type { BoardDescription, BoardClock, BoardUart, BoardLed, BoardButton, FlashMethod, FlashTool } from './types.ts';
export { DEVICES, deviceInfo, type DeviceId, type DeviceInfo, type DeviceCapacity } from './devices.ts';
export { listBoards, defaultBoard, findBoard, requireBoard, requireSupportedBoard, assertSupported, describeBoards } from './registry.ts';
export { assignPins, formatPcf, parsePcf, portBitNames, type DesignPort, type PinAssignment, type PcfEntry } from './pcf.ts';
export { BoardError } from './errors.ts';
