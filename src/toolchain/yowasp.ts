// Running the WebAssembly builds of yosys, nextpnr-ice40 and icepack (YoWASP)
// over an in-memory file tree. These are in-process APIs, not commands: a
// failing nextpnr usually ends in a WebAssembly trap ("unreachable") whose
// only explanation went to stderr, so output is always captured and a failure
// is returned as the tool's own error lines.

import type { Tree } from '@yowasp/yosys';

export type YowaspTool = 'yosys' | 'nextpnr-ice40' | 'icepack' | 'iceunpack';

/** A YoWASP run that did not finish normally, with everything it printed. */
export class YowaspRunFailure extends Error {
  override name = 'YowaspRunFailure';
  constructor(
    readonly tool: YowaspTool,
    /** stdout and stderr, interleaved as printed. */
    readonly output: string,
    /** Exit status, or undefined when the run ended in a trap. */
    readonly exitCode: number | undefined,
  ) {
    super(`${tool} failed${exitCode === undefined ? ' (WebAssembly trap)' : ` with status ${exitCode}`}`);
  }

  /** The "ERROR: ..." lines (yosys and nextpnr both print them), or the last lines. */
  errorLines(): string[] {
    const lines = this.output.split('\n');
    const errors = lines.filter((l) => /\bERROR\b/.test(l)).map((l) => l.trim());
    if (errors.length) return errors;
    return lines.filter((l) => l.trim()).slice(-8);
  }
}

export interface YowaspRun {
  readonly files: Tree;
  readonly output: string;
}

type Command = (args?: string[], files?: Tree, options?: object) => Promise<Tree> | Tree | undefined;

async function commandFor(tool: YowaspTool): Promise<Command> {
  // Loaded on first use: the bundles are large and most commands never build.
  if (tool === 'yosys') return (await import('@yowasp/yosys')).runYosys;
  const nextpnr = await import('@yowasp/nextpnr-ice40');
  if (tool === 'nextpnr-ice40') return nextpnr.runNextpnrIce40;
  if (tool === 'icepack') return nextpnr.runIcepack;
  return nextpnr.runIceunpack;
}

/** Versions of the bundled tools, for reports. */
export async function yowaspVersions(): Promise<{ yosys: string; nextpnr: string }> {
  const [yosys, nextpnr] = await Promise.all([import('@yowasp/yosys'), import('@yowasp/nextpnr-ice40')]);
  return { yosys: yosys.version, nextpnr: nextpnr.version };
}

/**
 * Runs a YoWASP tool; resolves with the output file tree and the captured log,
 * rejects with a YowaspRunFailure. `onLine` sees each output line as printed.
 */
export async function runYowasp(
  tool: YowaspTool,
  args: string[],
  files: Tree,
  onLine?: (line: string) => void,
): Promise<YowaspRun> {
  const command = await commandFor(tool);
  const decoder = new TextDecoder();
  let output = '';
  let pending = '';
  const sink = (bytes: Uint8Array | null): void => {
    if (bytes === null) return;
    const text = decoder.decode(bytes, { stream: true });
    output += text;
    if (!onLine) return;
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  };
  try {
    // decodeASCII off: outputs stay bytes, so a bitstream can never be mangled into text.
    const result = await command(args, files, { stdout: sink, stderr: sink, decodeASCII: false });
    if (pending && onLine) onLine(pending);
    return { files: result ?? {}, output };
  } catch (err) {
    if (pending && onLine) onLine(pending);
    const code = (err as { code?: unknown }).code;
    throw new YowaspRunFailure(tool, output, typeof code === 'number' ? code : undefined);
  }
}

/** A file of a YoWASP output tree as text. */
export function treeText(files: Tree, name: string): string | undefined {
  const entry = files[name];
  if (entry === undefined || (typeof entry !== 'string' && !(entry instanceof Uint8Array))) return undefined;
  return typeof entry === 'string' ? entry : new TextDecoder().decode(entry);
}

/** A file of a YoWASP output tree as bytes. */
export function treeBytes(files: Tree, name: string): Uint8Array | undefined {
  const entry = files[name];
  if (entry === undefined || (typeof entry !== 'string' && !(entry instanceof Uint8Array))) return undefined;
  return typeof entry === 'string' ? new TextEncoder().encode(entry) : entry;
}
