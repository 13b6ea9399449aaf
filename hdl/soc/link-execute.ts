// Executing a request whose CRC was good: check it against the protocol's
// command table (known command, a length that fits its layout, a known run
// parameter, not busy, an address range or value inside the memory), then
// run it on the system bus and build the reply payload in the frame buffer.
// Every check happens before the first bus access, so a refused request
// changes nothing.
//
// The checks and the dispatch are generated from COMMAND_LIST
// (src/abi/protocol.ts): a command is added there, not here.
//
// Area matters (the CPU needs most of an UP5K), so the datapath is a byte
// wide: writes assemble a bus word in a right-shifting register (a data byte
// is shifted in eight times, which leaves it in every lane), reads take one
// byte lane per bus read, and the status reply is read through the bus from
// the system's status space, whose words are laid out as the reply.

import { C, mux, type Expr } from '../../src/dsl/index.ts';
import { COMMAND_LIST, ERROR_CODES, maxReadCount, PARAM_LIST, REGISTER_COUNT, RUN_STATES, type CommandSpec } from '../../src/abi/protocol.ts';
import { SPACE_CODES, STATUS_WORD_BYTES, type BusSpace } from './host-bus.ts';
import type { SystemInfo } from './host-bus.ts';
import type { LinkContext } from './link-context.ts';

/** What the hardware does for a command, derived from its table entry. */
type Routine = 'write' | 'read' | 'status' | 'identify' | 'start' | 'stop' | 'setParam';
const ROUTINES: readonly Routine[] = ['write', 'read', 'status', 'identify', 'start', 'stop', 'setParam'];

/** Control pulses of the commands that only poke the core. */
const CONTROL: Readonly<Record<string, Routine>> = { run: 'start', stop: 'stop' };

function routineOf(spec: CommandSpec): Routine {
  if (spec.request.kind === 'write') return 'write';
  if (spec.request.kind === 'read') return 'read';
  if (spec.request.kind === 'param') return 'setParam';
  if (spec.reply === 'status') return 'status';
  if (spec.reply === 'identify') return 'identify';
  const r = CONTROL[spec.name];
  if (r === undefined) throw new Error(`host link: command '${spec.name}' has no hardware routine`);
  return r;
}

function spaceSizes(system: SystemInfo): Record<Exclude<BusSpace, 'status'>, number> {
  return { prog: system.progWords, data: system.dataBytes, regs: REGISTER_COUNT };
}

/**
 * Bits for range arithmetic: enough for the largest space plus 255 units,
 * and a carry. Valid requests have zeros in the address above RW - 1 bits.
 */
export function rangeBits(system: SystemInfo): number {
  return Math.ceil(Math.log2(Math.max(...Object.values(spaceSizes(system))) + 256)) + 1;
}

