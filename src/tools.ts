// Finding the external programs the project runs (verilator, iverilog, yosys,
// icestorm, flashing tools, clang, chromium): one lookup for all of them, a
// PATH scan in TypeScript (never a shell string), an optional environment
// variable that overrides it, and a missing tool is an error naming the
// package that provides it.

import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where each tool comes from, for "install ..." messages. */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  icebox_vlog: "the Debian package 'fpga-icestorm' (sudo apt-get install fpga-icestorm)",
  iceunpack: "the Debian package 'fpga-icestorm' (sudo apt-get install fpga-icestorm)",
  iceprog: "the Debian package 'fpga-icestorm' (sudo apt-get install fpga-icestorm)",
  iverilog: "the Debian package 'iverilog' (sudo apt-get install iverilog)",
  vvp: "the Debian package 'iverilog' (sudo apt-get install iverilog)",
  verilator: "Verilator >= 5, the Debian package 'verilator' (sudo apt-get install verilator)",
  yosys: "the Debian package 'yosys' (sudo apt-get install yosys) or the npm package @yowasp/yosys",
  clang: "the Debian package 'clang' (sudo apt-get install clang)",
  'llvm-mc': "the Debian package 'llvm' (sudo apt-get install llvm)",
  'llvm-objdump': "the Debian package 'llvm' (sudo apt-get install llvm)",
  chromium: "the Debian package 'chromium' (sudo apt-get install chromium)",
  openFPGALoader: "the Debian package 'openfpgaloader' (sudo apt-get install openfpgaloader)",
  'dfu-util': "the Debian package 'dfu-util' (sudo apt-get install dfu-util)",
  tinyprog: "the Python package 'tinyprog' (pip install tinyprog)",
  icesprog:
    "icesprog, which is not packaged for Debian: build it from https://github.com/wuxx/icesugar/tree/master/tools " +
    '(or copy the .bin onto the iCELink USB drive instead)',
};

/** A tool that is not installed: the message names it, where it was looked for and how to install it. */
export class ToolNotFoundError extends Error {
  override name = 'ToolNotFoundError';
  constructor(
    readonly tool: string,
    readonly installHint: string,
    readonly purpose?: string,
    where = 'on PATH',
  ) {
    super(`${tool} not found ${where}: install ${installHint}${purpose ? `; it is needed to ${purpose}` : ''}`);
  }
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Absolute path of `tool` on `path` (default: $PATH), or undefined. */
export function findOnPath(tool: string, path: string = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, tool);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export interface FindToolOptions {
  /** An environment variable holding the tool's path; when set it wins (and must exist). */
  readonly envVar?: string;
  /** Other names (looked up on PATH, e.g. 'llvm-mc-14') or absolute paths, tried in order after `name`. */
  readonly candidates?: readonly string[];
  /** The PATH to scan (default $PATH). */
  readonly path?: string;
  /** What the tool is needed for, for the error. */
  readonly purpose?: string;
}

/** The tool's absolute path, or a ToolNotFoundError naming the package to install. */
export function findTool(name: string, opts: FindToolOptions = {}): string {
  const hint = TOOL_PACKAGES[name] ?? `'${name}'`;
  const fromEnv = opts.envVar === undefined ? undefined : process.env[opts.envVar];
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    throw new ToolNotFoundError(name, hint, opts.purpose, `at ${fromEnv} (from $${opts.envVar})`);
  }
  let found = findOnPath(name, opts.path);
  for (const c of opts.candidates ?? []) {
    if (found !== undefined) break;
    found = c.includes('/') ? (isExecutable(c) ? c : undefined) : findOnPath(c, opts.path);
  }
  if (found === undefined) throw new ToolNotFoundError(name, hint, opts.purpose);
  return found;
}
