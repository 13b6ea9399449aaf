// The host side of the bpfgate UART link: protocol codec, transports (serial
// port, simulated SoC), the client, running programs, and the engines.
export * from '../abi/protocol.ts';
export { crc16, crc16Update, CRC16_INIT, CRC16_POLY } from '../abi/crc16.ts';
export { encodeFrame, FrameParser, type Frame, type Direction, type ParsedItem } from './frame.ts';
export { decodeIdentify, decodeStatus, encodeIdentify, type BoardInfo, type BoardStatus } from '../abi/replies.ts';
export { RequestError } from './messages.ts';
export { BoardRejectedError, HostError, HostTimeoutError, PortError, ProtocolError } from './errors.ts';
export type { Transport } from './transport.ts';
export { SerialTransport, SERIALPORT_VERSION, type SerialOptions } from './serial-transport.ts';
export { SimUartTransport, type SimUartOptions } from './sim-transport.ts';
export { createSimulatedSoc, type SimSocOptions, type SimulatedSoc } from './sim-soc.ts';
export { HostClient, type ClientOptions } from './client.ts';
export {
  dataImage, initialRegisters, loadRun, runOnBoard, waitForEnd, type ArgRegisterName, type BoardRunOptions, type BoardRunResult,
} from './run-program.ts';
export { createHostEngine, toEngineResult, type HostEngine, type HostEngineOptions } from './engine.ts';
export { createBoardEngine, createSocSimEngine, type BoardEngineOptions, type SocSimEngineOptions } from './engines.ts';
export { describeFault, CPU_FAULT_SET } from '../abi/fault-sets.ts';
