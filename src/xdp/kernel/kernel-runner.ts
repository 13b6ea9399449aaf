// The Linux kernel as a referee: bpf-runner.c (compiled on first use with the
// system C compiler, cached by content) creates maps, loads a program with
// BPF_PROG_LOAD and runs packets with BPF_PROG_TEST_RUN. This module drives
// it over a pipe, one command per line (protocol in bpf-runner.c).
//
// Needs root (or CAP_BPF + CAP_NET_ADMIN). A refused bpf() syscall is a
// KernelUnavailableError saying so, never a silent skip.

import { spawn, execFile, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { encodeProgram, type Insn } from '../../isa/encoding.ts';
import type { MapDefinition } from '../../elf/maps.ts';
import type { MapEntry } from '../map-table.ts';
import { privateCacheDir } from '../../paths.ts';

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'bpf-runner.c');

/** The kernel could not be used: no compiler, or the bpf() syscall was refused. */
export class KernelUnavailableError extends Error {
  override readonly name = 'KernelUnavailableError';
}

/** A command the runner answered with `err`: errno and the kernel's message (for loads, the verifier log). */
export class KernelCommandError extends Error {
  override readonly name = 'KernelCommandError';
  constructor(readonly command: string, readonly errno: number, readonly detail: string) {
    super(`${command}: errno ${errno}: ${detail}`);
  }
}

export interface KernelRunResult {
  /** The verdict (BPF_PROG_TEST_RUN's retval). */
  readonly retval: number;
  /** Average ns per run over `repeat` runs. */
  readonly durationNs: number;
  /** The packet out: [data_meta, data_end). */
  readonly output: Uint8Array;
}

const hex = (bytes: Uint8Array): string => (bytes.length === 0 ? '-' : Buffer.from(bytes).toString('hex'));
const unhex = (text: string): Uint8Array => (text === '-' ? new Uint8Array(0) : new Uint8Array(Buffer.from(text, 'hex')));

let built: Promise<string> | undefined;

/** Compile bpf-runner.c once per content (cached in the temp directory). */
function buildRunner(): Promise<string> {
  built ??= (async () => {
    const source = readFileSync(SOURCE);
    const key = createHash('sha256').update(source).digest('hex').slice(0, 16);
    const dir = privateCacheDir('xdp-kernel');
    const exe = join(dir, `bpf-runner-${key}`);
    if (existsSync(exe)) return exe;
    const tmp = `${exe}.${process.pid}.tmp`;
    try {
      await promisify(execFile)('cc', ['-O2', '-Wall', '-o', tmp, SOURCE]);
    } catch (e) {
      const err = e as NodeJS.ErrnoException & { stderr?: string };
      if (err.code === 'ENOENT') {
        throw new KernelUnavailableError("the C compiler 'cc' is not installed: install the Debian package 'gcc' to build the kernel referee (src/xdp/kernel/bpf-runner.c)");
      }
      throw new KernelUnavailableError(`building the kernel referee failed (cc ${SOURCE}):\n${err.stderr ?? err.message}`);
    }
    renameSync(tmp, exe);
    return exe;
  })();
  built.catch(() => { built = undefined; });
  return built;
}

