// The playground page in real headless Chromium: the MNIST MLP preset trains to 90%, the
// drawing pad predicts, the CNN preset trains, pauses and steps, the address reproduces a
// setup, divergence is reported, a broken stack is explained, the page fits a phone, the
// engine can die and come back; no console errors and no request to another origin.
// Screenshots of each state go to build/screenshots/.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { harnessForFile, openPlayground, shots } from './harness.mjs';

const harness = harnessForFile();

const open = (path, size) => openPlayground(harness, path, size);
const app = (page, f) => page.evaluate(f);
const trainState = (page) => app(page, () => window.playground.app.trainState);

// Draws a stroke on the pad with pointer events of the given type (mouse, pen or touch).
async function drawStroke(page, points, pointerType) {
  await page.locator('canvas.pad').scrollIntoViewIfNeeded();
  await page.evaluate(
    ({ points, pointerType }) => {
      const pad = document.querySelector('canvas.pad');
      const r = pad.getBoundingClientRect();
      const at = ([x, y]) => ({ clientX: r.left + (x * r.width) / 280, clientY: r.top + (y * r.height) / 280 });
      const fire = (type, p) =>
        pad.dispatchEvent(
          new PointerEvent(type, { bubbles: true, pointerId: 7, pointerType, isPrimary: true, ...at(p) }),
        );
      fire('pointerdown', points[0]);
      points.slice(1).forEach((p) => fire('pointermove', p));
      fire('pointerup', points.at(-1));
    },
    { points, pointerType },
  );
}

test('the MNIST MLP preset trains for one epoch to at least 90%, and the drawing pad predicts', async () => {
  const { page, problems } = await open();
  assert.equal(await app(page, () => window.playground.app.state.layers.length), 3, 'the MLP preset is the default');
  assert.match(await page.textContent('.panel-train .readouts'), /SIMD on/);
  await page.screenshot({ path: `${shots}/1-start.png`, fullPage: true });
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.testAccuracy !== undefined, null, { timeout: 180000 });
  const accuracy = await app(page, () => window.playground.app.testAccuracy);
  assert.ok(accuracy >= 0.9, `test accuracy after one epoch: ${accuracy}`);
  assert.match(await page.textContent('.panel-gallery [role=status]'), /Test accuracy 9\d\.\d\d% on 2,000 images/);
  assert.equal(await trainState(page), 'done');
  // The charts drew the batches and the epoch's validation.
  const run = await app(page, () => ({
    x: window.playground.app.run.x.length,
    v: window.playground.app.run.vx.length,
  }));
  assert.equal(run.x, 313, 'one point per batch (10,000 / 32)');
  assert.equal(run.v, 1, 'one validation point per epoch');
  assert.match(await page.textContent('.panel-train .readouts'), /[\d,]+ samples\/s/);
  // The confusion matrix lists a cell's images when clicked.
  await page.click('.confusion td.diag button >> nth=3');
  assert.match(await page.textContent('.panel-gallery h3'), /Images of 3 predicted as 3 \(\d+\)/);
  await page.screenshot({ path: `${shots}/2-mnist-trained.png`, fullPage: true });

  // A vertical stroke drawn with a mouse is a 1; the same with a finger (touch) too.
  const one = Array.from({ length: 20 }, (_, i) => [140, 40 + i * 10]);
  await drawStroke(page, one, 'mouse');
  await page.waitForFunction(() => window.playground.app.padPrediction, null, { timeout: 10000 });
  const first = await app(page, () => window.playground.app.padPrediction);
  assert.equal(first.probabilities.length, 10);
  assert.ok(Math.abs(first.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-4, 'probabilities sum to 1');
  assert.equal(first.digit, 1, `a vertical stroke is a 1: ${first.probabilities.map((p) => p.toFixed(2))}`);
  assert.match(await page.textContent('.answer'), /The model says 1/);
  await page.screenshot({ path: `${shots}/3-pad.png`, fullPage: true });
  await page.click('.panel-pad button');
  assert.equal(await app(page, () => window.playground.app.padPrediction), null, 'Clear empties the pad');
  // A zero drawn by touch: a ring.
  const ring = Array.from({ length: 40 }, (_, i) => [
    140 + 55 * Math.sin((i / 39) * 2 * Math.PI),
    140 - 85 * Math.cos((i / 39) * 2 * Math.PI),
  ]);
  await drawStroke(page, ring, 'touch');
  await page.waitForFunction(() => window.playground.app.padPrediction, null, { timeout: 10000 });
  assert.equal(await app(page, () => window.playground.app.padPrediction.digit), 0, 'a ring drawn by touch is a 0');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the CNN preset trains some batches, pauses, steps one batch and shows its filters and maps', async () => {
  const { page, problems } = await open();
  await page.selectOption('.panel-model select[aria-label=preset]', 'cnn');
  await page.waitForFunction(
    () => window.playground.app.state.layers[0]?.type === 'conv2d' && window.playground.app.model,
  );
  assert.match(await page.textContent('.panel-model .totals'), /8 layers · 1,199,882 parameters/);
  await page.click('.btn-train');
  await page.waitForFunction(() => (window.playground.app.run?.x.length ?? 0) >= 3, null, { timeout: 60000 });
  await page.click('.btn-pause');
  await page.waitForFunction(() => window.playground.app.trainState === 'paused');
  await page.waitForTimeout(300);
  const before = await app(page, () => window.playground.app.run.x.length);
  await page.click('.btn-step');
  await page.waitForFunction((n) => window.playground.app.run.x.length === n + 1, before, { timeout: 30000 });
  await page.waitForTimeout(500);
  assert.equal(await app(page, () => window.playground.app.run.x.length), before + 1, 'Step trains exactly one batch');
  assert.match(await page.textContent('.epoch'), new RegExp(`batch ${before + 1} of 79`));
  await page.waitForFunction(() => document.querySelectorAll('.conv-layer').length === 2, null, { timeout: 30000 });
  assert.match(await page.textContent('.conv-layers'), /conv2d: 32 filters, maps of 26×26/);
  assert.equal(
    await page.locator('.conv-layer >> nth=1').locator('canvas').count(),
    64,
    '32 filters and 32 maps drawn',
  );
  await page.screenshot({ path: `${shots}/4-cnn-paused.png`, fullPage: true });
  await page.click('.btn-train'); // Resume
  await page.waitForFunction(() => window.playground.app.trainState === 'training');
  await page.click('.btn-reset');
  await page.waitForFunction(
    () => window.playground.app.trainState === 'idle' && window.playground.app.runs.length === 1,
  );
  assert.deepEqual(problems, []);
  await page.close();
});

