// Command lines (runCli in-process, the same code path as the bpfgate
// process): verbs with their options and values drawn from each verb's
// options, files from a scratch folder (good and damaged programs, packets,
// captures), then tokens dropped, repeated, swapped, glued or replaced.
// Only verbs that finish in milliseconds are run: the interpreter engine,
// `flash --dry-run`, `plugin --program` (see `sanitize`). A case fails when
// runCli throws, or when the error it prints is a bug (a TypeError and the
// like, or a RangeError the JavaScript engine raised) rather than a
// deliberate message.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../cli/program.ts';
import { privateCacheDir } from '../../paths.ts';
import { encodeProgram } from '../../isa/index.ts';
import { assemble } from '../../asm/index.ts';
import { Rng } from '../../random.ts';
import { crash, EXPECTED, type FuzzTarget } from '../engine.ts';
import { EDGE_NUMBERS, mutateBytes, ODD_CHARS, randomText } from '../mutate.ts';
import { conformanceFiles, elfSamples, pcapSample } from '../samples.ts';

/** Scratch files the command lines name. */
interface Scratch {
  readonly dir: string;
  readonly files: readonly string[];
  readonly out: string;
}

function makeScratch(): Scratch {
  // One folder, rewritten by every run with the same content, so runs leave nothing behind; the
  // output file is junk whichever of two parallel runs wrote it last.
  const dir = privateCacheDir('fuzz-inputs-cli');
  const out = join(dir, 'out');
  const put = (name: string, bytes: Uint8Array | string): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  // Every program here ends quickly: an endless loop would run to any --max-insns a case asks for.
  const prog = 'mov %r0, 1\nadd %r0, %r2\nexit\n';
  const elf = elfSamples()[0]!;
  const data = conformanceFiles().find((f) => f.name === 'add.data') ?? conformanceFiles()[0]!;
  const files = [
    put('prog.s', prog), put('bad.s', 'mov %r0,\n  %r3, 0x0f0f0f0f\nexit\n'), put('fault.s', 'ldxdw %r0, [%r1+4096]\nexit\n'),
    put('prog.data', data.text), put('prog.o', elf), put('cut.o', elf.subarray(0, 200)),
    put('mangled.o', mutateBytes(new Rng(1), elf)),
    put('prog.bin', encodeProgram(assemble(prog).insns)), put('odd.bin', new Uint8Array(13)), put('words', '0x00000001000000b7\n0x0000000000000095\n'),
    put('mem.bin', new Uint8Array([1, 2, 3, 4])), put('trace.pcap', pcapSample()), put('empty', ''), put('text.txt', 'hello\n'),
  ];
  mkdirSync(join(dir, 'folder'), { recursive: true });
  put('folder/x.data', data.text);
  return { dir, files: [...files, join(dir, 'folder'), join(dir, 'missing.s')], out };
}

type Gen = (rng: Rng, s: Scratch) => string;
const file: Gen = (rng, s) => rng.pick(s.files);
const hex: Gen = (rng) => rng.pick(['aa bb', '4500 003c', '0x1 0x2', '1 2', 'zz', '', 'aabbc', '00'.repeat(rng.int(0, 80))]);
const num: Gen = (rng) => rng.pick(EDGE_NUMBERS);
const name: Gen = (rng) => rng.pick(['xdp', '.text', 'main', 'prog', '', 'nonesuch', 'counters', 'jmp']);

