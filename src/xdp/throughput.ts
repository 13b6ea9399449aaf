// Packets per second from a cycle count, for engines that count cycles (the
// simulated CPU, Verilator, a board): bpfgate handles one packet at a time,
// so a packet taking C cycles at F Hz allows F / C packets per second.

/** The iCEBreaker's 12 MHz oscillator, bpfgate's default board clock. */
export const ICEBREAKER_HZ = 12_000_000;

export function packetsPerSecond(cyclesPerPacket: number, clockHz: number = ICEBREAKER_HZ): number {
  if (!(cyclesPerPacket > 0)) throw new RangeError(`cycles per packet must be positive, got ${cyclesPerPacket}`);
  if (!(clockHz > 0)) throw new RangeError(`clock must be positive, got ${clockHz} Hz`);
  return clockHz / cyclesPerPacket;
}