test('a 2D set trains with its decision boundary and a heatmap per hidden unit', async () => {
  const { page, problems } = await open('?preset=small&epochs=40&speed=full');
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.surfaceDrawnFor === 'done', null, { timeout: 60000 });
  await page.waitForFunction(() => window.playground.app.networkTiles === 2 + 4 + 2 + 1, null, { timeout: 10000 });
  const accuracy = await app(page, () => window.playground.app.testAccuracy);
  assert.ok(accuracy > 0.9, `circle test accuracy ${accuracy}`);
  // A second run with another learning rate stays on the chart as a labelled faint line.
  await page.fill('[aria-label="layer 1 units"]', '8');
  await page.press('[aria-label="layer 1 units"]', 'Tab');
  await page.waitForFunction(() => window.playground.app.model && window.playground.app.trainState === 'idle');
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.trainState === 'done', null, { timeout: 60000 });
  await page.waitForTimeout(300);
  assert.match(await page.textContent('.panel-charts'), /run 1.*training \(run 2: layers\)/s);
  await page.screenshot({ path: `${shots}/6-circle.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('divergence stops training and says so; a stack that cannot work is explained before training', async () => {
  const { page, problems } = await open('?preset=regression&optimizer=sgd&lr=10');
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.trainState === 'done', null, { timeout: 60000 });
  assert.match(await page.textContent('.panel-train .status'), /Training diverged: .*Try a lower learning rate/);
  await page.screenshot({ path: `${shots}/7-diverged.png`, fullPage: true });

  const broken = await open('?preset=small&layers=dense-4-tanh~conv2d-8-3-1-valid-relu~dense-1-sigmoid');
  assert.equal(await broken.page.locator('.layer.bad').count(), 1);
  assert.match(
    await broken.page.textContent('.layer.bad .layer-error'),
    /Conv2D.*expects images of shape \(None, height, width, channels\); got \(None, 4\)/,
  );
  assert.equal(await broken.page.isDisabled('.btn-train'), true, 'Train waits for a stack that works');
  // The layer before it shows its shape from the engine's one refused build.
  assert.match(await broken.page.textContent('.panel-model li.layer >> nth=0'), /\(None, 4\) · 12 params/);
  const wrongOutput = await open('?preset=mlp&layers=flatten~dense-3-softmax');
  assert.match(
    await wrongOutput.page.textContent('.panel-model .problem'),
    /The data has 10 classes; the last layer outputs 3 values/,
  );
  await broken.page.screenshot({ path: `${shots}/8-broken-stack.png`, fullPage: true });
  assert.deepEqual([...problems, ...broken.problems, ...wrongOutput.problems], []);
  await Promise.all([page, broken.page, wrongOutput.page].map((p) => p.close()));
});

test('at phone width nothing overflows sideways and every control has a name', async () => {
  const { page, problems } = await open('', { width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll('button, input, select')]
      .filter((e) => !e.closest('[hidden]'))
      .filter((e) => !(e.getAttribute('aria-label') || e.labels?.length || e.textContent.trim()))
      .map((e) => e.outerHTML.slice(0, 80)),
  );
  assert.deepEqual(unnamed, []);
  // Keyboard: Tab reaches the Train button.
  let reached = false;
  for (let i = 0; i < 80 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.classList.contains('btn-train'));
  }
  assert.ok(reached, 'Train is reachable with Tab');
  // Editing a layer with the keyboard keeps the place: Tab goes on to the next field.
  await page.focus('[aria-label="layer 2 units"]');
  await page.fill('[aria-label="layer 2 units"]', '64');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => window.playground.app.state.layers[1].units === 64 && window.playground.app.model);
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'layer 2 activation');
  await page.screenshot({ path: `${shots}/9-phone.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('when the engine dies the page says so, restarts it without a reload and keeps its address', async () => {
  const { page } = await open('?preset=small&epochs=40&speed=full#kept');
  const address = page.url();
  await page.evaluate(() => import('/lib/index.js').then((dl) => dl.trapEngineForTesting().catch(() => {})));
  await page.waitForFunction(() => window.playground.state === 'engine-failed', null, { timeout: 10000 });
  assert.match(await page.textContent('#engine-failure'), /The engine stopped: unreachable\. Your settings are kept/);
  assert.equal(await page.isDisabled('.btn-train'), true, 'nothing to train on a dead engine');
  assert.match(
    await page.textContent('.panel-train .status'),
    /The engine stopped: unreachable\. Your settings are kept/,
  );
  await page.screenshot({ path: `${shots}/10-engine-failed.png`, fullPage: true });
  // The Train panel's own restart button (widgets have no banner) revives the page too.
  await page.click('.btn-restart');
  await page.waitForFunction(() => window.playground.state === 'ready', null, { timeout: 30000 });
  assert.equal(page.url(), address, 'the address, with its settings, survives');
  assert.equal(await page.isVisible('#engine-failure'), false, 'the banner goes');
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.trainState === 'done', null, { timeout: 60000 });
  await page.close();
});

test('the engine also loads on the page itself and reports errors as Error objects', async () => {
  const { page } = await open();
  await page.addScriptTag({ url: 'engine/dl_engine.js' });
  const result = await page.evaluate(async () => {
    const { throwEngineErrors } = await import('/lib/engine_loader.js');
    const E = throwEngineErrors(await createEngine({ locateFile: (f) => `engine/${f}` }));
    const m = new E.Model(JSON.stringify({ layers: [{ type: 'dense', units: 3, inputShape: [2] }] }));
    const x = new E.Tensor([1, 2]);
    x.write(new Float32Array([1, 2]), 0);
    const p = m.predict(x, 8);
    let message = null;
    try {
      m.predict(new E.Tensor([1, 3]), 8);
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

test("the seeds' logits model (linear output, loss from logits) trains and the pad shows probabilities", async () => {
  const { page, problems } = await open(
    '?preset=mlp&layers=flatten~dense-64-relu~dense-64-relu~dense-10-linear&logits=true&lr=0.01',
  );
  assert.equal(await page.isChecked('.panel-settings input[type=checkbox]'), true);
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.testAccuracy !== undefined, null, { timeout: 120000 });
  const accuracy = await app(page, () => window.playground.app.testAccuracy);
  assert.ok(accuracy > 0.85, `accuracy ${accuracy}`);
  await drawStroke(
    page,
    Array.from({ length: 20 }, (_, i) => [140, 40 + i * 10]),
    'pen',
  );
  await page.waitForFunction(() => window.playground.app.padPrediction, null, { timeout: 10000 });
  const { probabilities } = await app(page, () => window.playground.app.padPrediction);
  assert.ok(
    probabilities.every((p) => p >= 0 && p <= 1),
    'softmax of the logits',
  );
  assert.ok(Math.abs(probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-4);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the full MNIST set (60,000 images) downloads with progress and the MLP preset reaches 95% in one epoch', async () => {
  const { page, problems } = await open();
  await page.selectOption('.panel-data select', 'mnistFull');
  await page.waitForFunction(
    () => window.playground.app.data?.name === 'mnistFull' && window.playground.app.model,
    null,
    {
      timeout: 60000,
    },
  );
  assert.match(await page.textContent('.panel-data'), /60,000 training and 10,000 test images/);
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.testAccuracy !== undefined, null, { timeout: 180000 });
  const accuracy = await app(page, () => window.playground.app.testAccuracy);
  assert.ok(accuracy >= 0.95, `accuracy ${accuracy}`);
  assert.equal(await app(page, () => window.playground.app.run.x.length), 1875, '60,000 / 32 batches');
  assert.deepEqual(problems, []);
  await page.close();
});

test('Step on a fresh network trains exactly one batch and leaves training paused', async () => {
  const { page, problems } = await open('?preset=small&epochs=40&speed=full');
  await page.click('.btn-step');
  await page.waitForFunction(() => window.playground.app.run?.x.length === 1, null, { timeout: 10000 });
  await page.waitForTimeout(300);
  assert.equal(await app(page, () => window.playground.app.run.x.length), 1);
  assert.equal(await trainState(page), 'paused');
  assert.equal(await page.textContent('.btn-train'), 'Resume');
  assert.match(await page.textContent('.epoch'), /epoch 1 of 40, batch 1 of 25/);
  // A new learning rate while paused applies to the running fit; nothing is rebuilt.
  await page.fill('.panel-settings input[id] >> nth=0', '0.02');
  await page.press('.panel-settings input[id] >> nth=0', 'Tab');
  await page.waitForFunction(() => window.playground.app.state.learningRate === 0.02);
  assert.ok(Math.abs((await app(page, () => window.playground.app.model.learningRate())) - 0.02) < 1e-7);
  assert.equal(await trainState(page), 'paused', 'still the same fit');
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.trainState === 'done', null, { timeout: 60000 });
  assert.equal(await app(page, () => window.playground.app.run.x.length), 1000, 'the rest of the 40 epochs');
  assert.deepEqual(problems, []);
  await page.close();
});

test('when the shared engine dies every widget on a page says so, and one restart brings all back', async () => {
  const page = await harness.browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(new URL('tutorial.html', harness.url).href);
  const ids = ['circle', 'mlp', 'cnn'];
  // Widgets start when they come near the screen.
  for (const id of ids) await page.locator(`#${id}`).scrollIntoViewIfNeeded();
  await page.waitForFunction((ids) => ids.every((id) => document.getElementById(id).app?.model), ids, {
    timeout: 60000,
  });
  await page.evaluate(() => import('/lib/index.js').then((dl) => dl.trapEngineForTesting().catch(() => {})));
  await page.waitForFunction((ids) => ids.every((id) => document.getElementById(id).app.engineDown), ids, {
    timeout: 10000,
  });
  for (const id of ids) {
    assert.equal(await page.isDisabled(`#${id} .btn-train`), true, id);
    assert.equal(await page.isVisible(`#${id} .btn-restart`), true, id);
  }
  await page.click('#mlp .btn-restart');
  await page.waitForFunction(
    (ids) => ids.every((id) => document.getElementById(id).app.model && !document.getElementById(id).app.engineDown),
    ids,
    { timeout: 60000 },
  );
  await page.click('#circle .btn-train');
  await page.waitForFunction(() => document.getElementById('circle').app.trainState === 'done', null, {
    timeout: 60000,
  });
  assert.deepEqual(problems, []);
  await page.close();
});
