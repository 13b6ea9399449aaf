// The SoC as it would be flashed: build a bitstream for the iCEBreaker with
// the yowasp flow, turn it back into a netlist (icebox_vlog), and simulate
// the netlist and the RTL under Icarus with an identify request on uart_rx.
// The two must agree cycle by cycle, and uart_tx must carry a valid
// identify reply. The stand-in system's memories stand for the CPU to keep
// the build short (the CPU's own size is measured by the CPU's tests); the
// host link, UART, LEDs and reset are the real ones.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { standinSystem } from './standin-system.ts';
import { POR_CYCLES, socVerilog } from '../../hdl/soc/top.ts';
import { requireBoard } from '../../src/board/registry.ts';
import { encodeFrame, FrameParser } from '../../src/host/frame.ts';
import { decodeIdentify } from '../../src/abi/replies.ts';
import { COMMANDS } from '../../src/abi/protocol.ts';
import { buildBitstream, decodeUart, uartStimulus, verifyBitstream } from '../../src/toolchain/index.ts';

describe('SoC bitstream round trip (iCEBreaker, stand-in system)', () => {
  it('answers identify from the recovered netlist exactly as the RTL does', async () => {
    const board = requireBoard('icebreaker');
    // 4 clock cycles per bit keeps the Icarus simulation short.
    const baud = 3_000_000;
    // Flat: yosys then has no hierarchy scopes ($scopeinfo) that the round trip would refuse.
    const v = socVerilog({ board, system: standinSystem({ progWords: 16, dataBytes: 64, memoriesOnly: true }), baud, flatten: true });
    const outDir = mkdtempSync(join(tmpdir(), 'bpfgate-soc-bitstream-'));
    const build = await buildBitstream({ verilog: v.verilog, top: v.top, board, outDir });
    expect(build.files.bin).toBeDefined();

    const request = encodeFrame('request', { seq: 0x42, cmd: COMMANDS.identify.code, payload: new Uint8Array(0) });
    const stimulus = uartStimulus([...request], { clksPerBit: 4, idleBefore: POR_CYCLES + 8, idleAfter: 60 * 10 * 4 });
    const result = await verifyBitstream(build, { rtl: v.verilog, stimulus });
    expect(result.mismatches).toEqual([]);
    expect(result.equal).toBe(true);

    const items = new FrameParser('reply').push(decodeUart(result.netlist, { clksPerBit: 4 }));
    expect(items).toHaveLength(1);
    const reply = items[0]!;
    expect(reply.kind === 'frame' && reply.frame.seq).toBe(0x42);
    if (reply.kind !== 'frame') throw new Error('no reply frame');
    expect(decodeIdentify(reply.frame.payload)).toMatchObject({ clockHz: 12_000_000, baud, progWords: 16, dataBytes: 64 });
  });
});
