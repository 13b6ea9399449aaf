// A tiny static file server for the built playground (build/web/), on the
// loopback address only. The page needs nothing but static files, so any
// server does; this one is here so nobody has to install one, and the
// browser test serves the folder with it.
//
//   npm run web:serve              http://127.0.0.1:8080/
//   npx tsx scripts/web-serve.ts DIR PORT

import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WEB_OUT } from './web-build.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Serve `dir` on 127.0.0.1:`port` (0: any free port); resolves once listening. */
export async function serveStatic(dir: string, port = 0): Promise<{ server: Server; url: string }> {
  const root = resolve(dir);
  if (!existsSync(join(root, 'index.html'))) throw new Error(`web-serve: no index.html in ${root} (build it with 'npm run web')`);
  const server = createServer((req, res) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request path\n');
      return;
    }
    const file = resolve(root, `.${path.endsWith('/') ? `${path}index.html` : path}`);
    // Nothing outside the folder, whatever the request says.
    if ((file !== root && !file.startsWith(root + sep)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}\n`);
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok());
  });
  const addr = server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  return { server, url: `http://127.0.0.1:${actual}/` };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = process.argv[2] ?? WEB_OUT;
  const port = Number(process.argv[3] ?? 8080);
  try {
    const { url } = await serveStatic(dir, port);
    process.stdout.write(`web: serving ${resolve(dir)} at ${url} (Ctrl-C stops)\n`);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
}
