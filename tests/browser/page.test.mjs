// The page in real headless Chromium: the engine loads on the page and in a Web Worker,
// the small MLP trains on the circle data and its loss falls.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { openPage, root, startHarness } from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

test('the page trains an MLP in a worker and the loss falls', async () => {
  const { page, problems } = await openPage(harness);
  await page.waitForFunction(() => window.playground?.state === 'ready', null, { timeout: 30000 });
  assert.match(await page.textContent('#status'), /WebAssembly SIMD on/);
  await page.click('#train');
  await page.waitForFunction(() => ['done', 'error'].includes(window.playground.state), null, { timeout: 60000 });
  const { state, losses } = await page.evaluate(() => ({
    state: window.playground.state,
    losses: window.playground.losses,
  }));
  assert.equal(state, 'done', await page.textContent('#status'));
  assert.equal(losses.length, 60);
  assert.ok(losses.at(-1) < losses[0] * 0.5, `loss went from ${losses[0]} to ${losses.at(-1)}`);
  assert.match(await page.textContent('#status'), /accuracy (9\d|100)\.\d%/);
  assert.match(await page.textContent('#summary'), /dense_2 \(Dense\)/);
  await page.screenshot({ path: `${root}build/page.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the engine also loads on the page itself and reports errors as Error objects', async () => {
  const { page } = await openPage(harness);
  await page.addScriptTag({ url: 'engine/dl_engine.js' });
  const result = await page.evaluate(async () => {
    const E = await createEngine({ locateFile: (f) => `engine/${f}` });
    const m = new E.Model(JSON.stringify({ layers: [{ type: 'dense', units: 3, inputShape: [2] }] }));
    const x = new E.Tensor([1, 2]);
    x.write(new Float32Array([1, 2]), 0);
    const p = m.predict(x, 8);
    const wide = new E.Tensor([1, 3]);
    let message = null;
    try {
      m.predict(wide, 8);
    } catch (e) {
      message = e instanceof Error ? e.message : `not an Error: ${e}`;
    }
    m.delete();
    return { shape: p.shape, message };
  });
  assert.deepEqual(result.shape, [1, 3]);
  assert.match(result.message, /predict: x has shape \(1, 3\); the model expects \(None, 2\)/);
  await page.close();
});

test('MNIST downloads with a progress bar and the MLP trains on it in the browser', async () => {
  const { page, problems } = await openPage(harness);
  await page.waitForFunction(() => window.playground?.state === 'ready', null, { timeout: 30000 });
  await page.click('#mnist-load');
  await page.waitForFunction(() => ['loaded', 'error'].includes(window.playground.mnist.state), null, {
    timeout: 60000,
  });
  assert.match(await page.textContent('#mnist-status'), /10,000 training and 2,000 test images loaded/);
  assert.equal(await page.$eval('#mnist-progress', (bar) => bar.value), 1);
  await page.click('#mnist-train');
  await page.waitForFunction(() => ['trained', 'error'].includes(window.playground.mnist.state), null, {
    timeout: 120000,
  });
  const accuracy = await page.evaluate(() => window.playground.mnist.accuracy);
  assert.ok(accuracy > 0.9, `${await page.textContent('#mnist-status')}`);
  await page.screenshot({ path: `${root}build/page-mnist.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a missing data folder gives a clear message and the rest of the page keeps working', async () => {
  const { page } = await openPage(harness, '?mnist=data/nowhere/');
  await page.waitForFunction(() => window.playground?.state === 'ready', null, { timeout: 30000 });
  await page.click('#mnist-load');
  await page.waitForFunction(() => window.playground.mnist.state === 'error', null, { timeout: 30000 });
  assert.match(
    await page.textContent('#mnist-status'),
    /MNIST: could not download manifest.json: the server answered 404 \(missing\)/,
  );
  assert.equal(await page.$eval('#mnist-load', (b) => b.disabled), false, 'loading can be tried again');
  await page.click('#train');
  await page.waitForFunction(() => ['done', 'error'].includes(window.playground.state), null, { timeout: 60000 });
  assert.equal(await page.evaluate(() => window.playground.state), 'done');
  await page.close();
});

test('when the engine dies the page says so, restarts it without a reload and keeps its address', async () => {
  const { page } = await openPage(harness, '?mnist=data/mnist-subset/#kept');
  await page.waitForFunction(() => window.playground?.state === 'ready', null, { timeout: 30000 });
  const address = page.url();
  await page.evaluate(() => import('/lib/index.js').then((dl) => dl.trapEngineForTesting().catch(() => {})));
  await page.waitForFunction(() => window.playground.state === 'engine-failed', null, { timeout: 10000 });
  assert.equal(await page.isVisible('#engine-failure'), true);
  assert.match(await page.textContent('#engine-failure'), /The engine stopped: unreachable\. Your settings are kept/);
  await page.screenshot({ path: `${root}build/page-engine-failed.png`, fullPage: true });
  await page.click('#engine-restart');
  await page.waitForFunction(() => window.playground.state === 'ready', null, { timeout: 30000 });
  assert.equal(page.url(), address, 'the address, with its settings, survives');
  await page.click('#train');
  await page.waitForFunction(() => ['done', 'error'].includes(window.playground.state), null, { timeout: 60000 });
  assert.equal(await page.evaluate(() => window.playground.state), 'done', 'the fresh engine trains');
  await page.close();
});
