// Shared set-up for browser tests: the Vite dev server on a free port and Debian's
// Chromium, headless, driven by playwright-core. Every wait on a page has a time limit
// and, when it runs out, says what it was waiting for.
import { mkdirSync } from 'node:fs';
import { after, before } from 'node:test';
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

// How long one wait on a page may take unless the caller gives its own limit.
export const WAIT_MS = 120000;

// A function's source, short, for a message.
const sourceOf = (fn) => {
  const text = String(fn).replace(/\s+/g, ' ');
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
};

// Resolves or rejects as `promise` does, or rejects after `ms` with an error naming `what`.
export function within(ms, what, promise) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${ms / 1000} s for ${what}; it did not come`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

// Gives a page's evaluate (which Playwright lets wait forever) and waitForFunction time
// limits whose errors say what was awaited (evaluate takes {timeout} as a third argument).
function limitWaits(page) {
  // Playwright's browser.newPage goes through newContext: a page may come here twice.
  if (page.waitsLimited) return page;
  page.waitsLimited = true;
  const evaluate = page.evaluate.bind(page);
  page.evaluate = (fn, arg, { timeout = WAIT_MS } = {}) =>
    within(timeout, `page.evaluate(${sourceOf(fn)}) to settle`, evaluate(fn, arg));
  const waitForFunction = page.waitForFunction.bind(page);
  page.waitForFunction = (fn, arg, options = {}) => {
    const timeout = options.timeout ?? WAIT_MS;
    return waitForFunction(fn, arg, { ...options, timeout }).catch((error) => {
      throw new Error(`waited ${timeout / 1000} s for ${sourceOf(fn)}: ${error.message.split('\n')[0]}`);
    });
  };
  return page;
}

// Chromium whose pages (from browser.newPage or a context's newPage) have limited waits.
export async function launchChromium(extraFlags = []) {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [...CHROMIUM_FLAGS, ...extraFlags],
  });
  const limitContext = (context) => {
    const newPage = context.newPage.bind(context);
    context.newPage = async () => limitWaits(await newPage());
    return context;
  };
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (options) => limitWaits(await newPage(options));
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => limitContext(await newContext(options));
  return browser;
}

// extraFlags: more Chromium switches (the soak script asks for precise memory figures).
// server: more of Vite's server options (a long measurement turns off hot reloading, so
// that editing the sources meanwhile does not reload its page).
export async function startHarness(extraFlags = [], server = {}) {
  const vite = await createServer({
    configFile: `${root}vite.config.mjs`,
    root: `${root}web`,
    logLevel: 'error',
    server: { port: 0, ...server },
  });
  await vite.listen();
  const browser = await launchChromium(extraFlags);
  return {
    url: vite.resolvedUrls.local[0],
    browser,
    async close() {
      await browser.close();
      await vite.close();
    },
  };
}

// Where the tests' screenshots go (made on first use).
export const shots = `${root}build/screenshots`;
mkdirSync(shots, { recursive: true });

// One harness for the tests of a file: started before them and closed after; the object
// returned gets its url and browser once started.
export function harnessForFile(extraFlags = []) {
  const harness = {};
  before(async () => Object.assign(harness, await startHarness(extraFlags)));
  after(async () => harness.close?.());
  return harness;
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

// The playground page at `path` (its address' query), settled with a model or a problem,
// with its console errors, uncaught exceptions and requests to other origins kept.
export async function openPlayground(harness, path = '', { width = 1280, height = 900 } = {}) {
  const page = await harness.browser.newPage({ viewport: { width, height } });
  const problems = [];
  const origin = new URL(harness.url).origin;
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (!['data:', 'blob:'].includes(url.protocol) && url.origin !== origin) problems.push(`request to ${r.url()}`);
  });
  await page.goto(new URL(path, harness.url).href);
  await page.waitForFunction(() => window.playground?.state === 'ready', null, { timeout: 30000 });
  await page.waitForFunction(() => window.playground.app.model || window.playground.app.problem, null, {
    timeout: 30000,
  });
  return { page, problems };
}
