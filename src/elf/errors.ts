// The one error type of the ELF loader. It always names the file and, when
// the problem sits at a known place, the byte offset in the file, so a user
// can find it with a hex dump or `llvm-readelf`.

export class ElfError extends Error {
  override readonly name = 'ElfError';
  /** The file name given to the loader (or "<memory>"). */
  readonly file: string;
  /** What is wrong, without the file prefix. */
  readonly detail: string;
  /** Byte offset in the file where the problem is, when known. */
  readonly offset: number | undefined;

  constructor(file: string, detail: string, offset?: number) {
    super(`${file}: ${detail}${offset === undefined ? '' : ` (at byte offset 0x${offset.toString(16)})`}`);
    this.file = file;
    this.detail = detail;
    this.offset = offset;
  }
}
