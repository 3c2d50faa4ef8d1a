// Shared set-up for browser tests: the Vite dev server on a free port and Debian's
// Chromium, headless, driven by playwright-core.
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';
import { createServer } from 'vite';

export const root = fileURLToPath(new URL('../../', import.meta.url));

// Debian's Chromium, headless, without the network chatter of a first run.
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// extraFlags: more Chromium switches (the soak script asks for precise memory figures).
export async function startHarness(extraFlags = []) {
  const server = await createServer({
    configFile: `${root}vite.config.mjs`,
    root: `${root}web`,
    logLevel: 'error',
    server: { port: 0 },
  });
  await server.listen();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [...CHROMIUM_FLAGS, ...extraFlags],
  });
  return {
    url: server.resolvedUrls.local[0],
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

// A page whose errors (uncaught exceptions, console errors, failed requests) are collected.
export async function openPage(harness, path = '') {
  const page = await harness.browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.goto(new URL(path, harness.url).href);
  return { page, problems };
}
