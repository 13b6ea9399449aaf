// npm run bench: every benchmark of the project in one run, so ratios are
// measured side by side on the same (noisy) machine. Each part prints its own
// progress; the run ends with one `key: value` line per figure (a contract:
// tools track these from version to version).
//
//   npm run bench             all parts
//   npm run bench -- interp   only the named parts

type Bench = () => Promise<Record<string, number>>;

// Each part is bench/<name>.ts exporting `bench<Name>()`.
const PARTS = ['interp', 'sim', 'cpu', 'conformance', 'xdp', 'boards', 'web'] as const;

async function loadPart(name: string): Promise<Bench> {
  const mod = (await import(`./${name}.ts`)) as Record<string, Bench>;
  const fn = mod[`bench${name[0]!.toUpperCase()}${name.slice(1)}`];
  if (!fn) throw new Error(`bench/${name}.ts exports no bench function`);
  return fn;
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(PARTS as readonly string[]).includes(w));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown part(s) ${unknown.join(', ')}; parts: ${PARTS.join(', ')}\n`);
  process.exit(2);
}

const figures: Record<string, number> = {};
let failed = 0;
for (const name of PARTS) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  process.stderr.write(`bench: ${name} ...\n`);
  const started = performance.now();
  try {
    Object.assign(figures, await (await loadPart(name))());
    process.stderr.write(`bench: ${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  } catch (e) {
    failed++;
    process.stderr.write(`bench: ${name} failed: ${(e as Error).message}\n`);
  }
}

for (const [key, value] of Object.entries(figures)) {
  const shown = Number.isInteger(value) ? String(value) : value.toPrecision(4);
  process.stdout.write(`${key}: ${shown}\n`);
}
if (failed > 0) process.exitCode = 1;
