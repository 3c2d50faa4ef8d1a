// Every core in real Chromium, on a page served without cross-origin isolation: the page's
// cores setting and readout; through the API, batches split between the engine's Web
// Worker and a helper Web Worker give the one-engine weights up to float sums, pause/step/
// stop work while split, and a helper worker that ends without a word is replaced by the
// leader (the weights stay those of one engine); two widgets on one page, sharing the
// engine, keep their own cores settings.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { harnessForFile, openPlayground } from './harness.mjs';

const harness = harnessForFile();

test('the page has a cores setting kept in the address, and the readout names the cores of the last batch', async () => {
  const { page, problems } = await openPlayground(harness, '?preset=small&epochs=5&speed=full');
  assert.equal(await page.evaluate(() => window.crossOriginIsolated), false, 'the page is not isolated');
  const machine = await page.evaluate(() => navigator.hardwareConcurrency);
  assert.equal(await page.inputValue('.cores-control'), 'auto');
  assert.match(await page.textContent('.cores-control'), new RegExp(`all ${machine} cores`));
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.trainState === 'done', null, { timeout: 60000 });
  assert.match(await page.textContent('.readout-cores'), /^\d+ cores?$/);
  await page.selectOption('.cores-control', '1');
  await page.waitForFunction(() => location.search.includes('cores=1'));
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.trainState === 'done', null, { timeout: 60000 });
  assert.equal(await page.textContent('.readout-cores'), '1 core');
  assert.deepEqual(problems, []);
  await page.close();
});

// Runs in the page: the library as the page loads it, a CNN with dropout on made-up images.
async function inPage(page, body) {
  return page.evaluate(`(async () => {
    const dl = await import('/lib/index.js');
    const { engine } = await import('/lib/engine.js');
    const n = 256;
    const x = dl.tensor(Float32Array.from({ length: n * 196 }, (_, i) => (Math.sin(i * 0.37) + 1) / 2), [n, 14, 14, 1]);
    const yv = new Float32Array(n * 4);
    for (let i = 0; i < n; i++) yv[i * 4 + (i % 4)] = 1;
    const y = dl.tensor(yv, [n, 4]);
    const make = () => {
      const model = dl.sequential({ seed: 2, layers: [
        { type: 'conv2d', filters: 8, kernelSize: 3, activation: 'relu', inputShape: [14, 14, 1] },
        { type: 'maxPooling2d', poolSize: 2 }, { type: 'dropout', rate: 0.25 }, { type: 'flatten' },
        { type: 'dense', units: 4, activation: 'softmax' }] });
      model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
      return model;
    };
    const flat = async (model) => (await model.getWeights()).flatMap((w) => Array.from(w.values));
    const largest = (a, b) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
    ${body}
  })()`);
}

test('in Web Workers, split batches equal one engine up to float sums; pause, step and stop work while split', async () => {
  const { page, problems } = await openPlayground(harness, '?preset=small');
  const result = await inPage(
    page,
    `const info = await dl.ready();
    const runs = {};
    for (const splitBatches of ['never', 'always']) {
      const model = make();
      const cores = [];
      await model.fit(x, y, { epochs: 3, batchSize: 64, splitBatches,
        callbacks: { onBatchEnd: (b, l, i) => cores.push(i.cores) } });
      runs[splitBatches] = { weights: await flat(model), cores };
      model.dispose();
    }
    const model = make();
    const fit = model.fit(x, y, { epochs: 5000, batchSize: 32, splitBatches: 'always', startPaused: true });
    while (!model.training) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    const first = await model.step();
    const second = await model.step();
    await model.resume();
    await new Promise((r) => setTimeout(r, 200));
    model.stop();
    const { history } = await fit;
    model.dispose();
    return { workers: info.workers, difference: largest(runs.always.weights, runs.never.weights),
      cores: [runs.never.cores, runs.always.cores], steps: [first.cores, second.batch - first.batch],
      epochs: history.loss.length };`,
  );
  assert.equal(result.workers, await page.evaluate(() => Math.min(navigator.hardwareConcurrency, 8)));
  assert.ok(result.workers >= 2, 'this test needs a machine with two cores');
  assert.ok(result.cores[0].every((c) => c === 1));
  assert.ok(result.cores[1].every((c) => c === result.workers));
  assert.ok(result.difference < 1e-4 && result.difference > 0, `largest difference ${result.difference}`);
  assert.deepEqual(result.steps, [result.workers, 1]);
  assert.ok(result.epochs < 5000, 'stop ended the fit');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a helper worker that ends without a word is replaced by the leader: the weights stay those of one engine', async () => {
  const { page, problems } = await openPlayground(harness, '?preset=small');
  const result = await inPage(
    page,
    `await dl.setWorkers(2);
    const alone = make();
    await alone.fit(x, y, { epochs: 4, batchSize: 64, splitBatches: 'never' });
    const model = make();
    const cores = [];
    await model.fit(x, y, { epochs: 4, batchSize: 64, splitBatches: 'always', callbacks: {
      onBatchEnd: (b, l, i) => { cores.push(i.cores); if (cores.length === 3) engine().helpers[0].terminate(); } } });
    const difference = largest(await flat(model), await flat(alone));
    return { difference, cores, after: await dl.setWorkers(2) };`,
  );
  assert.ok(result.difference < 1e-4, `largest difference ${result.difference}`);
  assert.equal(result.cores[0], 2);
  assert.equal(result.cores.at(-1), 1, 'the last batches ran on the leader alone');
  assert.equal(result.after, 2, 'new helpers start');
  assert.deepEqual(problems, []);
  await page.close();
});

test('two widgets on one page keep their own cores: the one set to 1 never splits while the one set to 2 does', async () => {
  const address = new URL('two_widgets.html', harness.url).href;
  const page = await harness.browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  // Vite's reload channel cannot reach its server from a page Vite did not serve: not ours.
  const viteChannel = /WebSocket connection to|\[vite\]/;
  page.on('console', (m) => m.type() === 'error' && !viteChannel.test(m.text()) && problems.push(m.text()));
  // A tutorial's page with two CNN widgets that train by themselves, on 1 and 2 cores.
  const widget = (id, cores) =>
    `<dl-playground id="${id}" preset="cnn" panels="train" cores="${cores}" autotrain></dl-playground>`;
  await page.route(address, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><meta charset="utf-8"><title>two widgets</title><link rel="icon" href="data:,">
        <script type="module" src="/src/embed/dl-playground.js"></script>
        <script>window.cores = { one: [], two: [] };
          for (const id of ['one', 'two']) addEventListener('dl-batch', (e) => e.target.id === id && window.cores[id].push(e.detail.cores), true);
        </script>${widget('one', 1)}${widget('two', 2)}`,
    }),
  );
  await page.goto(address);
  // The widget on 2 cores measures splitting over its first batches (3 of its first 8 split).
  await page.waitForFunction(() => window.cores.two.length >= 8 && window.cores.one.length >= 8, null, {
    timeout: 120000,
  });
  const cores = await page.evaluate(() => window.cores);
  assert.deepEqual([...new Set(cores.one)], [1], `widget one: ${cores.one}`);
  assert.ok(cores.two.includes(2), `widget two: ${cores.two}`);
  assert.deepEqual(problems, []);
  await page.close();
});
