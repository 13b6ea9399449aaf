// The one error type of the pcap reader: it names the file and the byte
// offset of the problem, so a user can look at it with a hex dump.

export class PcapError extends Error {
  override readonly name = 'PcapError';
  /** What is wrong, without the file prefix. */
  readonly detail: string;
  /** Byte offset in the file where the problem is, when known. */
  readonly offset: number | undefined;

  constructor(readonly file: string, detail: string, offset?: number) {
    super(`${file}: ${detail}${offset === undefined ? '' : ` (at byte offset ${offset})`}`);
    this.detail = detail;
    this.offset = offset;
  }
}
