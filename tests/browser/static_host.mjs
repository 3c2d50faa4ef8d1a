// A plain static file server for the built folder (dist/), mounted under a subfolder, with
// no special headers (no COOP/COEP, no compression): what a simple static host offers.
// Used by the embedding tests and the benchmark, with the build they serve.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';

import { root, within, WAIT_MS } from './harness.mjs';

// Builds the static folder (what `npm run build` writes to dist/) into `outDir`, an
// absolute path. `env` is the environment Vite runs in: the build must come out the same
// whatever it holds (NODE_ENV=development included).
export function buildSite(outDir, env = process.env) {
  execFileSync('npx', ['vite', 'build', '--logLevel', 'error', '--outDir', outDir, '--emptyOutDir'], {
    cwd: root,
    stdio: 'inherit',
    env,
  });
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
};

// Serves `folder` at http://127.0.0.1:<port><prefix>; extra: {path: body} pages of its own.
export async function staticHost(folder, { prefix = '/', extra = {} } = {}) {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    if (extra[path] !== undefined) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return response.end(extra[path]);
    }
    const file = path.startsWith(prefix) ? normalize(join(folder, path.slice(prefix.length))) : null;
    if (!file || !file.startsWith(folder) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      return response.end('not found');
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, url: `${origin}${prefix}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

// The size a file would have gzip-compressed (level 9), as a static host would send it.
export const gzippedSize = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

// Opens the tutorial page from `host` and measures what arrives before its first widget
// is interactive (its Train button can be pressed): {ms, requests: [{url, gzipBytes}], bytes}.
// A fresh browser context each time, so that nothing comes from the cache.
export async function measureFirstWidget(browser, host, folder) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.addInitScript(() => {
    window.firstReady = new Promise((resolve, reject) => {
      document.addEventListener('dl-ready', () => resolve(performance.now()), { capture: true, once: true });
      document.addEventListener('dl-error', (e) => reject(new Error(`dl-error: ${e.detail.message}`)), {
        capture: true,
        once: true,
      });
    });
  });
  await page.goto(`${host.url}tutorial.html`);
  const ms = await within(
    WAIT_MS,
    `the first widget's dl-ready event on ${host.url}tutorial.html`,
    page.evaluate(() => window.firstReady),
  );
  const before = [...requests];
  const files = before
    .filter((u) => u.startsWith(host.url) && !u.includes('/data/'))
    .map((u) => {
      const path = new URL(u).pathname.slice(new URL(host.url).pathname.length);
      return { url: u, gzipBytes: gzippedSize(join(folder, path || 'index.html')) };
    });
  await context.close();
  return { ms, requests: files, bytes: files.reduce((sum, f) => sum + f.gzipBytes, 0) };
}
