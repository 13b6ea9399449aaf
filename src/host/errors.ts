// Errors of the host link. Every message names the port (or "simulated SoC")
// and, where there is one, the command, so a user can tell what was being
// attempted on which device.

/** Base class: anything that went wrong talking to a board. */
export class HostError extends Error {
  override name = 'HostError';
}

/** The port cannot be opened (missing, busy, no permission) or the serialport package is absent. */
export class PortError extends HostError {
  override name = 'PortError';
}

/** No (complete) reply within the timeout. */
export class HostTimeoutError extends HostError {
  override name = 'HostTimeoutError';
}

/** The board answered with an error reply (bad CRC, out of range, busy, ...). */
export class BoardRejectedError extends HostError {
  override name = 'BoardRejectedError';
  constructor(
    message: string,
    /** Error code name from the protocol, e.g. `out-of-range`. */
    readonly code: string,
  ) {
    super(message);
  }
}

/** The reply broke the protocol (wrong length, unknown state, not a bpfgate board). */
export class ProtocolError extends HostError {
  override name = 'ProtocolError';
}
