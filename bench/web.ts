// Playground figures: the simulated CPU's speed in the page (headless
// chromium) next to the same loop in Node (web/src/playground.ts speedBench,
// the 'hx8k' build, best of 3 each, interleaved so both see the same machine
// load), and how soon the page is interactive after load. Builds build/web/
// first. Run alone with `npx tsx bench/web.ts`.

import { pathToFileURL } from 'node:url';
import { buildWeb, WEB_OUT } from '../scripts/web-build.ts';
import { openPlayground, pageSpeed } from '../scripts/web-browser.ts';
import { speedBench } from '../web/src/playground.ts';

const PRESET = 'hx8k';
const ITERATIONS = 50_000; // about 350,000 cycles a run

export async function benchWeb(): Promise<Record<string, number>> {
  const site = await buildWeb(WEB_OUT);
  const opened = await openPlayground(site.outDir);
  try {
    const readyMs = Number(await opened.page.$eval('body', (b) => (b as HTMLElement).dataset.readyMs));
    const web: number[] = [];
    const node: number[] = [];
    for (let i = 0; i < 3; i++) {
      web.push(await pageSpeed(opened.page, PRESET, ITERATIONS));
      node.push(speedBench(PRESET, ITERATIONS).cyclesPerSecond);
    }
    const w = Math.max(...web);
    const n = Math.max(...node);
    return {
      web_build_ms: Math.round(site.ms),
      web_bundle_kib: Math.round(site.bundleBytes / 1024),
      web_ready_ms: readyMs,
      web_cpu_cycles_per_s: Math.round(w),
      web_node_cpu_cycles_per_s: Math.round(n),
      web_cpu_speed_vs_node: w / n,
    };
  } finally {
    await opened.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const [k, v] of Object.entries(await benchWeb())) process.stdout.write(`${k}: ${Number.isInteger(v) ? v : v.toPrecision(4)}\n`);
}
