// The error type of the XDP layer for problems with its input: an object it
// cannot run (unsupported helper or map type, maps that do not fit), a packet
// it cannot hold, a bad map key or a refused map update from the host.
// Problems a program causes at run time are not errors but fault results
// (XdpRunResult.kind === 'fault').

export class XdpError extends Error {
  override readonly name = 'XdpError';

  /** For a refused map operation: the errno the kernel would have returned. */
  readonly errno: number | undefined;

  constructor(message: string, errno?: number) {
    super(message);
    this.errno = errno;
  }
}
