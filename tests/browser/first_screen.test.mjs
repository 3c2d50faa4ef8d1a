// The page's first screen at a laptop's, a small laptop's and a phone's size: the Train
// controls with their figures, the network view, the charts and the live output (decision
// boundary on a 2D set, drawing pad on MNIST) are in view without scrolling, all of them on
// the wider screens, the Train button and the live output on a phone. Screenshots of each
// go to build/screenshots/first-screen-*.png.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { harnessForFile, openPlayground, shots } from './harness.mjs';

const harness = harnessForFile();

// Each named element's box, and whether it lies wholly inside the viewport.
async function inView(page, selectors) {
  return page.evaluate((list) => {
    const out = {};
    for (const [name, selector] of Object.entries(list)) {
      const element = document.querySelector(selector);
      const r = element?.getBoundingClientRect();
      out[name] =
        r && r.width > 0
          ? {
              box: [r.left, r.top, r.right, r.bottom].map(Math.round),
              whole: r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth,
            }
          : { box: null, whole: false };
    }
    return out;
  }, selectors);
}

const VIEWS = {
  train: '.btn-train',
  figures: '.panel-train .figures',
  network: '.panel-network canvas',
  charts: '.panel-charts .chart[data-chart="metric"]',
};

for (const [width, height] of [
  [1440, 900],
  [1024, 768],
]) {
  test(`at ${width}x${height} the controls, figures, network, charts and live output are all in the first screen`, async () => {
    for (const [query, output] of [
      ['?preset=small', '.panel-boundary canvas'],
      ['?preset=mlp', 'canvas.pad'],
    ]) {
      const { page, problems } = await openPlayground(harness, query, { width, height });
      const seen = await inView(page, { ...VIEWS, output });
      for (const [name, { box, whole }] of Object.entries(seen))
        assert.ok(whole, `${query} at ${width}x${height}: ${name} is at ${JSON.stringify(box)}, not wholly in view`);
      await page.screenshot({ path: `${shots}/first-screen-${width}-${query.slice(8)}.png` });
      assert.deepEqual(problems, []);
      await page.close();
    }
  });
}

