// Answers the core's helper extension port from a helper table (the
// interpreter's Helper interface), so programs calling helpers the hardware
// does not have built in run on the simulated CPU too.

import type { HelperContext, HelperTable } from '../interp/types.ts';
import { stackBytes, type CpuConfig } from '../../hdl/cpu/config.ts';
import type { Simulator } from '../../sim/simulator.ts';
import { HELPER_STATUS } from '../abi/helper-port.ts';

/** What the port needs of the simulated CPU (CpuSim): its simulator, build and data RAM words. */
export interface SimulatedCpu {
  readonly sim: Simulator;
  readonly cfg: CpuConfig;
  readonly dataWords: Int32Array;
}

class Abort {
  constructor(readonly status: number) {}
}

/** Physical byte offset in the data RAM of [addr, addr + length), or -1 when any byte is outside memory. */
export function physicalOffset(cfg: CpuConfig, dataLimit: number, addr: bigint, length: number): number {
  if (addr < 0n || addr + BigInt(length) > 0xffffffffn) return -1;
  const a = Number(addr);
  const mm = cfg.memoryMap;
  const s = a - mm.stackBase;
  if (s >= 0 && s + length <= stackBytes(cfg)) return mm.dataSize + s;
  const d = a - mm.dataBase;
  if (d >= 0 && d + length <= dataLimit) return d;
  return -1;
}

/** Called in a cycle where h_valid is 1: computes the answer and drives h_ready/h_status/h_r0 for this cycle. */
export function serviceHelper(cpu: SimulatedCpu, helpers: HelperTable): void {
  const s = cpu.sim;
  const id = Number(s.peek('h_id'));
  const args = [1, 2, 3, 4, 5].map((i) => s.peekBits(`h_a${i}`));
  const helper = helpers.get(id);
  let status: number = HELPER_STATUS.OK;
  let r0 = 0n;
  if (!helper) {
    status = HELPER_STATUS.UNKNOWN;
  } else {
    const bytes = new Uint8Array(cpu.dataWords.buffer, cpu.dataWords.byteOffset, cpu.dataWords.byteLength);
    const limit = Number(s.peek('data_limit'));
    let stop: bigint | undefined;
    const ctx: HelperContext = {
      id,
      pc: Number(s.peek('retire_pc')),
      read(addr, length) {
        const p = length === 0 ? 0 : physicalOffset(cpu.cfg, limit, addr, length);
        if (p < 0) throw new Abort(HELPER_STATUS.FAULT);
        return bytes.slice(p, p + length);
      },
      write(addr, data) {
        const p = data.length === 0 ? 0 : physicalOffset(cpu.cfg, limit, addr, data.length);
        if (p < 0) throw new Abort(HELPER_STATUS.FAULT);
        bytes.set(data, p);
      },
      stop(value) {
        stop = value;
      },
      fail(): never {
        throw new Abort(HELPER_STATUS.FAULT);
      },
    };
    try {
      r0 = BigInt.asUintN(64, helper(args[0]!, args[1]!, args[2]!, args[3]!, args[4]!, ctx));
      if (stop !== undefined) {
        status = HELPER_STATUS.STOP;
        r0 = BigInt.asUintN(64, stop);
      }
    } catch (e) {
      status = e instanceof Abort ? e.status : HELPER_STATUS.FAULT;
    }
  }
  s.poke('h_r0', r0);
  s.poke('h_status', status);
  s.poke('h_ready', 1);
}

/** Drop h_ready after the cycle it was answered in. */
export function releaseHelper(cpu: SimulatedCpu): void {
  cpu.sim.poke('h_ready', 0);
}
