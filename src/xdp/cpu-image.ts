// What every CPU-based XDP engine (the TS-simulated CPU, its Verilog under
// Verilator) does first with a request: check the instruction budget fits
// the CPU's budget register and lay the program, the session's data memory
// and r1..r5 out as the CPU's memory image.

import type { CpuConfig } from '../../hdl/cpu/config.ts';
import { buildImage, ImageError, type RunImage } from '../engines/image.ts';
import { packetOffset, type Program } from '../program.ts';
import type { XdpEngineRequest, XdpEngineResult } from './engine.ts';
import { XdpError } from './errors.ts';

/** The image to run, or the fault to report when the request does not fit the CPU. */
export function xdpRunImage(
  cfg: CpuConfig, program: Program, req: XdpEngineRequest, engine: string,
): { image: RunImage } | { fault: XdpEngineResult } {
  if (!Number.isInteger(req.maxInsns) || req.maxInsns < 1 || req.maxInsns >= 2 ** cfg.counterBits) {
    throw new XdpError(`an instruction budget of ${req.maxInsns} does not fit the CPU's ${cfg.counterBits}-bit budget register (1..${2 ** cfg.counterBits - 1})`);
  }
  const globals = req.memory.subarray(0, program.globals?.length ?? 0);
  try {
    return { image: buildImage(cfg, { ...program, globals }, req.memory.subarray(packetOffset(program)), req.args) };
  } catch (e) {
    if (e instanceof ImageError) return { fault: { kind: 'fault', code: 'image', message: `${e.message} (${engine})` } };
    throw e;
  }
}
