// Looking inside a network on MNIST, on the page: each convolution layer's activation maps
// follow the drawing as it is drawn (in the network view and in "What the layers see"); a
// click on a map shows one of its values worked out from the input patch, the kernel and
// the bias, equal to the engine's; the first Dense layer's weights have a colour scale and
// a larger view; saliency as the gradient, SmoothGrad and gradient × input. And a
// TensorFlow Playground address opening the same setup. Screenshots go to build/screenshots/.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { harnessForFile, openPlayground, shots } from './harness.mjs';

const harness = harnessForFile();

// A small CNN (two convolutions, the second with stride 2 and same padding) that builds fast.
const SMALL_CNN =
  '?preset=cnn&layers=conv2d-8-3-1-valid-relu~conv2d-16-3-2-same-relu~maxPooling2d-2-2-valid~flatten~dense-10-softmax';

// Sums of every convolution layer's maps for the image the views look at, and the source.
const probe = (page) =>
  page.evaluate(() => {
    const p = window.playground.app.probeMaps;
    return {
      source: p.source.kind,
      sums: p.maps.filter((m) => m.shape.length === 4).map((m) => m.values.reduce((a, b) => a + b, 0)),
    };
  });

// The pixels of the maps drawn in "What the layers see", summed.
const mapPixels = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('.panel-filters .maps canvas')].reduce((total, c) => {
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let sum = 0;
      for (let i = 0; i < data.length; i += 4) sum += data[i];
      return total + sum;
    }, 0),
  );

test('as a digit is drawn, every convolution layer’s activation maps follow it, live', async () => {
  const { page, problems } = await openPlayground(harness, SMALL_CNN, { width: 1440, height: 900 });
  await page.waitForFunction(() => window.playground.app.probeMaps);
  const start = await probe(page);
  assert.equal(start.source, 'test');
  assert.equal(start.sums.length, 3, 'two convolutions and the pooling layer');
  // The network view draws the input and the maps of each layer of maps as squares.
  assert.ok((await page.evaluate(() => window.playground.app.networkTiles)) >= 1 + 8 + 8 + 8);
  const pixelsBefore = await mapPixels(page);
  const box = await page.locator('canvas.pad').boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.45, { steps: 6 });
  await page.waitForFunction(() => window.playground.app.probeMaps.source.kind === 'drawing');
  await page.waitForTimeout(300);
  const half = await probe(page);
  // Still drawing: the stroke goes on, and the maps follow before the pointer is lifted.
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.85, { steps: 6 });
  await page.waitForFunction(
    (sums) =>
      window.playground.app.probeMaps.maps.find((m) => m.shape.length === 4).values.reduce((a, b) => a + b, 0) !==
      sums[0],
    half.sums,
  );
  const whole = await probe(page);
  await page.mouse.up();
  assert.equal(half.source, 'drawing');
  for (let k = 0; k < 3; k++) assert.notEqual(whole.sums[k], half.sums[k], `layer ${k} followed the stroke`);
  await page.waitForFunction((before) => {
    const canvases = [...document.querySelectorAll('.panel-filters .maps canvas')];
    return canvases.length > 0 && window.playground.app.mapsShownFor === 'drawing';
  }, pixelsBefore);
  assert.notEqual(await mapPixels(page), pixelsBefore, 'the maps drawn changed');
  assert.match(await page.textContent('.panel-network p.hint'), /your drawing/);
  await page.screenshot({ path: `${shots}/live-conv-maps.png` });
  assert.deepEqual(problems, []);
  await page.close();
});

