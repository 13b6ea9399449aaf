// Sending the reply frame: sync, seq, cmd, len, the payload the execute part
// left in the frame buffer (or the identify ROM), and the CRC (high byte
// first), one byte each time the UART transmitter is ready. Then back to
// hunting for the next request.

import { C, mux, type Expr } from '../../src/dsl/index.ts';
import { ERROR_REPLY, SYNC_REPLY } from '../../src/abi/protocol.ts';
import type { LinkContext, LinkState } from './link-context.ts';

export function buildReply(ctx: LinkContext): void {
  const { m, fsm, crc, txReady } = ctx;

  /** Offer `byte` to the transmitter; when it is taken, fold it into the CRC and go on. */
  const send = (byte: Expr | number, next: () => void, withCrc = true): void => {
    m.comb(ctx.txData, byte);
    m.comb(ctx.txStart, 1);
    m.If(txReady, () => {
      if (withCrc) ctx.ctl('crc_step');
      next();
    });
  };
  const then = (s: LinkState) => () => fsm.goto(s);

  fsm.when('tx_sync', () => send(SYNC_REPLY, () => {
    ctx.ctl('crc_init');
    fsm.goto('tx_seq');
  }, false));
  fsm.when('tx_seq', () => send(ctx.seq, then('tx_cmd')));
  fsm.when('tx_cmd', () => send(mux(ctx.isError, C(8, ERROR_REPLY), ctx.cmd), then('tx_len')));
  fsm.when('tx_len', () => send(ctx.olen, () => {
    ctx.ctl('idx_clear');
    m.If(ctx.olen.eq(0), () => fsm.goto('tx_crc_hi')).Else(() => fsm.goto('tx_read'));
  }));
  fsm.when('tx_read', () => {
    ctx.ctl('fetch');
    fsm.goto('tx_data');
  });
  // The read port keeps its data while en is low, so waiting for the UART is fine.
  fsm.when('tx_data', () => send(ctx.bufRead.data, () => {
    ctx.ctl('idx_inc');
    m.If(ctx.idx.add(1).eq(ctx.olen), () => fsm.goto('tx_crc_hi')).Else(() => fsm.goto('tx_read'));
  }));
  fsm.when('tx_crc_hi', () => send(crc.slice(15, 8), then('tx_crc_lo'), false));
  fsm.when('tx_crc_lo', () => send(crc.slice(7, 0), then('rx_sync'), false));
}