/** Options each verb takes, with a generator for the value (undefined: a flag). */
const VERBS: Record<string, { positional: Gen[]; options: [string, Gen | undefined][] }> = {
  asm: { positional: [file], options: [['-o', () => 'OUT'], ['-f', (rng) => rng.pick(['words', 'hex', 'bin', 'elf', ''])]] },
  disasm: { positional: [file], options: [['-s', name], ['--symbol', name]] },
  run: {
    positional: [file],
    options: [['-m', file], ['--mem-hex', hex], ['-a', (rng) => rng.pick(['r1=0x10', 'r3=-1', 'r6=1', 'r1=', 'r1=0x10,r1=2', `r2=${rng.pick(EDGE_NUMBERS)}`])],
      ['-e', () => 'interp'], ['-s', name], ['--symbol', name], ['--max-insns', num], ['--legacy-packet', undefined], ['--trace', undefined]],
  },
  xdp: {
    positional: [file],
    options: [['-s', name], ['--symbol', name], ['-p', hex], ['--pcap', file], ['-e', () => 'interp'], ['--ifindex', num], ['--rx-queue', num],
      ['-m', (rng) => rng.pick(['counters:00000000=0100000000000000', 'x:1=2', ':=', 'counters:zz=00', 'm'])],
      ['--prog-array', (rng) => rng.pick(['jmp=0:xdp', 'jmp=x', '=', 'jmp=99999999999:a'])],
      ['--map-entries', (rng) => rng.pick(['counters=4', 'x=0', 'counters=-1', '='])], ['--dump-maps', undefined],
      ['--strict-frames', undefined], ['-o', () => 'OUT'], ['--max-insns', num], ['--seed', num], ['--no-check', undefined],
      ['--clock-mhz', num], ['-v', undefined]],
  },
  conformance: { positional: [file], options: [['-e', () => 'interp'], ['--legacy-packet', undefined], ['-q', undefined]] },
  boards: { positional: [], options: [] },
  flash: { positional: [file], options: [['--dry-run', undefined], ['-b', (rng) => rng.pick(['icebreaker', 'icestick', 'hx8k', 'nonesuch', ''])], ['--tool', (rng) => rng.pick(['openFPGALoader', 'iceprog', 'x'])], ['--sram', undefined]] },
  plugin: { positional: [hex], options: [['--program', (rng) => rng.pick(['b700000000000000 9500000000000000', 'b7000000010000009500000000000000', 'zz', '', '95'])]] },
  help: { positional: [(rng) => rng.pick(Object.keys(VERBS))], options: [] },
};

const DICTIONARY = ['--help', '-h', '--version', '-V', '--', '-', '--=', '-x', '--nonesuch', 'interp', '=', ...Object.keys(VERBS)];

function commandLine(rng: Rng, s: Scratch): string[] {
  const verb = rng.pick(Object.keys(VERBS));
  const spec = VERBS[verb]!;
  const args = [verb, ...spec.positional.map((g) => g(rng, s))];
  for (let i = rng.int(0, 4); i > 0 && spec.options.length; i--) {
    const [opt, value] = rng.pick(spec.options);
    if (value) {
      const v = value(rng, s);
      if (rng.chance(0.2) && opt.startsWith('--')) args.push(`${opt}=${v}`);
      else args.push(opt, v);
    } else args.push(opt);
  }
  return args;
}

function mutateArgs(rng: Rng, args: string[], s: Scratch): string[] {
  const out = [...args];
  for (let r = rng.int(1, 3); r > 0; r--) {
    const i = rng.int(0, Math.max(0, out.length - 1));
    switch (rng.int(0, 6)) {
      case 0: out.splice(i, 1); break;
      case 1: out.splice(i, 0, out[i] ?? ''); break;
      case 2: { const j = rng.int(0, Math.max(0, out.length - 1)); [out[i], out[j]] = [out[j] ?? '', out[i] ?? '']; break; }
      case 3: out.splice(i, 0, rng.pick(DICTIONARY)); break;
      case 4: out[i] = (out[i] ?? '') + rng.pick(ODD_CHARS); break;
      case 5: out[i] = rng.chance(0.5) ? randomText(rng, 12) : rng.pick(s.files); break;
      default: out[i] = (out[i] ?? '').slice(0, rng.int(0, (out[i] ?? '').length)); break;
    }
  }
  return out;
}

const SLOW_VERBS = new Set(['build', 'bitstream', 'verilog']);
/** Options that start engines other than the interpreter, or devices, or take long. */
const UNSAFE_OPTION = /^(--sim|--port|--vcd|--baud|--timeout|--run-timeout|-b|--board|-c|--config)(=|$)/;

/**
 * Keep a mutated command line quick and harmless: the interpreter only (any
 * engine value becomes `interp`), no device, output only into the scratch
 * folder, never standard input, `flash` only as a dry run, `plugin` with its
 * program given, `conformance` on named files (not the whole suite).
 */
