// Referee command line: a long run is one command away.
//
//   npx tsx sim/referee/cli.ts --designs 20000 --seed 7
//   npx tsx sim/referee/cli.ts --sim verilator --designs 2000 --batch 500
//   npx tsx sim/referee/cli.ts --sim both --seed 3 --first 1234 --designs 1 --keep
//
// Exit status 1 on any mismatch, after printing the first one shrunk.

import { runReferee, shrinkFailure } from './referee.ts';
import type { RefSim } from './batch.ts';

interface Args {
  seed: number;
  designs: number;
  cycles: number;
  sims: RefSim[];
  batch: number;
  first: number;
  nodes: number;
  keep: boolean;
  shrink: boolean;
}

function parse(argv: string[]): Args {
  const a: Args = { seed: 1, designs: 2000, cycles: 1000, sims: ['icarus'], batch: 1000, first: 0, nodes: 16, keep: false, shrink: true };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const v = (): string => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`missing value for ${k}`);
      return x;
    };
    switch (k) {
      case '--seed': a.seed = Number(v()); break;
      case '--designs': a.designs = Number(v()); break;
      case '--cycles': a.cycles = Number(v()); break;
      case '--batch': a.batch = Number(v()); break;
      case '--first': a.first = Number(v()); break;
      case '--nodes': a.nodes = Number(v()); break;
      case '--keep': a.keep = true; break;
      case '--no-shrink': a.shrink = false; break;
      case '--sim': {
        const s = v();
        a.sims = s === 'both' ? ['icarus', 'verilator'] : [s as RefSim];
        if (!a.sims.every((x) => x === 'icarus' || x === 'verilator')) throw new Error(`--sim must be icarus, verilator or both`);
        break;
      }
      case '-h':
      case '--help':
        process.stdout.write('usage: cli.ts [--sim icarus|verilator|both] [--seed N] [--designs N] [--first N] [--cycles N] [--batch N] [--nodes N] [--keep] [--no-shrink]\n');
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${k}`);
    }
  }
  return a;
}

const args = parse(process.argv.slice(2));
const log = (s: string): void => void process.stderr.write(s + '\n');
let bad = 0;
for (const sim of args.sims) {
  const gen = { nodes: args.nodes };
  const t0 = performance.now();
  const results = await runReferee({ seed: args.seed, designs: args.designs, first: args.first, cycles: args.cycles, sim, batch: args.batch, gen, keep: args.keep, log });
  const failed = results.find((r) => r.mismatches.length > 0);
  const total = results.reduce((s, r) => s + r.designs, 0);
  log(`referee ${sim}: ${total} designs x ${args.cycles} cycles in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${failed ? 'MISMATCH' : '0 mismatches'}`);
  if (failed) {
    bad++;
    for (const m of failed.mismatches) log(`  design ${m.index} cycle ${m.cycle} ${m.signal}: TS ${m.ts} vs ${sim} ${m.ref}`);
    log(`  work directory: ${failed.dir}`);
    if (args.shrink) log((await shrinkFailure(failed, args.seed, gen, log)).text);
  }
}
process.exit(bad ? 1 : 0);