test('on a phone (390x844) the Train button, the figures and the live output come first', async () => {
  for (const [query, output] of [
    ['?preset=small', '.panel-boundary canvas'],
    ['?preset=mlp', 'canvas.pad'],
  ]) {
    const { page, problems } = await openPlayground(harness, query, { width: 390, height: 844 });
    const seen = await inView(page, { train: VIEWS.train, figures: VIEWS.figures, output });
    for (const [name, { box, whole }] of Object.entries(seen))
      assert.ok(whole, `${query} on a phone: ${name} is at ${JSON.stringify(box)}, not wholly in view`);
    // Nothing is wider than the screen.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth));
    await page.screenshot({ path: `${shots}/first-screen-390-${query.slice(8)}.png` });
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test('the figures beside the buttons fill in as the network trains: epoch, losses, test accuracy, speed', async () => {
  const { page, problems } = await openPlayground(harness, '?preset=small&epochs=40&speed=full', {
    width: 1440,
    height: 900,
  });
  const figures = () =>
    page.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll('.panel-train .figure')].map((f) => [
          f.querySelector('.figure-label').textContent,
          f.querySelector('.figure-value').textContent,
        ]),
      ),
    );
  assert.deepEqual(await figures(), {
    epoch: '0',
    'training loss': '—',
    'test loss': '—',
    'test accuracy': '—',
    'samples/s': '—',
  });
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.trainState === 'done' && window.playground.app.evaluation);
  const after = await figures();
  const evaluation = await page.evaluate(() => window.playground.app.evaluation.result);
  assert.equal(after.epoch, '40');
  assert.equal(after['test loss'], evaluation.loss.toFixed(4));
  assert.equal(after['test accuracy'], `${(100 * evaluation.metrics.accuracy).toFixed(1)}%`);
  assert.match(after['training loss'], /^\d+\.\d{4}$/);
  assert.match(after['samples/s'], /^[\d,]+$/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the decision boundary is sampled at 100x100 points, drawn smooth with its colour scale, or discretized', async () => {
  const { page, problems } = await openPlayground(harness, '?preset=small&epochs=40&speed=full', {
    width: 1440,
    height: 900,
  });
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.trainState === 'done' && window.playground.app.evaluation);
  await page.waitForFunction(() => window.playground.app.surfaceDrawnFor === 'done');
  assert.equal(await page.evaluate(() => window.playground.app.lastSurface().length), 100 * 100);
  assert.deepEqual(
    await page.evaluate(() =>
      [...document.querySelectorAll('.panel-boundary .scale-labels span')].map((s) => s.textContent),
    ),
    ['class 0', 'p = 0.5', 'class 1'],
  );
  // The share of the canvas in its two commonest colours: the two classes' colours when
  // discretized (the points cover the rest), a small share when the boundary is smooth.
  const colours = () =>
    page.evaluate(() => {
      const canvas = document.querySelector('.panel-boundary canvas');
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      const counts = new Map();
      for (let i = 0; i < pixels.length; i += 4) {
        const key = `${pixels[i]},${pixels[i + 1]},${pixels[i + 2]}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const top = [...counts.values()].sort((x, y) => y - x);
      return (top[0] + (top[1] ?? 0)) / (pixels.length / 4);
    });
  const smooth = await colours();
  await page.check('.panel-boundary label:has-text("discretize") input');
  await page.waitForFunction(() => window.playground.app.surfaceDrawnFor !== null);
  await page.waitForTimeout(300);
  const discrete = await colours();
  assert.ok(smooth < 0.6, `smooth boundary: ${smooth} of the canvas in two colours`);
  assert.ok(discrete > 0.75, `discretized boundary: ${discrete} of the canvas in two colours`);
  await page.screenshot({ path: `${shots}/boundary-discretized.png` });
  assert.deepEqual(problems, []);
  await page.close();
});

test('on a 2D set the network view draws every input and unit as a heatmap over the plane, enlarged under the pointer', async () => {
  const { page, problems } = await openPlayground(
    harness,
    '?data=xor&layers=dense-5-tanh~dense-3-relu~dense-1-sigmoid&epochs=40&speed=full',
    { width: 1440, height: 900 },
  );
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.trainState === 'done' && window.playground.app.evaluation);
  // 2 inputs, 5 + 3 hidden units and the output.
  await page.waitForFunction(() => window.playground.app.networkTiles === 11);
  assert.equal(await page.isHidden('.node-zoom'), true);
  const box = await page.locator('.panel-network canvas').first().boundingBox();
  // The first input's square: the left column, upper of two.
  const input = await page.evaluate(() => {
    const c = document.querySelector('.panel-network canvas');
    return { scale: c.getBoundingClientRect().width / c.width };
  });
  await page.mouse.move(box.x + 30 * input.scale, box.y + box.height * 0.3);
  await page.waitForSelector('.node-zoom:not([hidden])');
  assert.match(await page.textContent('.node-zoom-label'), /^input x\d$/);
  await page.mouse.move(box.x + box.width - 5, box.y + 5);
  await page.waitForSelector('.node-zoom', { state: 'hidden' });
  await page.screenshot({ path: `${shots}/network-unit-heatmaps.png` });
  assert.deepEqual(problems, []);
  await page.close();
});

test('input features switch on and off in the network view, change the input shape and stay in the address', async () => {
  const { page, problems } = await openPlayground(harness, '?preset=small', { width: 1440, height: 900 });
  assert.equal(await page.isDisabled('[aria-label="feature x1"]'), false);
  await page.check('[aria-label="feature x1*x2"]');
  await page.waitForFunction(() => window.playground.app.data?.inputShape[0] === 3 && window.playground.app.model);
  assert.deepEqual(await page.evaluate(() => window.playground.app.state.features), ['x1', 'x2', 'x1*x2']);
  assert.match(decodeURIComponent(page.url()), /features=x1,x2,x1\*x2/);
  assert.match(await page.textContent('.panel-model .totals'), /Input \(None, 3\)/);
  // The last one on cannot be switched off.
  await page.uncheck('[aria-label="feature x1"]');
  await page.uncheck('[aria-label="feature x2"]');
  await page.waitForFunction(() => window.playground.app.state.features.join() === 'x1*x2');
  assert.equal(await page.isDisabled('[aria-label="feature x1*x2"]'), true);
  // The address brings the same features back, and the JavaScript code uses them.
  const copy = await openPlayground(harness, page.url(), { width: 1440, height: 900 });
  assert.deepEqual(await copy.page.evaluate(() => window.playground.app.state.features), ['x1*x2']);
  await copy.page.click('.panel-code summary >> nth=1');
  assert.match(await copy.page.textContent('.panel-code pre >> nth=1'), /features: \['x1\*x2'\]/);
  assert.deepEqual([...problems, ...copy.problems], []);
  await Promise.all([page.close(), copy.page.close()]);
});

test('+ and − in the network view change a hidden layer’s units and add or remove hidden layers in place', async () => {
  const { page, problems } = await openPlayground(harness, '?preset=small', { width: 1440, height: 900 });
  const units = () => page.evaluate(() => window.playground.app.state.layers.map((l) => l.units));
  assert.deepEqual(await units(), [4, 2, 1]);
  await page.click('[aria-label="more units in layer 1"]');
  await page.waitForFunction(() => window.playground.app.state.layers[0].units === 5 && window.playground.app.model);
  await page.click('[aria-label="fewer units in layer 2"]');
  await page.waitForFunction(() => window.playground.app.state.layers[1].units === 1 && window.playground.app.model);
  assert.equal(await page.isDisabled('[aria-label="fewer units in layer 2"]'), true);
  await page.click('[aria-label="add a hidden layer"]');
  await page.waitForFunction(() => window.playground.app.state.layers.length === 4 && window.playground.app.model);
  assert.deepEqual(await units(), [5, 1, 1, 1]);
  await page.click('[aria-label="remove the last hidden layer"]');
  await page.click('[aria-label="remove the last hidden layer"]');
  await page.waitForFunction(() => window.playground.app.state.layers.length === 2 && window.playground.app.model);
  assert.deepEqual(await units(), [5, 1]);
  assert.match(page.url(), /layers=dense-5-tanh~dense-1-sigmoid/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the speed control paces training so that the boundary can be watched changing', async () => {
  const { page, problems } = await openPlayground(harness, '?preset=small&epochs=40', { width: 1440, height: 900 });
  await page.selectOption('[aria-label="training speed"]', '10');
  assert.equal(await page.evaluate(() => window.playground.app.pace), 10);
  assert.match(page.url(), /speed=10/);
  // Each redraw of the boundary changes its checksum; count them for two seconds.
  await page.evaluate(() => {
    window.redraws = new Set();
    window.playground.app.addEventListener('unit-maps', () =>
      window.redraws.add(window.playground.app.surfaceChecksum),
    );
  });
  await page.click('.btn-train');
  await page.waitForTimeout(2000);
  const { batches, redraws } = await page.evaluate(() => ({
    batches: window.playground.app.run.x.length,
    redraws: window.redraws.size,
  }));
  assert.ok(batches >= 12 && batches <= 26, `${batches} batches in 2 s at 10 batches/s`);
  assert.ok(redraws >= 6, `the boundary was drawn ${redraws} different ways in 2 s`);
  // Full speed again: the rest of the 40 epochs (1,000 batches) goes in well under a minute.
  await page.selectOption('[aria-label="training speed"]', 'full');
  await page.waitForFunction(() => window.playground.app.trainState === 'done', null, { timeout: 60000 });
  assert.deepEqual(problems, []);
  await page.close();
});

test('clicking a line of the network view edits the weight it stands for', async () => {
  const { page, problems } = await openPlayground(harness, '?preset=small', { width: 1440, height: 900 });
  await page.waitForFunction(() => window.playground.app.networkEdges.length === 4 * 2 + 2 * 4 + 2 * 1);
  const edge = await page.evaluate(() => {
    const e = window.playground.app.networkEdges.find((x) => x.i === 1 && x.j === 2 && x.layer === 'dense');
    const c = document.querySelector('.panel-network canvas');
    const r = c.getBoundingClientRect();
    const scale = r.width / c.width;
    return { ...e, px: r.left + ((e.x0 + e.x1) / 2) * scale, py: r.top + ((e.y0 + e.y1) / 2) * scale };
  });
  await page.mouse.click(edge.px, edge.py);
  await page.waitForSelector('.weight-editor:not([hidden])');
  assert.match(await page.textContent('.weight-editor'), /dense kernel\[1, 2\]/);
  await page.fill('[aria-label="weight value"]', '1.5');
  await page.click('.weight-editor button[type=submit]');
  await page.waitForSelector('.weight-editor', { state: 'hidden' });
  const value = await page.evaluate(async () => {
    const weights = await window.playground.app.model.getWeights();
    const kernel = weights.find((w) => w.layer === 'dense' && w.name === 'kernel');
    return kernel.values[1 * kernel.shape[1] + 2];
  });
  assert.equal(value, 1.5);
  assert.deepEqual(problems, []);
  await page.close();
});

// The boundary canvas' pixels, summed per colour channel: a cheap fingerprint of what it shows.
const boundaryPixels = (page) =>
  page.evaluate(() => {
    const canvas = document.querySelector('.panel-boundary canvas');
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let sum = 0;
    for (let i = 0; i < pixels.length; i += 4) sum += pixels[i] * 3 + pixels[i + 1] * 5 + pixels[i + 2] * 7;
    return sum;
  });

test('on a 2D set training runs until paused, paced so that the boundary changes several times a second', async () => {
  const { page, problems } = await openPlayground(harness, '?data=circle', { width: 1440, height: 900 });
  const settings = await page.evaluate(() => ({
    epochs: window.playground.app.state.epochs,
    speed: window.playground.app.state.speed,
    forever: document.querySelector('.until-paused').checked,
    speedShown: document.querySelector('[aria-label="training speed"]').value,
  }));
  assert.deepEqual(settings, { epochs: 0, speed: '300', forever: true, speedShown: '300' });
  await page.click('.btn-train');
  // Sampled every 250 ms for 3 s: the boundary's pixels differ from one sample to the next.
  const samples = [];
  for (let i = 0; i < 12; i++) {
    await page.waitForTimeout(250);
    samples.push(await boundaryPixels(page));
  }
  const changes = samples.slice(1).filter((v, i) => v !== samples[i]).length;
  assert.ok(changes >= 8, `the boundary changed in ${changes} of 11 quarter-seconds`);
  // Paced at 300 batches/s: about 900 batches in 3 s, not the engine's tens of thousands.
  const { batches, state, epoch } = await page.evaluate(() => ({
    batches: window.playground.app.run.x.length,
    state: window.playground.app.trainState,
    epoch: document.querySelector('.figure-epoch .figure-value').textContent,
  }));
  assert.equal(state, 'training');
  assert.ok(batches > 300 && batches < 1500, `${batches} batches in about 3 s at 300 batches/s`);
  assert.ok(Number(epoch) > 10, `epoch ${epoch} shown`);
  // The test figures follow each epoch while the run goes on.
  assert.match(await page.textContent('.figure-test-loss .figure-value'), /^\d+\.\d{4}$/);
  assert.match(await page.textContent('.figure-test-metric .figure-value'), /^\d+\.\d%$/);
  await page.click('.btn-pause');
  await page.waitForFunction(() => window.playground.app.trainState === 'paused' && window.playground.app.evaluation);
  // Unticking "until paused" trains for a number of epochs; the address says so.
  await page.uncheck('.until-paused');
  await page.waitForFunction(() => window.playground.app.state.epochs === 40);
  assert.match(page.url(), /epochs=40/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('sliders set the share of training data, the noise and the batch size; Regenerate makes new points', async () => {
  const { page, problems } = await openPlayground(harness, '?data=gaussians', { width: 1440, height: 900 });
  const counts = () => page.evaluate(() => [window.playground.app.data.train.n, window.playground.app.data.test.n]);
  assert.deepEqual(await counts(), [250, 250]);
  const set = (label, value) =>
    page.$eval(
      `[aria-label="${label}"]`,
      (input, v) => {
        input.value = String(v);
        input.dispatchEvent(new Event('input'));
        input.dispatchEvent(new Event('change'));
      },
      value,
    );
  await set('ratio', 80);
  await page.waitForFunction(() => window.playground.app.data?.train.n === 400 && window.playground.app.model);
  assert.deepEqual(await counts(), [400, 100]);
  assert.match(page.url(), /ratio=80/);
  await set('batchSize', 25);
  await page.waitForFunction(() => window.playground.app.state.batchSize === 25 && window.playground.app.model);
  assert.equal(await page.inputValue('.panel-settings input[step="1"][min="1"][max="4096"]'), '25');
  const before = await page.evaluate(() => window.playground.app.data.train.x.slice(0, 4).join());
  await set('noise', 0.3);
  await page.waitForFunction(() => window.playground.app.state.noise === 0.3 && window.playground.app.model);
  const noisy = await page.evaluate(() => window.playground.app.data.train.x.slice(0, 4).join());
  assert.notEqual(noisy, before);
  await page.click('.btn-regenerate');
  await page.waitForFunction(() => window.playground.app.state.seed === 2 && window.playground.app.model);
  assert.notEqual(await page.evaluate(() => window.playground.app.data.train.x.slice(0, 4).join()), noisy);
  assert.match(page.url(), /seed=2/);
  assert.deepEqual(problems, []);
  await page.close();
});
