// The bench's embedding figures (`npm run bench -- --embed`): the static build's first
// widget on a tutorial page, as a reader's browser fetches it.
import { fileURLToPath } from 'node:url';

import { launchChromium } from '../tests/browser/harness.mjs';
import { buildSite, measureFirstWidget, staticHost } from '../tests/browser/static_host.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// Builds the static folder into build/bench-site/ (dist/ is left as it is), serves it from
// a subfolder of a plain static host and loads the example tutorial page three times: what
// it downloads (gzip) before its first widget is interactive, and how long that takes
// (median). This process has run a Vite dev server (the browser part), which set its
// NODE_ENV to 'development'; the build must not depend on that.
export async function embedding() {
  const dist = `${root}build/bench-site/`;
  buildSite(dist);
  const host = await staticHost(dist, { prefix: '/some/course/' });
  const chromiumBrowser = await launchChromium();
  try {
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await measureFirstWidget(chromiumBrowser, host, dist));
    const last = runs.at(-1);
    return {
      first_widget_interactive_ms: median(runs.map((r) => r.ms)),
      first_widget_gzip_kb: last.bytes / 1024,
      files: last.requests.map((r) => ({ file: r.url.slice(host.url.length), gzip_kb: r.gzipBytes / 1024 })),
    };
  } finally {
    await chromiumBrowser.close();
    await host.close();
  }
}

export function embedTable(e) {
  return [
    '\nembedding (dist/ from a static host, tutorial page, headless Chromium)',
    `  first widget interactive after ${e.first_widget_interactive_ms.toFixed(0)} ms (median of 3; goal 1500)`,
    `  downloaded before that: ${e.first_widget_gzip_kb.toFixed(1)} KB gzip (goal 300), without data sets:`,
    ...e.files.map((f) => `    ${f.file.padEnd(48)} ${f.gzip_kb.toFixed(1).padStart(7)} KB`),
  ].join('\n');
}
