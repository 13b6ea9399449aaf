// Every input a user hands bpfgate, one fuzz target each, in the order the
// runner takes them.

import type { AnyTarget } from '../engine.ts';
import { asmTarget } from './asm.ts';
import { boardTarget } from './board.ts';
import { cliTarget } from './cli.ts';
import { dataFileTarget } from './data-file.ts';
import { elfTarget } from './elf.ts';
import { hostFramesTarget } from './host-frames.ts';
import { pcapTarget } from './pcap.ts';
import { rawWordsTarget } from './raw-words.ts';

export const TARGETS: readonly AnyTarget[] = [
  asmTarget, dataFileTarget, rawWordsTarget, elfTarget, pcapTarget, hostFramesTarget, boardTarget, cliTarget,
];

export function targetByName(name: string): AnyTarget | undefined {
  return TARGETS.find((t) => t.name === name);
}
