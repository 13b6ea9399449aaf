// Test support: what llvm-objdump (an independent reader of the same object)
// says each section holds: the raw bytes of every slot and which slots carry
// a relocation (with the symbol it names).

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = promisify(execFile);

export interface ObjdumpSection {
  /** Slot -> 8 raw bytes. */
  readonly slots: Map<number, Uint8Array>;
  /** Slot -> [relocation type, symbol] for relocated slots. */
  readonly relocs: Map<number, [string, string]>;
  /** Slot -> label (function names and LBB labels). */
  readonly labels: Map<number, string>;
}

export async function objdump(bytes: Uint8Array): Promise<Map<string, ObjdumpSection>> {
  const dir = mkdtempSync(join(tmpdir(), 'bpfgate-objdump-'));
  try {
    const file = join(dir, 'x.o');
    writeFileSync(file, bytes);
    let stdout: string;
    try {
      ({ stdout } = await run('llvm-objdump', ['-dr', file], { maxBuffer: 1 << 24 }));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error("'llvm-objdump' is not installed: install the Debian package 'llvm' (apt-get install llvm)");
      }
      throw e;
    }
    const out = new Map<string, ObjdumpSection>();
    let current: ObjdumpSection | undefined;
    for (const line of stdout.split('\n')) {
      const sec = /^Disassembly of section (.+):$/.exec(line);
      if (sec) {
        current = { slots: new Map(), relocs: new Map(), labels: new Map() };
        out.set(sec[1]!, current);
        continue;
      }
      if (!current) continue;
      const label = /^([0-9a-f]{16}) <(.+)>:$/.exec(line);
      if (label) {
        current.labels.set(parseInt(label[1]!, 16) / 8, label[2]!);
        continue;
      }
      const insn = /^\s+(\d+):\t([0-9a-f]{2}(?: [0-9a-f]{2})*)/.exec(line);
      if (insn) {
        const slot = Number(insn[1]);
        const raw = Uint8Array.from(insn[2]!.trim().split(' ').map((h) => parseInt(h, 16)));
        for (let k = 0; k * 8 < raw.length; k++) current.slots.set(slot + k, raw.subarray(k * 8, k * 8 + 8));
        continue;
      }
      const reloc = /^\s+([0-9a-f]+):\s+(R_BPF_\w+)\s+(\S+)/.exec(line);
      if (reloc) current.relocs.set(parseInt(reloc[1]!, 16) / 8, [reloc[2]!, reloc[3]!]);
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
