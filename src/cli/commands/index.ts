// Every verb of the bpfgate CLI, in the order `bpfgate --help` lists them.

import type { Command } from 'commander';
import { registerAsm } from './asm.ts';
import { registerConformance } from './conformance.ts';
import { registerDisasm } from './disasm.ts';
import { registerPlugin } from './plugin.ts';
import { registerRun } from './run.ts';
import { registerXdp } from './xdp.ts';
import { registerBoardCommands } from './board-flow.ts';
import { registerBuild } from './build.ts';
import { registerVerilog } from './verilog.ts';

export function registerCommands(program: Command): void {
  registerAsm(program);
  registerDisasm(program);
  registerRun(program);
  registerXdp(program);
  registerConformance(program);
  registerPlugin(program);
  registerBoardCommands(program);
  registerVerilog(program);
  registerBuild(program);
}
