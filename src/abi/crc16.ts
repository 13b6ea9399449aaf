// CRC-16/CCITT-FALSE (also catalogued as CRC-16/IBM-3740): polynomial 0x1021,
// initial value 0xFFFF, no reflection, no final XOR. Check value: the CRC of
// the ASCII bytes "123456789" is 0x29B1.
//
// Why this CRC: it is a plain shift register, so the byte-wide update is a
// small XOR network in hardware (hdl/soc/crc16.ts derives it from the
// function below), and appending the CRC most significant byte first makes
// the CRC of the whole frame zero, so the receiver needs no comparator.

export const CRC16_INIT = 0xffff;
export const CRC16_POLY = 0x1021;

/** The register after shifting one byte in. Linear in (crc, byte) over GF(2). */
export function crc16Update(crc: number, byte: number): number {
  let c = (crc ^ ((byte & 0xff) << 8)) & 0xffff;
  for (let i = 0; i < 8; i++) c = c & 0x8000 ? ((c << 1) ^ CRC16_POLY) & 0xffff : (c << 1) & 0xffff;
  return c;
}

export function crc16(bytes: ArrayLike<number>, init = CRC16_INIT): number {
  let c = init;
  for (let i = 0; i < bytes.length; i++) c = crc16Update(c, bytes[i]!);
  return c;
}
