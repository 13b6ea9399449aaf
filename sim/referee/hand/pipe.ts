// The worked example of docs/dsl.md: bundle payload register, 64-bit
// accumulator, memory with byte enables, a sub-module instance and a bundle mux.

import { bits, bundle, C, Module, mux, signed } from '../../../src/dsl/index.ts';

export function pipeExample(): Module {
  const Payload = bundle({ pc: 64, rd: 4, imm: signed(32), valid: 1 });

  const top = new Module('pipe');
  const inp = top.input('in', Payload);
  const stage = top.reg('stage', Payload, { reset: { valid: 0 } });
  const acc = top.reg('acc', 64, { reset: 0n });
  const stall = top.input('stall', 1);

  top.If(stall.not(), () => top.sync(stage, inp));
  top.sync(acc, acc.add(stage.imm.sext(64)));

  const ram = top.memory('ram', { width: 64, depth: 256, init: [1n, 2n] });
  const rdata = ram.readPort(stage.pc.slice(10, 3));
  ram.writePort(stage.pc.slice(10, 3), acc, stage.valid, C(8, 0x0f));

  const alu = new Module('alu');
  const a = alu.input('a', 64);
  const b = alu.input('b', 64);
  const y = alu.output('y', 64);
  alu.comb(y, a.add(b));
  const u = top.instance('u_alu', alu, { a: acc, b: rdata });
  const out = top.output('out', 64);
  top.comb(out, u.o.y);

  const sel = top.output('sel', Payload);
  top.comb(sel, mux(stall, stage, inp));
  const flat = bits(stage);
  const back = Payload.unpack(flat);
  const rd2 = top.output('rd2', 4);
  top.comb(rd2, back.rd);
  return top;
}
