// How the host link's registers change, each in one place, driven by the
// control wires the receive/execute/reply parts raise (link-context.ts).

import { C, cat, mux, type Signal } from '../../src/dsl/index.ts';
import { CRC16_INIT } from '../../src/abi/crc16.ts';
import { layoutBytes, IDENTIFY_FIELDS } from '../../src/abi/protocol.ts';
import type { Control, LinkContext } from './link-context.ts';

export function buildDatapath(ctx: LinkContext, on: Record<Control, Signal>): void {
  const { m, rxData } = ctx;

  m.If(on.crc_init, () => m.sync(ctx.crc, CRC16_INIT)).Elif(on.crc_step, () => m.sync(ctx.crc, ctx.crcNext));

  // seq and cmd start at 0, so an error reply for a frame cut short names no stale command.
  m.If(on.hdr_clear, () => m.sync(ctx.seq, 0)).Elif(on.hdr_seq, () => m.sync(ctx.seq, rxData));
  m.If(on.hdr_clear, () => m.sync(ctx.cmd, 0)).Elif(on.hdr_cmd, () => m.sync(ctx.cmd, rxData));
  m.If(on.hdr_len, () => m.sync(ctx.len, rxData));
  m.If(on.hdr_count, () => m.sync(ctx.count, rxData));

  // addr keeps only the bits a valid request can have; payload byte k lands
  // in bits 8k.. as it arrives, and any 1 above them sets addrHigh (which
  // fails the range check). Then it is cleared (status reads words 0..3) or
  // counts up.
  const AB = ctx.addr.width;
  const inc = ctx.addr.add(1);
  const lanes: Signal[] = [];
  for (let k = 0; 8 * k < AB; k++) {
    const lo = 8 * k;
    const hi = Math.min(lo + 7, AB - 1);
    const lane = m.reg(`addr_b${k}`, hi - lo + 1, { reset: 0 });
    m.If(on.hdr_shift.and(ctx.idx.eq(k)), () => m.sync(lane, rxData.slice(hi - lo, 0)))
      .Elif(on.addr_clear, () => m.sync(lane, 0))
      .Elif(on.addr_inc, () => m.sync(lane, inc.slice(hi, lo)));
    lanes.push(lane);
  }
  m.comb(ctx.addr, cat(...lanes.reverse()));
  const above = [0, 1, 2, 3].map((k) => {
    const keep = Math.max(0, Math.min(8, AB - 8 * k)); // bits of byte k inside addr
    return keep >= 8 ? undefined : rxData.slice(7, keep).any().and(ctx.idx.eq(k));
  }).filter((e) => e !== undefined);
  m.If(on.hdr_clear, () => m.sync(ctx.addrHigh, 0))
    .Elif(on.hdr_shift.and(above.reduce((a, b) => a.or(b))), () => m.sync(ctx.addrHigh, 1));

  m.If(on.idx_clear, () => m.sync(ctx.idx, 0))
    .Elif(on.idx_four, () => m.sync(ctx.idx, 4))
    .Elif(on.idx_inc, () => m.sync(ctx.idx, ctx.idx.add(1)));

  m.If(on.olen_clear, () => m.sync(ctx.olen, 0))
    .Elif(on.olen_rom, () => m.sync(ctx.olen, layoutBytes(IDENTIFY_FIELDS)))
    .Elif(on.put, () => m.sync(ctx.olen, ctx.olen.add(1)));

  m.If(on.k_clear, () => m.sync(ctx.k, 0)).Elif(on.k_inc, () => m.sync(ctx.k, ctx.k.add(1)));
  m.If(on.units_load, () => m.sync(ctx.units, ctx.cmdUnits)).Elif(on.units_dec, () => m.sync(ctx.units, ctx.units.sub(1)));
  const wordIn = mux(on.word_zero, C(8, 0), ctx.bufRead.data);
  m.If(on.word_shift, () => m.sync(ctx.word, cat(wordIn, ctx.word.slice(63, 8))));

  m.comb(ctx.bufRead.addr, cat(ctx.fromRom, ctx.idx));
  m.comb(ctx.bufRead.en, on.fetch);
  // The buffer is written by the receiver (payload bytes) and by `put` (reply bytes).
  m.comb(ctx.bufWrite.addr, mux(on.put, ctx.olen, ctx.idx).zext(ctx.bufWrite.addr.width));
  m.comb(ctx.bufWrite.data, mux(on.put, ctx.putData, rxData));
  m.comb(ctx.bufWrite.en, on.put.or(on.store));
}