test('clicking a map shows one output worked out from patch, kernel and bias, equal to the engine’s', async () => {
  const { page, problems } = await openPlayground(harness, SMALL_CNN, { width: 1440, height: 900 });
  await page.waitForFunction(() => document.querySelectorAll('.panel-filters .maps canvas').length === 8 + 16);
  const agree = async () => {
    const shown = await page.evaluate(() => window.playground.app.unitDetailShown);
    assert.ok(shown, 'the detail is shown');
    assert.ok(Math.abs(shown.computed - shown.engine) < 1e-4, JSON.stringify(shown));
    return shown;
  };
  // The first convolution on test image 0: the position where filter 3 responds most.
  await page.click('.panel-filters .conv-layer >> nth=0 >> .maps canvas >> nth=2');
  await page.waitForFunction(() => window.playground.app.unitDetailShown?.f === 2);
  const first = await agree();
  assert.equal(first.layer, 'conv2d');
  assert.ok(first.engine > 0, 'the strongest response of a ReLU map on a digit is positive');
  assert.match(await page.textContent('.unit-detail h3'), /conv2d, filter 3: the output at row \d+, column \d+/);
  assert.equal(await page.locator('.unit-detail table.numbers').count(), 3, 'patch, kernel and products');
  assert.match(await page.textContent('.unit-detail .equation'), /sum of the 9 products .* \+ bias .* relu\(/);
  await page.locator('.unit-detail').screenshot({ path: `${shots}/conv-unit-detail.png` });
  // The second (stride 2, same padding, 8 input channels); then a corner, where padding counts.
  await page.click('.panel-filters .conv-layer >> nth=1 >> .maps canvas >> nth=5');
  await page.waitForFunction(() => window.playground.app.unitDetailShown?.layer === 'conv2d_1');
  await agree();
  assert.match(await page.textContent('.unit-detail .equation'), /sum of the 72 products/);
  const map = await page.locator('.detail-map').boundingBox();
  await page.mouse.click(map.x + map.width - 3, map.y + 3);
  await page.waitForFunction(() => window.playground.app.unitDetailShown?.row === 0);
  const corner = await agree();
  assert.deepEqual([corner.row, corner.col], [0, 12]);
  // The same for the drawing.
  await page.locator('canvas.pad').scrollIntoViewIfNeeded();
  const pad = await page.locator('canvas.pad').boundingBox();
  await page.mouse.move(pad.x + pad.width * 0.3, pad.y + pad.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(pad.x + pad.width * 0.7, pad.y + pad.height * 0.5, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(() => window.playground.app.probeMaps.source.kind === 'drawing');
  await page.waitForFunction(() => /your drawing/.test(document.querySelector('.unit-detail figcaption').textContent));
  await agree();
  assert.deepEqual(problems, []);
  await page.close();
});

test('the first Dense layer’s weights have a colour scale and a larger view on click', async () => {
  const { page, problems } = await openPlayground(harness, '?preset=mlp', { width: 1440, height: 900 });
  await page.waitForFunction(() => document.querySelectorAll('.panel-filters .pictures canvas').length === 32);
  assert.deepEqual(
    await page.evaluate(() =>
      [...document.querySelectorAll('.panel-filters .scale-labels span')].map((s) => s.textContent),
    ),
    ['− subtracts', '0', '+ adds'],
  );
  assert.equal(await page.isHidden('.weights-zoomed'), true);
  await page.click('.panel-filters .pictures canvas >> nth=4');
  await page.waitForSelector('.weights-zoomed:not([hidden])');
  assert.match(await page.textContent('.weights-zoomed figcaption'), /^dense unit 5: weights from -0\.\d+ to 0\.\d+/);
  const size = await page.locator('.weights-zoom').boundingBox();
  assert.ok(size.width >= 200, `the larger view is ${size.width} px wide`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('saliency on a chosen image: SmoothGrad is the mean gradient of noisy copies, beside the gradient and gradient × input', async () => {
  const { page, problems } = await openPlayground(harness, '?preset=mlp', { width: 1440, height: 900 });
  await page.click('.btn-train');
  await page.waitForFunction(
    () => window.playground.app.trainState === 'done' && window.playground.app.saliencyShown,
    null,
    {
      timeout: 180000,
    },
  );
  const shown = await page.evaluate(() => window.playground.app.saliencyShown);
  assert.equal(shown.index, 0);
  // SmoothGrad is the mean of the gradients of the noisy copies (the same seeded draws),
  // worked out here one copy at a time; it is not the plain gradient.
  const check = await page.evaluate(async () => {
    const dl = await import('/lib/index.js');
    const { noisyCopies, SMOOTH_SAMPLES } = await import('/src/playground/saliency.js');
    const app = window.playground.app;
    const { output, smoothGrad, gradient, seed } = app.saliencyShown;
    const x = Float32Array.from(app.data.testImage(0), (v) => v / 255);
    const copies = noisyCopies(x, { seed });
    const mean = new Float32Array(784);
    for (let k = 0; k < SMOOTH_SAMPLES; k++) {
      const t = dl.tensor(copies.subarray(k * 784, (k + 1) * 784), [1, 28, 28, 1]);
      const g = (await app.model.saliency(t, output)).values;
      t.dispose();
      for (let p = 0; p < 784; p++) mean[p] += g[p] / SMOOTH_SAMPLES;
    }
    let worst = 0;
    let differs = 0;
    for (let p = 0; p < 784; p++) {
      worst = Math.max(worst, Math.abs(Math.abs(mean[p]) - smoothGrad[p]));
      differs = Math.max(differs, Math.abs(smoothGrad[p] - gradient[p]));
    }
    return { worst, differs, scale: Math.max(...smoothGrad) };
  });
  assert.ok(
    check.worst < 1e-4 * check.scale,
    `SmoothGrad against the mean of the copies' gradients: ${JSON.stringify(check)}`,
  );
  assert.ok(check.differs > 0.01 * check.scale, 'SmoothGrad is not the plain gradient');
  const captions = await page.evaluate(() =>
    [...document.querySelectorAll('figure.saliency figcaption strong')].map((s) => s.textContent),
  );
  assert.deepEqual(captions, ['The image', 'Gradient:', 'SmoothGrad:', 'Gradient × input:']);
  // Another image from the gallery.
  await page.click('.gallery button >> nth=3');
  await page.waitForFunction(() => window.playground.app.saliencyShown.index === 3);
  await page.locator('.saliency-row').screenshot({ path: `${shots}/saliency.png` });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a TensorFlow Playground address opens the same network, data and settings here', async () => {
  const hash =
    '#activation=relu&batchSize=20&dataset=xor&regDataset=reg-plane&learningRate=0.1&regularizationRate=0' +
    '&noise=10&networkShape=5,3&seed=0.42&showTestData=true&discretize=true&percTrainData=60&x=true&y=true' +
    '&xTimesY=true&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false' +
    '&collectStats=false&problem=classification&initZero=false&hideText=false';
  const { page, problems } = await openPlayground(harness, `/${hash}`, { width: 1440, height: 900 });
  const state = await page.evaluate(() => window.playground.app.state);
  assert.equal(state.data, 'xor');
  assert.deepEqual(
    state.layers.map((l) => `${l.units}-${l.activation}`),
    ['5-relu', '3-relu', '1-sigmoid'],
  );
  assert.deepEqual(state.features, ['x1', 'x2', 'x1*x2']);
  assert.deepEqual(
    [state.optimizer, state.learningRate, state.batchSize, state.noise, state.ratio, state.showTest, state.discretize],
    ['sgd', 0.1, 20, 0.1, 60, true, true],
  );
  assert.equal(await page.evaluate(() => window.playground.app.data.train.n), 300);
  // The address is now this page's own, and says what came over and how it differs.
  assert.equal(new URL(page.url()).hash, '');
  assert.match(page.url(), /data=xor/);
  assert.match(await page.textContent('#url-problems'), /Opened TensorFlow Playground's setup/);
  assert.equal(await page.getAttribute('#url-problems', 'class'), 'notice');
  assert.equal(await page.isChecked('.panel-boundary label:has-text("discretize") input'), true);
  // It trains (until paused, as there).
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.run?.x.length > 50);
  await page.click('.btn-pause');
  assert.deepEqual(problems, []);
  await page.close();
});

test('what the network wants to see: one picture per class from noise, each making its class likely, renewed after each epoch', async () => {
  const { page, problems } = await openPlayground(harness, '?preset=mlp&epochs=2', { width: 1440, height: 900 });
  await page.click('text=Show what they look like');
  // Untrained: the pictures come, with whatever the network makes of them.
  await page.waitForFunction(() => window.playground.app.dreamsShown?.probabilities.length === 10, null, {
    timeout: 60000,
  });
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.trainState === 'done');
  await page.waitForFunction(() => window.playground.app.dreamsShown?.epoch === 2, null, { timeout: 60000 });
  const { probabilities } = await page.evaluate(() => window.playground.app.dreamsShown);
  const sure = probabilities.filter((p) => p > 0.9).length;
  assert.ok(sure >= 9, `classes above 90%: ${sure} (${probabilities.map((p) => p.toFixed(2))})`);
  assert.equal(await page.locator('.dreams canvas').count(), 10);
  await page.locator('.dreams').screenshot({ path: `${shots}/what-the-network-wants.png` });
  assert.deepEqual(problems, []);
  await page.close();
});

test('what a convolution layer’s filters want to see: one picture per filter, chosen in the same section', async () => {
  const { page, problems } = await openPlayground(harness, '?preset=cnn', { width: 1440, height: 900 });
  const options = await page.evaluate(() =>
    [...document.querySelectorAll('[aria-label="pictures of"] option')].map((o) => o.textContent),
  );
  assert.deepEqual(options, [
    'each class (the output)',
    'the filters of layer 1 (conv2d, 32 filters)',
    'the filters of layer 2 (conv2d, 64 filters)',
  ]);
  await page.selectOption('[aria-label="pictures of"]', '0');
  await page.click('text=Show what they look like');
  await page.waitForFunction(() => window.playground.app.dreamsShown?.target === '0', null, { timeout: 90000 });
  const { values } = await page.evaluate(() => window.playground.app.dreamsShown);
  assert.equal(values.length, 16, 'the first 16 filters');
  assert.ok(values.filter((v) => v > 0.05).length >= 4, `filters that respond: ${values.map((v) => v.toFixed(2))}`);
  assert.equal(await page.locator('.dreams canvas').count(), 16);
  assert.match(await page.textContent('.dreams + [role=status]'), /what makes its filter respond most/);
  await page.locator('.dreams').screenshot({ path: `${shots}/what-the-filters-want.png` });
  assert.deepEqual(problems, []);
  await page.close();
});
