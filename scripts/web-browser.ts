// Opens the built playground in Debian's chromium, headless, driven by
// puppeteer-core (which downloads no browser): the browser test and the
// bench both start here.

import type { Server } from 'node:http';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { serveStatic } from './web-serve.ts';
import { findTool } from '../src/tools.ts';

export interface OpenPlayground {
  readonly browser: Browser;
  readonly page: Page;
  readonly url: string;
  /** Page-side problems seen so far: script errors, failed or refused requests. */
  readonly problems: string[];
  close(): Promise<void>;
}

/** Serve `dir` (a built site), open it and wait until the page says it is ready. */
export async function openPlayground(dir: string): Promise<OpenPlayground> {
  // $CHROMIUM, else chromium on PATH or at /usr/bin/chromium; missing, the error names the Debian package.
  const chromium = findTool('chromium', { envVar: 'CHROMIUM', candidates: ['/usr/bin/chromium'], purpose: 'run the playground test' });
  const { server, url } = await serveStatic(dir);
  let browser: Browser | undefined;
  try {
    browser = await puppeteer.launch({
      executablePath: chromium,
      headless: true,
      // Root in CI: chromium's sandbox needs an unprivileged user.
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push((e as Error).message));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
    await page.setViewport({ width: 1400, height: 900 });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="1"]', { timeout: 10_000 });
    const b = browser;
    return { browser: b, page, url, problems, close: async () => { await b.close(); closeServer(server); } };
  } catch (e) {
    await browser?.close();
    closeServer(server);
    throw e;
  }
}

function closeServer(server: Server): void {
  server.closeAllConnections();
  server.close();
}

/** The page's CPU speed loop (web/src/playground.ts speedBench), run in the page's engine worker. */
export async function pageSpeed(page: Page, preset: string, iterations: number): Promise<number> {
  return page.evaluate(async (p, n) => (await (globalThis as unknown as { bpfgate: { speedBench(p: string, n: number): Promise<{ cyclesPerSecond: number }> } })
    .bpfgate.speedBench(p, n)).cyclesPerSecond, preset, iterations);
}
