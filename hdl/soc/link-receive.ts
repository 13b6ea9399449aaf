// Receiving a request frame: hunt for the sync byte, take seq/cmd/len, store
// the payload in the frame buffer (keeping the first five bytes, the
// address and count every command uses, in registers as they pass), and
// check the CRC. Nothing is executed until the whole frame is in and its
// CRC is good, so a bad frame cannot change anything.
//
// A frame that stops arriving half-way (the host died, a byte was lost)
// ends with a frame-timeout error after `timeoutCycles` without a byte; a
// UART framing error inside a frame ends it with a framing error. Noise
// between frames is ignored.

import { C } from '../../src/dsl/index.ts';
import { ERROR_CODES, SYNC_REQUEST } from '../../src/abi/protocol.ts';
import type { LinkContext } from './link-context.ts';

export function buildReceive(ctx: LinkContext, timeoutCycles: number): void {
  const { m, fsm, rxData: byte, rxValid } = ctx;

  // Inter-byte timeout, only armed inside a frame.
  const timerWidth = Math.max(1, Math.ceil(Math.log2(timeoutCycles + 1)));
  const timer = m.reg('rx_timer', timerWidth, { reset: 0 });
  const inFrame = fsm.isAny(['rx_seq', 'rx_cmd', 'rx_len', 'rx_data', 'rx_crc_hi', 'rx_crc_lo']);
  m.If(inFrame.and(rxValid.not()), () => m.sync(timer, timer.add(1))).Else(() => m.sync(timer, 0));

  fsm.when('rx_sync', () => {
    m.If(rxValid.and(byte.eq(SYNC_REQUEST)), () => {
      ctx.ctl('crc_init');
      ctx.ctl('hdr_clear');
      fsm.goto('rx_seq');
    });
  });

  /** Take a byte of the frame: fold it into the CRC, then `body`. */
  const take = (body: () => void): void => {
    m.If(rxValid, () => {
      ctx.ctl('crc_step');
      body();
    });
  };
  fsm.when('rx_seq', () => take(() => {
    ctx.ctl('hdr_seq');
    fsm.goto('rx_cmd');
  }));
  fsm.when('rx_cmd', () => take(() => {
    ctx.ctl('hdr_cmd');
    fsm.goto('rx_len');
  }));
  fsm.when('rx_len', () => take(() => {
    ctx.ctl('hdr_len');
    ctx.ctl('idx_clear');
    m.If(byte.eq(0), () => fsm.goto('rx_crc_hi')).Else(() => fsm.goto('rx_data'));
  }));
  fsm.when('rx_data', () => take(() => {
    ctx.ctl('store');
    ctx.ctl('idx_inc');
    m.If(ctx.idx.lt(4), () => ctx.ctl('hdr_shift'));
    m.If(ctx.idx.eq(4), () => ctx.ctl('hdr_count'));
    m.If(ctx.idx.add(1).eq(ctx.len), () => fsm.goto('rx_crc_hi'));
  }));
  fsm.when('rx_crc_hi', () => take(() => fsm.goto('rx_crc_lo')));
  fsm.when('rx_crc_lo', () => {
    m.If(rxValid, () => {
      // The CRC over everything after sync, the CRC included, is zero for a good frame.
      m.If(ctx.crcNext.eq(0), () => fsm.goto('x_check')).Else(() => ctx.fail(ERROR_CODES.badCrc.code));
    });
  });

  // Abandoned or broken frames. These come last so they override the above.
  m.If(inFrame, () => {
    m.If(ctx.rxError, () => ctx.fail(ERROR_CODES.framing.code));
    m.If(timer.eq(C(timerWidth, timeoutCycles)), () => ctx.fail(ERROR_CODES.frameTimeout.code));
  });
}
