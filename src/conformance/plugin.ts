// `bpfgate plugin`: the bpf_conformance plugin protocol, so the upstream
// runner (`bpf_conformance_runner --plugin_path ...`) can test bpfgate.
//
// The protocol, as the upstream plugins (ubpf, libbpf, PREVAIL) implement it:
//   argv[0]   optional: initial memory as hex bytes ("00 01 ff ..."), unless
//             it starts with "--"; an empty string means no memory;
//   --program <hex>   optional: the program bytes (else read from stdin);
//   stdin     the program as hex bytes on one line ("b7 00 00 00 ...");
//   stdout    r0 in lowercase hex without 0x (C++ `std::hex`), newline;
//             exit code 0.
// On any error (bad input, invalid program, fault) the plugin prints one line
// on stdout and exits with 1; the upstream runner compares that line with a
// test's `-- error` text.
//
// The program runs like every bpfgate engine: r1 = the memory's address in
// the data region, r2 = its length, r10 = top of the stack.

import { decodeProgram } from '../isa/encoding.ts';
import { formatIssue, validateProgram } from '../asm/validate.ts';
import { Interpreter } from '../interp/interpreter.ts';
import type { LoadOptions } from '../interp/types.ts';
import type { Program } from '../program.ts';

export interface PluginResult {
  readonly stdout: string;
  readonly exitCode: number;
}

export interface PluginOptions extends LoadOptions {
  maxInsns?: number;
}

/** Run one plugin invocation. `argv` is the arguments after the command name. Never throws. */
export function runPlugin(argv: readonly string[], stdin: string, opts: PluginOptions = {}): PluginResult {
  try {
    return runOrThrow(argv, stdin, opts);
  } catch (e) {
    return failure(e instanceof PluginError ? e.message : `internal error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

class PluginError extends Error {}

function runOrThrow(argv: readonly string[], stdin: string, opts: PluginOptions): PluginResult {
  const args = argv.filter((a) => a !== '');
  let memoryText = '';
  if (args.length > 0 && !args[0]!.startsWith('--')) memoryText = args.shift()!;
  let programText: string | undefined;
  while (args.length > 0) {
    const flag = args.shift()!;
    if (flag === '--program' && args.length > 0) programText = args.shift()!;
    else throw new PluginError(`Invalid arguments: ${flag} (usage: plugin [memory-hex] [--program program-hex])`);
  }
  programText ??= firstLine(stdin);

  const memory = decodeHexBytes(memoryText, 'memory');
  const bytes = decodeHexBytes(programText, 'program');
  if (bytes.length === 0) throw new PluginError('Failed to load code: the program is empty');
  if (bytes.length % 8 !== 0) {
    throw new PluginError(`Failed to load code: program is ${bytes.length} bytes, not a whole number of 8-byte instructions (last one starts at byte offset ${bytes.length - (bytes.length % 8)})`);
  }
  const program: Program = { insns: decodeProgram(bytes), entry: 0 };
  const issues = validateProgram(program);
  if (issues.length > 0) throw new PluginError(`Failed to load code: ${formatIssue(issues[0]!, program)}`);

  const result = new Interpreter(program, opts).run({ input: memory, maxInsns: opts.maxInsns });
  if (result.kind === 'fault') throw new PluginError(`Failed to execute program: ${result.message}`);
  return { stdout: `${result.r0.toString(16)}\n`, exitCode: 0 };
}

function failure(message: string): PluginResult {
  return { stdout: `${message.replace(/\s*\n\s*/g, '; ')}\n`, exitCode: 1 };
}

function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return nl < 0 ? text : text.slice(0, nl);
}

/**
 * Hex bytes separated by whitespace ("b7 00 ..."); a token may also hold
 * several bytes written together ("b7000000"), as long as it has an even
 * number of digits.
 */
export function decodeHexBytes(text: string, what: string): Uint8Array {
  const out: number[] = [];
  for (const m of text.matchAll(/\S+/g)) {
    const token = m[0];
    if (!/^[0-9a-fA-F]+$/.test(token) || (token.length > 2 && token.length % 2 !== 0)) {
      throw new PluginError(`invalid ${what} hex '${token}' at character ${m.index} (byte offset ${out.length}): expected hex bytes like "b7 00 1f"`);
    }
    if (token.length <= 2) out.push(parseInt(token, 16));
    else for (let i = 0; i < token.length; i += 2) out.push(parseInt(token.slice(i, i + 2), 16));
  }
  return Uint8Array.from(out);
}