/** One runner process: maps and one loaded program at a time. */
export class KernelXdp {
  private readonly pending: Array<{ command: string; resolve: (line: string) => void; reject: (e: Error) => void }> = [];
  private exited: Error | undefined;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    createInterface({ input: child.stdout }).on('line', (line) => this.pending.shift()?.resolve(line));
    child.on('exit', (code, signal) => {
      this.exited = new Error(`the kernel referee exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim()}` : ''}`);
      for (const p of this.pending.splice(0)) p.reject(this.exited);
    });
    child.stdin.on('error', () => { /* reported by 'exit' */ });
  }

  /**
   * Start a runner and prove the kernel accepts XDP programs (a two-instruction
   * XDP_PASS). Throws KernelUnavailableError when the bpf() syscall is refused.
   */
  static async open(): Promise<KernelXdp> {
    const exe = await buildRunner();
    const k = new KernelXdp(spawn(exe, [], { stdio: ['pipe', 'pipe', 'pipe'] }));
    try {
      await k.load([{ opcode: 0xb7, dst: 0, src: 0, off: 0, imm: 2 }, { opcode: 0x95, dst: 0, src: 0, off: 0, imm: 0 }]);
    } catch (e) {
      k.close();
      if (e instanceof KernelCommandError) {
        throw new KernelUnavailableError(
          `the kernel refused to load a trivial XDP program (bpf(BPF_PROG_LOAD): errno ${e.errno}: ${e.detail}); ` +
            `the kernel referee needs root or CAP_BPF + CAP_NET_ADMIN, and a kernel with BPF_PROG_TEST_RUN for XDP`,
        );
      }
      throw e;
    }
    return k;
  }

  /** Send one command; resolves with the words after `ok`. */
  private send(command: string): Promise<string[]> {
    if (this.exited) return Promise.reject(this.exited);
    const name = command.slice(0, command.indexOf(' ') >>> 0);
    return new Promise<string>((resolve, reject) => {
      this.pending.push({ command: name, resolve, reject });
      this.child.stdin.write(`${command}\n`);
    }).then((line) => {
      const words = line.split(' ');
      if (words[0] === 'ok') return words.slice(1);
      if (words[0] === 'err') throw new KernelCommandError(name, Number(words[1]), words.slice(2).join(' ').replaceAll('|', '\n'));
      throw new Error(`the kernel referee answered '${line.slice(0, 80)}' to ${name}`);
    });
  }

  /** BPF_MAP_CREATE; returns the map's number for load/update/dump. */
  async createMap(def: Pick<MapDefinition, 'type' | 'keySize' | 'valueSize' | 'maxEntries' | 'flags'>, innerMap?: number): Promise<number> {
    const inner = innerMap === undefined ? '' : ` ${innerMap}`;
    const [index] = await this.send(`map ${def.type} ${def.keySize} ${def.valueSize} ${def.maxEntries} ${def.flags}${inner}`);
    return Number(index);
  }

  /** BPF_PROG_LOAD of another program (a tail-call target), kept loaded; returns its number for setFd. */
  async loadExtra(insns: readonly Insn[]): Promise<number> {
    const [index] = await this.send(`prog ${hex(encodeProgram(insns))}`);
    return Number(index);
  }

  /** Store the fd of map or program `target` under `key` in `map` (a map-in-map or PROG_ARRAY). */
  async setFd(map: number, key: Uint8Array, kind: 'map' | 'prog', target: number): Promise<void> {
    await this.send(`setfd ${map} ${hex(key)} ${kind} ${target}`);
  }

  /** BPF_PROG_LOAD as XDP; lddw src=1/2 imm = map numbers. Throws KernelCommandError with the verifier log. */
  async load(insns: readonly Insn[]): Promise<void> {
    await this.send(`load ${hex(encodeProgram(insns))}`);
  }

  /** ingress_ifindex / rx_queue_index for later runs (0, 0: the kernel's default, loopback queue 0). */
  async setContext(ingressIfindex: number, rxQueueIndex: number): Promise<void> {
    await this.send(`ctx ${ingressIfindex} ${rxQueueIndex}`);
  }

  async update(map: number, key: Uint8Array, value: Uint8Array, flags = 0): Promise<void> {
    await this.send(`update ${map} ${flags} ${hex(key)} ${hex(value)}`);
  }

  async delete(map: number, key: Uint8Array): Promise<void> {
    await this.send(`delete ${map} ${hex(key)}`);
  }

  /** All entries, in key order (arrays: every index). */
  async dump(map: number): Promise<MapEntry[]> {
    const [, ...pairs] = await this.send(`dump ${map}`);
    return pairs
      .map((p) => {
        const [k, v] = p.split(':');
        return { key: unhex(k!), value: unhex(v!) };
      })
      .sort((a, b) => Buffer.compare(a.key, b.key));
  }

  /** BPF_PROG_TEST_RUN on one packet (`repeat` times, for timing). */
  async run(packet: Uint8Array, repeat = 1): Promise<KernelRunResult> {
    const [retval, duration, out] = await this.send(`run ${repeat} ${hex(packet)}`);
    return { retval: Number(retval), durationNs: Number(duration), output: unhex(out!) };
  }

  close(): void {
    this.child.stdin.end();
  }
}
