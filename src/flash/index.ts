// Putting a bitstream on a board.

export { flash, type FlashOptions, type FlashResult } from './flash.ts';
export { flashCommand, flashMethods, formatCommand, type FlashCommand, type FlashCommandOptions } from './command.ts';
export { checkBitstream } from './bitstream-check.ts';
export { FlashError, NoBoardFoundError } from './errors.ts';
