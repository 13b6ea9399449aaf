// `make fuzz-inputs N=1000000 SEED=1 TARGET=asm`: every parser (or one) on
// N seeded cases each, progress on stderr, a summary line per parser and a
// closing `N passed, N failed` line (parsers without and with crashes).
// A crash is printed with its shrunk reproducer and the command that
// replays its case alone (`--case`); the full input is written to
// build/fuzz-inputs/.
//
//   npx tsx src/fuzz-inputs/cli.ts --cases 100000 --seed 1 [--target asm] [--case N]

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../paths.ts';
import { formatFailure, runTarget, showValue, type RunSummary } from './engine.ts';
import { TARGETS, targetByName } from './targets/index.ts';

interface Args { cases: number; seed: number; target?: string; onlyCase?: number }

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { cases: 10_000, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    const int = (): number => {
      const n = Number(value);
      if (value === undefined || !Number.isSafeInteger(n) || n < 0) usage(`${flag} needs a whole number, got ${value ?? 'nothing'}`);
      i++;
      return n;
    };
    if (flag === '--cases') args.cases = int();
    else if (flag === '--seed') args.seed = int();
    else if (flag === '--case') args.onlyCase = int();
    else if (flag === '--target') {
      if (value === undefined || value === '') usage('--target needs a name');
      args.target = value || undefined;
      i++;
    } else usage(`unknown argument ${flag}`);
  }
  return args;
}

function usage(why: string): never {
  process.stderr.write(`fuzz-inputs: ${why}\nusage: fuzz-inputs [--cases N] [--seed S] [--target ${TARGETS.map((t) => t.name).join('|')}] [--case I]\n`);
  process.exit(2);
}

const args = parseArgs(process.argv.slice(2));
const targets = args.target ? [targetByName(args.target) ?? usage(`unknown target '${args.target}'`)] : TARGETS;
const summaries: RunSummary[] = [];
for (const target of targets) {
  process.stderr.write(`${target.name}: ${target.describe}\n`);
  const start = performance.now();
  const summary = await runTarget(target, {
    cases: args.cases, seed: args.seed, onlyCase: args.onlyCase,
    progressEvery: Math.max(1000, Math.min(100_000, Math.floor(args.cases / 20))),
    onProgress: (done, failures) => {
      const s = (performance.now() - start) / 1000;
      process.stderr.write(`  ${target.name}: ${done.toLocaleString('en-US')} / ${args.cases.toLocaleString('en-US')} cases, ${failures} crashes, ${s.toFixed(0)} s (${Math.round(done / s)}/s)\n`);
    },
  });
  for (const f of summary.failures) {
    process.stdout.write(`${formatFailure(f, target)}\n`);
    const dir = resolve(REPO_ROOT, 'build', 'fuzz-inputs');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${f.target}-seed${f.seed}-case${f.caseIndex}.json`);
    writeFileSync(path, `${showValue({ input: f.input, shrunk: f.shrunk })}\n`);
    process.stdout.write(`  full input: ${path}\n`);
  }
  summaries.push(summary);
  process.stdout.write(
    `${target.name}: ${summary.cases.toLocaleString('en-US')} cases, ${summary.failures.length} crashes, ` +
      `${summary.rejected.toLocaleString('en-US')} rejected with a located error, ${summary.seconds.toFixed(1)} s, ` +
      `slowest case ${summary.slowestMs.toFixed(1)} ms (case ${summary.slowestCase})\n`,
  );
}
const failed = summaries.filter((s) => s.failures.length > 0).length;
process.stdout.write(`${summaries.length - failed} passed, ${failed} failed\n`);
process.exitCode = failed ? 1 : 0;
