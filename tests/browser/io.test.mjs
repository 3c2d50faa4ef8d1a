// Keeping a trained network in headless Chromium: IndexedDB across a reload, downloaded
// files loaded back through the file input, a shared link, and a corrupt file refused
// with a message while the current network stays.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { openPage, root, startHarness } from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

async function trainedPage(context) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${harness.url}?preset=small&epochs=40&speed=full`);
  await page.waitForFunction(() => window.playground?.state === 'ready', null, { timeout: 30000 });
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.trainState === 'done', null, { timeout: 60000 });
  // The views redraw from the trained weights.
  await page.waitForFunction(() => window.playground.app.surfaceDrawnFor === 'done', null, { timeout: 10000 });
  return { page, problems, checksum: await page.evaluate(() => window.playground.app.surfaceChecksum) };
}

// The decision boundary is redrawn a moment after a network arrives.
const sameSurface = (page, checksum) =>
  page
    .waitForFunction((c) => window.playground.app.surfaceChecksum === c, checksum, { timeout: 10000 })
    .then(
      () => true,
      () => false,
    );

const status = (page) => page.evaluate(() => window.playground.modelsStatus);

test('a trained network survives a reload in IndexedDB, and files and links bring it back', async () => {
  const context = await harness.browser.newContext({ acceptDownloads: true });
  const { page, problems, checksum } = await trainedPage(context);

  await page.fill('#save-name', 'my circle');
  await page.click('#save-browser');
  await page.waitForFunction(() => /Saved as 'my circle'/.test(window.playground.modelsStatus ?? ''));
  await page.reload();
  await page.waitForFunction(() => window.playground?.state === 'ready', null, { timeout: 30000 });
  assert.deepEqual(await page.$$eval('#saved-list option', (o) => o.map((x) => x.value)), ['my circle']);
  await page.click('#load-browser');
  await page.waitForFunction(() => /Loaded 'my circle'/.test(window.playground.modelsStatus ?? ''));
  assert.ok(await sameSurface(page, checksum), 'the same predictions after a reload');

  const downloads = [];
  page.on('download', (d) => downloads.push(d));
  await page.click('#download');
  await page.waitForFunction(() => /Downloaded/.test(window.playground.modelsStatus ?? ''));
  for (let i = 0; i < 50 && downloads.length < 2; i++) await page.waitForTimeout(100);
  assert.deepEqual(downloads.map((d) => d.suggestedFilename()).sort(), ['my-network.json', 'my-network.weights.bin']);
  const dir = mkdtempSync(join(tmpdir(), 'dlp-files-'));
  const paths = [];
  for (const d of downloads) {
    const path = join(dir, d.suggestedFilename());
    await d.saveAs(path);
    paths.push(path);
  }
  await page.setInputFiles('#upload', paths);
  await page.waitForFunction(() => /Loaded my-network/.test(window.playground.modelsStatus ?? ''));
  assert.ok(await sameSurface(page, checksum), 'the same predictions from the files');

  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{"modelTopology": {"class_name": "Sequential"');
  await page.setInputFiles('#upload', [broken, paths.find((p) => p.endsWith('.bin'))]);
  await page.waitForFunction(() => /not valid JSON/.test(window.playground.modelsStatus ?? ''));
  assert.match(await status(page), /model file: model.json is not valid JSON/);
  assert.equal(await page.evaluate(() => window.playground.app.surfaceChecksum), checksum, 'the current network stays');

  await page.click('#share');
  await page.waitForFunction(() => window.playground.sharedLink);
  const link = await page.evaluate(() => window.playground.sharedLink);
  assert.match(link, /#model=[A-Za-z0-9_-]+$/);
  const other = await context.newPage();
  await other.goto(link);
  await other.waitForFunction(() => window.playground?.loadedFromLink, null, { timeout: 30000 });
  assert.match(await other.textContent('.panel-train .status'), /Loaded a trained network from the link/);
  assert.ok(await sameSurface(other, checksum), 'the same predictions from the link');
  // The loaded network shows in the builder and trains on.
  assert.deepEqual(await other.evaluate(() => window.playground.app.state.layers.map((l) => l.units)), [4, 2, 1]);
  await other.click('.btn-train');
  await other.waitForFunction(() => window.playground.app.trainState === 'done', null, { timeout: 60000 });
  await page.screenshot({ path: `${root}build/page-models.png`, fullPage: true });

  await page.click('#delete-browser');
  await page.waitForFunction(() => /Deleted 'my circle'/.test(window.playground.modelsStatus ?? ''));
  assert.deepEqual(await page.$$eval('#saved-list option', (o) => o.length), 0);
  assert.deepEqual(problems, []);
  await context.close();
});