export function sanitize(args: readonly string[], s: Scratch): string[] {
  const verb = args[0] ?? '';
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    let a = args[i]!;
    if (SLOW_VERBS.has(a)) a = 'boards';
    if (a === '-' || /^\/(dev|proc|sys)\b/.test(a)) a = s.files[0]!;
    if (verb !== 'flash' && UNSAFE_OPTION.test(a)) continue;
    if (/^(-e|--engine)$/.test(a)) {
      out.push(a, 'interp');
      i++;
      continue;
    }
    if (/^(-e.|--engine=)/.test(a)) a = '--engine=interp';
    if (a === 'OUT' || /^(-o|--out)/.test(a)) {
      if (a !== 'OUT') out.push(a.startsWith('--out-pcap') ? '--out-pcap' : '-o');
      out.push(s.out);
      if (a !== 'OUT') i++;
      continue;
    }
    // A short-option cluster could hide -e/-o/-b with a glued value: keep it only if it is a lone flag.
    if (/^-[a-zA-Z]{2,}/.test(a)) a = a.slice(0, 2);
    if (UNSAFE_OPTION.test(a) && verb !== 'flash') continue;
    out.push(a);
  }
  if (out.includes('flash') && !out.includes('--dry-run')) out.push('--dry-run');
  if (out.includes('plugin')) {
    // Without a program (or with an empty one) the plugin reads it from standard input, which never ends in a test run.
    let program = '';
    for (let i = out.length - 1; i >= 0; i--) {
      const a = out[i]!;
      if (a === '--program') {
        program ||= out[i + 1] ?? '';
        out.splice(i, 2);
      } else if (a.startsWith('--program=')) {
        program ||= a.slice('--program='.length);
        out.splice(i, 1);
      }
    }
    out.push('--program', program.trim() || '9500000000000000');
  }
  if (out.includes('conformance') && !out.some((a) => a.startsWith(s.dir))) out.push(s.files[3]!);
  return out;
}

/** V8's own RangeErrors (an array or string grown past its limit, a stack overflow): bugs, not messages. */
const ENGINE_RANGE_ERRORS = /Invalid (array|typed array|string) length|Maximum call stack|Array buffer allocation failed|out of range index|outside the bounds|Invalid count value|toString\(\) radix|Invalid time value/;
const BUG_NAMES = /^(TypeError|ReferenceError|SyntaxError|EvalError|InternalError|AggregateError)\b/;

async function capture(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  const out = process.stdout.write;
  const err = process.stderr.write;
  let stderr = '';
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stderr.write;
  const debug = process.env.BPFGATE_DEBUG;
  // With BPFGATE_DEBUG=1 the CLI prints the stack, so the error's class is on stderr's first line.
  process.env.BPFGATE_DEBUG = '1';
  const exitCode = process.exitCode;
  try {
    const code = await runCli(['node', 'bpfgate', ...args]);
    return { code, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    if (debug === undefined) delete process.env.BPFGATE_DEBUG;
    else process.env.BPFGATE_DEBUG = debug;
    process.exitCode = exitCode;
  }
}

/** A command line the CLI refused with a message: counted as rejected, not as a crash. */
class CliRefused extends Error {
  override name = 'CliRefused';
}

export interface CliInput {
  readonly args: readonly string[];
}

let scratch: Scratch | undefined;

export const cliTarget: FuzzTarget<CliInput> = {
  name: 'cli',
  describe: 'command lines -> runCli (asm, disasm, run, xdp, conformance, boards, flash -n, plugin, help)',
  prepare() {
    scratch ??= makeScratch();
    const s = scratch;
    return (rng) => {
      const base = commandLine(rng, s);
      return { args: sanitize(rng.chance(0.7) ? mutateArgs(rng, base, s) : base, s) };
    };
  },
  async run({ args }) {
    // A shrunk command line is sanitized again: dropping a token may expose an unsafe one.
    const { code, stderr } = await capture(sanitize(args, scratch!));
    const first = stderr.split('\n').find((l) => /^\S*(Error|error)\b|^bpfgate: internal/.test(l)) ?? '';
    if (/^bpfgate: internal error/.test(first) || BUG_NAMES.test(first) || (/^RangeError/.test(first) && ENGINE_RANGE_ERRORS.test(first))) {
      const where = stderr.split('\n').find((l) => /^\s+at .*\/(src|hdl|boards)\//.test(l))?.trim() ?? '';
      throw new Error(`the CLI printed a bug, not a message: ${first.slice(0, 200)} ${where}`);
    }
    if (!Number.isInteger(code) || code < 0 || code > 2) throw new Error(`exit code ${code}`);
    if (code === 1 && first !== '') throw new CliRefused(first);
  },
  // Refused with a message (exit 1): the CLI's deliberate outcome for bad input.
  judge: (err) => (err instanceof CliRefused ? EXPECTED : crash('the CLI printed an internal error or threw')),
};
