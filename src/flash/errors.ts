// Errors of the flashing step, each naming the board, the tool and the fix.

export class FlashError extends Error {
  override name = 'FlashError';
}

/** The flashing tool ran but found no board on USB. */
export class NoBoardFoundError extends FlashError {
  override name = 'NoBoardFoundError';
}