export function buildExecute(ctx: LinkContext): void {
  const { m, fsm, cmd, len, addr, count, bus, resp, system } = ctx;

  // ---- decode the command table into a few wires --------------------------
  const spaceSize = spaceSizes(system);
  const RW = rangeBits(system);
  const w = (name: string, width: number, dflt = 0) => m.wire(name, width, { default: dflt });
  const known = w('cmd_known', 1);
  const lengthOk = w('cmd_length_ok', 1);
  const paramOk = w('cmd_param_ok', 1, 1);
  const whileRunning = w('cmd_while_running', 1);
  const units = w('cmd_units', 8);
  const space = w('cmd_space', 2);
  const checkRange = w('cmd_check_range', 1);
  const size = w('cmd_size', RW);
  const routine = w('cmd_routine', 3);

  for (const spec of COMMAND_LIST) {
    const r = spec.request;
    m.If(cmd.eq(spec.code), () => {
      m.comb(known, 1);
      m.comb(whileRunning, spec.whileRunning ? 1 : 0);
      m.comb(routine, ROUTINES.indexOf(routineOf(spec)));
      switch (r.kind) {
        case 'empty':
          m.comb(lengthOk, len.eq(0));
          break;
        case 'value':
          m.comb(lengthOk, len.eq(4));
          m.comb(units, r.meaning === 'index' ? 1 : 0);
          break;
        case 'read':
          m.comb(lengthOk, len.eq(5).and(count.ne(0)).and(count.le(maxReadCount(r.unit))));
          m.comb(units, count);
          break;
        case 'write':
          m.comb(lengthOk, r.unit === 1 ? len.ge(5) : len.ge(12).and(len.slice(2, 0).eq(4)));
          m.comb(units, r.unit === 1 ? len.sub(4) : len.sub(4).shr(3));
          break;
        case 'param': {
          // The value is a size: checked against the parameter's limit, if it has one.
          m.comb(lengthOk, len.eq(5));
          m.comb(paramOk, 0);
          const ids = m.Switch(count);
          for (const p of PARAM_LIST) {
            ids.Case(p.id, () => {
              m.comb(paramOk, 1);
              if (p.max !== undefined) {
                const sp = p.max === 'progWords' ? 'prog' : 'data';
                m.comb(checkRange, 1);
                m.comb(size, spaceSize[sp]);
              }
            });
          }
          break;
        }
      }
      if (spec.reply === 'status') {
        m.comb(space, SPACE_CODES.status);
        m.comb(units, STATUS_WORD_BYTES.length);
      }
      if (spec.space !== undefined) {
        m.comb(space, SPACE_CODES[spec.space]);
        m.comb(checkRange, 1);
        m.comb(size, spaceSize[spec.space]);
      }
    });
  }
  const end = addr.zext(RW).add(units.zext(RW));
  const rangeOk = checkRange.not().or(ctx.addrHigh.not().and(end.le(size)));
  const running = resp.state.eq(RUN_STATES.running);

  m.comb(ctx.cmdUnits, units);

  const routineR = m.reg('routine', 3, { reset: 0 });
  fsm.when('x_check', () => {
    m.If(known.not(), () => ctx.fail(ERROR_CODES.unknownCommand.code))
      .Elif(lengthOk.not(), () => ctx.fail(ERROR_CODES.badLength.code))
      .Elif(paramOk.not(), () => ctx.fail(ERROR_CODES.badParam.code))
      .Elif(running.and(whileRunning.not()), () => ctx.fail(ERROR_CODES.busy.code))
      .Elif(rangeOk.not(), () => ctx.fail(ERROR_CODES.outOfRange.code))
      .Else(() => {
        ctx.ctl('units_load');
        ctx.ctl('olen_clear');
        ctx.ctl('idx_four'); // payload data follows the u32 address
        ctx.ctl('k_clear');
        m.sync(ctx.space, space);
        m.sync(routineR, routine);
        m.sync(ctx.isError, 0);
        m.sync(ctx.fromRom, 0);
        fsm.goto('x_dispatch');
      });
  });

  const is = (r: Routine): Expr => routineR.eq(ROUTINES.indexOf(r));
  const takesValue = is('start').or(is('setParam'));
  fsm.when('x_dispatch', () => {
    m.If(is('write'), () => fsm.goto('w_read'))
      .Elif(is('read'), () => fsm.goto('r_bus'))
      .Elif(is('status'), () => {
        ctx.ctl('addr_clear');
        fsm.goto('r_bus');
      })
      .Elif(is('identify'), () => {
        m.sync(ctx.fromRom, 1);
        ctx.ctl('olen_rom');
        fsm.goto('tx_sync');
      })
      .Elif(takesValue, () => {
        // Gather the u32 value (payload bytes 0..3) into `word`, zero-extended.
        ctx.ctl('idx_clear');
        fsm.goto('w_read');
      })
      .Else(() => fsm.goto('x_control'));
  });
  fsm.when('x_control', () => {
    m.comb(bus.start, is('start'));
    m.comb(bus.stop, is('stop'));
    m.comb(bus.setParam, is('setParam'));
    fsm.goto('tx_sync');
  });

  // ---- the transfer loops ---------------------------------------------------
  const isData = ctx.space.eq(SPACE_CODES.data);
  const lane = addr.slice(2, 0);
  /** One unit done: the next address; the last unit ends in the reply. */
  const nextUnit = (again: 'w_read' | 'r_bus'): void => {
    ctx.ctl('addr_inc');
    ctx.ctl('units_dec');
    ctx.ctl('k_clear');
    m.If(ctx.units.eq(1), () => fsm.goto('tx_sync')).Else(() => fsm.goto(again));
  };

  // Write: eight bytes into `word` (for data, the same byte eight times), one bus write.
  fsm.when('w_read', () => {
    ctx.ctl('fetch');
    fsm.goto('w_take');
  });
  fsm.when('w_take', () => {
    ctx.ctl('word_shift');
    ctx.ctl('k_inc');
    m.If(takesValue.and(ctx.k.bit(2)), () => ctx.ctl('word_zero'));
    m.If(isData.not().or(ctx.k.eq(7)), () => ctx.ctl('idx_inc'));
    m.If(ctx.k.ne(7), () => fsm.goto('w_read'))
      .Elif(takesValue, () => fsm.goto('x_control'))
      .Else(() => fsm.goto('w_bus'));
  });
  fsm.when('w_bus', () => {
    m.comb(bus.req, 1);
    m.comb(bus.we, 1);
    m.comb(bus.space, ctx.space);
    m.comb(bus.be, mux(isData, C(8, 1).shl(lane), C(8, 0xff)));
    m.If(resp.done, () => nextUnit('w_read'));
  });

  // Read: one bus read per reply byte, taking byte lane `k` (or the data byte's lane).
  const laneByte = m.wire('lane_byte', 8);
  const laneSwitch = m.Switch(mux(isData, lane, ctx.k));
  for (let i = 0; i < 8; i++) laneSwitch.Case(i, () => m.comb(laneByte, resp.rdata.slice(8 * i + 7, 8 * i)));
  const lastK = mux(ctx.space.eq(SPACE_CODES.status).and(addr.slice(1, 0).eq(0)), C(3, STATUS_WORD_BYTES[0] - 1), C(3, 7));
  fsm.when('r_bus', () => {
    m.comb(bus.req, 1);
    m.comb(bus.space, ctx.space);
    m.If(resp.done, () => {
      put(laneByte);
      fsm.goto('r_put');
    });
  });
  fsm.when('r_put', () => {
    ctx.ctl('k_inc');
    m.If(isData.or(ctx.k.eq(lastK)), () => nextUnit('r_bus')).Else(() => fsm.goto('r_bus'));
  });

  function put(b: Expr): void {
    m.comb(ctx.putData, b);
    ctx.ctl('put');
  }

  // Error reply: [error code, request command].
  fsm.when('e_code', () => {
    put(ctx.ecode.zext(8));
    fsm.goto('e_cmd');
  });
  fsm.when('e_cmd', () => {
    put(ctx.cmd);
    fsm.goto('tx_sync');
  });
}
