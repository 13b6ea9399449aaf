// bpfgate plugin: the bpf_conformance plugin protocol (see
// src/conformance/plugin.ts), so the upstream runner can measure bpfgate:
//   bpf_conformance_runner --test_file_directory tests --plugin_path bpfgate --plugin_options plugin

import type { Command } from 'commander';
import { runPlugin } from '../../conformance/index.ts';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function registerPlugin(program: Command): void {
  program
    .command('plugin')
    .description('bpf_conformance plugin: program hex bytes on stdin, optional memory hex as first argument; prints r0 in hex')
    .argument('[memory]', 'initial memory as hex bytes ("00 01 ff ...")')
    .option('--program <hex>', 'program bytes as hex (instead of stdin)')
    .allowUnknownOption(false)
    .action(async (memory: string | undefined, opts: { program?: string }) => {
      const argv = [...(memory !== undefined ? [memory] : []), ...(opts.program ? ['--program', opts.program] : [])];
      const result = runPlugin(argv, opts.program ? '' : await readStdin());
      process.stdout.write(result.stdout);
      process.exitCode = result.exitCode;
    });
}
