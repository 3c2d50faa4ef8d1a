// A plain static file server for the built folder (dist/), mounted under a subfolder, with
// no special headers (no COOP/COEP, no compression): what a simple static host offers.
// Used by the embedding tests and the benchmark, with the build they serve.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';

import { launchChromium, root, within, WAIT_MS } from './harness.mjs';

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

// The page of a tutorial author on another origin, embedding the playground in an iframe.
const hostPage = (src) => `<!doctype html><html><head><link rel="icon" href="data:,"></head><body>
<iframe id="frame" src="${src}" width="900" height="700" title="playground"></iframe>
<script>
  window.events = [];
  window.replies = {};
  window.addEventListener('message', (e) => {
    if (e.data?.source !== 'dl-playground') return;
    if (e.data.type === 'reply') window.replies[e.data.id] = e.data;
    else window.events.push(e.data);
  });
  let next = 0;
  window.command = (message) => {
    const id = ++next;
    document.getElementById('frame').contentWindow.postMessage({ ...message, id }, '*');
    return new Promise((resolve) => {
      const wait = () => (window.replies[id] ? resolve(window.replies[id]) : setTimeout(wait, 20));
      wait();
    });
  };
</script></body></html>`;

// Everything an embedding test needs: the static folder built into dist/ as from a shell
// with NODE_ENV=development (the folder must still be a production build that finds its
// engine from a subfolder), served from /course/playground/ on one origin; a tutorial
// author's pages on another origin, each embedding the iframe page with the given query;
// and Chromium. {dist, site, host, browser, close}.
export async function embeddingFixture(iframes, sitePages = {}) {
  const dist = `${root}dist/`;
  buildSite(dist, { ...process.env, NODE_ENV: 'development' });
  const site = await staticHost(dist, { prefix: '/course/playground/', extra: sitePages });
  const extra = {};
  for (const [path, query] of Object.entries(iframes)) extra[path] = hostPage(`${site.url}embed.html?${query}`);
  const host = await staticHost(dist, { prefix: '/nothing/', extra });
  const browser = await launchChromium();
  return {
    dist,
    site,
    host,
    browser,
    async close() {
      await browser.close();
      await site.close();
      await host.close();
    },
  };
}

// Collects a page's errors, failed or refused requests, and requests to other origins.
export function watch(page, origins) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (!['data:', 'blob:'].includes(url.protocol) && !origins.includes(url.origin))
      problems.push(`request to ${r.url()}`);
  });
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()}: ${r.url()}`));
  return problems;
}
