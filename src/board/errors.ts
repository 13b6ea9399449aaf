// Errors about boards and pin assignments: bad input from the user, reported
// with the board and the port or pin at fault.

export class BoardError extends Error {
  override name = 'BoardError';
}
