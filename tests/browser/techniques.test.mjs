// The techniques panel on the page: early stopping, a learning-rate schedule (drawn on the
// loss chart), class weights, an imbalanced training set and resampling, set by hand or
// by the address, reach fit, show their effect and appear in the code views.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { harnessForFile, openPlayground, shots } from './harness.mjs';

const harness = harnessForFile();

test('from the address: the imbalanced set’s counts are shown, early stopping ends the run, the schedule’s rate is drawn', async () => {
  const { page, problems } = await openPlayground(
    harness,
    '?data=gaussians&noise=0.5&imbalance=1:10&epochs=60&speed=full&weights=balanced&stop=val_loss&patience=3&schedule=cosine_decay-300-0.1',
    { width: 1440, height: 900 },
  );
  assert.match(await page.textContent('.panel-techniques'), /Training samples per class: 0: 128, 1: 11\./);
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.trainState === 'done');
  const run = await page.evaluate(() => {
    const r = window.playground.app.run ?? window.playground.app.runs.at(-1);
    return { epochs: r.vx.length, lr: [r.lr[0], r.lr.at(-1)], batches: r.x.length };
  });
  assert.ok(run.epochs < 60, `early stopping ended the run after ${run.epochs} epochs`);
  assert.match(await page.textContent('.panel-techniques'), /Early stopping ended training after \d+ of 60 epochs/);
  // Cosine decay from 0.03 over 300 steps to 10%: the rate after `batches` steps.
  const step = run.batches - 1;
  const expected = 0.03 * (0.9 * 0.5 * (1 + Math.cos((Math.PI * Math.min(step, 300)) / 300)) + 0.1);
  assert.ok(Math.abs(run.lr[0] - 0.03) < 1e-6, `first rate ${run.lr[0]}`);
  assert.ok(Math.abs(run.lr[1] - expected) < 1e-5, `last rate ${run.lr[1]}, expected ${expected}`);
  // The charts redraw ten times a second at most: the last drawing comes after the end.
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.panel-charts [data-chart=loss] .u-legend .u-label')].some(
      (e) => e.textContent === 'learning rate',
    ),
  );
  const legend = await page.evaluate(() =>
    [...document.querySelectorAll('.panel-charts [data-chart=loss] .u-legend .u-label')].map((e) => e.textContent),
  );
  assert.ok(legend.includes('learning rate'), `loss chart series: ${legend}`);
  await page.locator('.panel-techniques').screenshot({ path: `${shots}/techniques.png` });
  assert.deepEqual(problems, []);
  await page.close();
});

test('set by hand: each technique goes into the address, the data and both code views', async () => {
  const { page, problems } = await openPlayground(harness, '?data=xor&epochs=5&speed=full', {
    width: 1440,
    height: 900,
  });
  await page.selectOption('[aria-label="learning-rate schedule"]', 'step_decay');
  await page.waitForFunction(() => window.playground.app.state.schedule?.type === 'step_decay');
  assert.match(page.url(), /schedule=step_decay-1000-0\.5/);
  await page.fill('[aria-label="schedule decaySteps"]', '50');
  await page.press('[aria-label="schedule decaySteps"]', 'Tab');
  await page.waitForFunction(() => window.playground.app.state.schedule.decaySteps === 50);
  await page.selectOption('[aria-label="early stopping monitors"]', 'val_loss');
  await page.selectOption('[aria-label="class weights"]', 'balanced');
  await page.fill('[aria-label="rare classes"]', '0');
  await page.press('[aria-label="rare classes"]', 'Tab');
  await page.waitForFunction(() => window.playground.app.state.imbalance?.classes.join() === '0');
  await page.waitForFunction(() => window.playground.app.model && window.playground.app.data?.train.n < 200);
  const counts = () => page.textContent('.panel-techniques [role=status] >> nth=1');
  assert.match(await counts(), /Training samples per class: 0: \d{1,2}, 1: 1\d\d\./);
  await page.selectOption('[aria-label="resampling"]', 'over');
  await page.waitForFunction(() => window.playground.app.state.resample === 'over' && window.playground.app.model);
  const [a, b] = (await counts()).match(/0: (\d+), 1: (\d+)/).slice(1);
  assert.equal(a, b, 'oversampling evens the classes');
  const url = decodeURIComponent(page.url());
  for (const part of [
    'schedule=step_decay-50-0.5',
    'stop=val_loss',
    'weights=balanced',
    'imbalance=0:10',
    'resample=over',
  ])
    assert.ok(url.includes(part), `${part} in ${url}`);
  await page.click('.panel-code summary >> nth=0');
  const keras = await page.textContent('.panel-code pre >> nth=0');
  assert.match(keras, /ExponentialDecay\(0\.03, decay_steps=50, decay_rate=0\.5, staircase=True\)/);
  assert.match(keras, /EarlyStopping\(monitor='val_loss', patience=5, restore_best_weights=True\)/);
  assert.match(keras, /# Oversampling/);
  await page.click('.panel-code summary >> nth=1');
  assert.match(
    await page.textContent('.panel-code pre >> nth=1'),
    /schedule: dl\.schedules\.stepDecay\(\{ decaySteps: 50, decayRate: 0\.5 \}\)/,
  );
  // It trains with them.
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.trainState === 'done');
  assert.deepEqual(problems, []);
  await page.close();
});

test('image augmentation: sliders, a preview of augmented samples, the address, the code views, and training with it', async () => {
  const { page, problems } = await openPlayground(harness, '?preset=mlp&augment=2-15-0.1', {
    width: 1440,
    height: 900,
  });
  await page.waitForFunction(() => window.playground.app.augmentPreviewShown?.rotation === 15);
  assert.equal(await page.locator('.augment-preview canvas').count(), 8);
  // Eight different copies of one image.
  const sums = await page.evaluate(() =>
    [...document.querySelectorAll('.augment-preview canvas')].map((c) =>
      c
        .getContext('2d')
        .getImageData(0, 0, c.width, c.height)
        .data.reduce((a, b, i) => a + (i % 4 ? 0 : b * (i % 97)), 0),
    ),
  );
  assert.ok(new Set(sums).size >= 6, `the previews differ: ${sums}`);
  await page.$eval('[aria-label="augmentation zoom"]', (input) => {
    input.value = '0.2';
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('change'));
  });
  await page.waitForFunction(() => window.playground.app.augmentPreviewShown?.zoom === 0.2);
  assert.match(page.url(), /augment=2-15-0\.2/);
  await page.click('.panel-code summary >> nth=0');
  assert.match(
    await page.textContent('.panel-code pre >> nth=0'),
    /layers\.RandomRotation\(0\.0417, fill_mode='constant'\)/,
  );
  await page.click('.btn-step');
  await page.waitForFunction(() => window.playground.app.run?.x.length === 1);
  await page.locator('.panel-techniques').screenshot({ path: `${shots}/augmentation.png` });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the test set’s ROC and precision-recall curves with AUC and AP, and per-class F1 with macro and weighted averages', async () => {
  const { page, problems } = await openPlayground(harness, '?data=xor&epochs=30&speed=full', {
    width: 1440,
    height: 900,
  });
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.trainState === 'done' && window.playground.app.curvesShown);
  const { shown, engineAuc } = await page.evaluate(() => ({
    shown: window.playground.app.curvesShown,
    engineAuc: window.playground.app.evaluation.result.rocAuc,
  }));
  // The page's curve (from the probabilities) and the engine's evaluate agree on the area.
  assert.ok(Math.abs(shown.auc[1] - engineAuc) < 1e-6, `AUC: page ${shown.auc[1]}, engine ${engineAuc}`);
  assert.ok(shown.auc[1] > 0.9, `xor AUC ${shown.auc[1]}`);
  const rows = await page.evaluate(() =>
    [...document.querySelectorAll('.curves table tr')].map((tr) => [...tr.children].map((c) => c.textContent)),
  );
  assert.deepEqual(rows[0], ['class', 'precision', 'recall', 'F1', 'support']);
  assert.deepEqual(
    rows.slice(-2).map((r) => r[0]),
    ['macro average', 'weighted average'],
  );
  assert.match(await page.textContent('.curve-legend'), /1: AUC [01]\.\d{3}, AP [01]\.\d{3}/);
  await page.locator('.curves').screenshot({ path: `${shots}/curves.png` });
  assert.deepEqual(problems, []);
  await page.close();
});

test('search in the page: a table of trials sorted by the metric, a scatter, “use this setup”; and k-fold cross-validation', async () => {
  const { page, problems } = await openPlayground(harness, '?data=xor&epochs=10&speed=full', {
    width: 1440,
    height: 900,
  });
  // A range is for random search; a grid refuses it by name.
  await page.fill('[aria-label="search learningRate"]', '0.001..0.1');
  await page.click('.btn-search');
  assert.match(
    await page.evaluate(() => window.playground.app.message),
    /Search: learning rate: a range \(0\.001\.\.0\.1\) is for random or Bayesian search; a grid takes lists\./,
  );
  await page.fill('[aria-label="search learningRate"]', '0.001, 0.1');
  await page.fill('[aria-label="search units"]', '2, 8');
  await page.fill('[aria-label="epochs per trial"]', '8');
  await page.click('.btn-search');
  await page.waitForFunction(() => window.playground.app.searchResult?.trials.length === 4, null, { timeout: 60000 });
  const { best, values } = await page.evaluate(() => ({
    best: window.playground.app.searchResult.best,
    values: window.playground.app.searchResult.trials.map((t) => t.value),
  }));
  assert.equal(best.value, Math.max(...values));
  const rows = await page.evaluate(() => [...document.querySelectorAll('table.trials tr')].map((r) => r.textContent));
  assert.equal(rows.length, 5);
  assert.match(rows[0], /learningRate.*units.*val_accuracy/);
  assert.ok(rows[1].includes(best.value.toFixed(4)), `the best trial heads the table: ${rows[1]}`);
  assert.equal(await page.locator('.panel-tuning .uplot').count(), 1);
  // Sorted by another column on a click (learning rates ascending), then back by the metric.
  await page.click('table.trials th button:has-text("learningRate")');
  const byRate = await page.evaluate(() =>
    [...document.querySelectorAll('table.trials tr')].slice(1).map((r) => Number(r.children[1].textContent)),
  );
  assert.deepEqual(
    byRate,
    [...byRate].sort((a, b) => a - b),
    `sorted by the learning rate: ${byRate}`,
  );
  assert.equal(await page.getAttribute('table.trials th:nth-child(2)', 'aria-sort'), 'ascending');
  await page.click('table.trials th button:has-text("val_accuracy")');
  // The search as code, from the same fields.
  await page.click('.search-code summary');
  await page.waitForFunction(() => document.querySelector('[aria-label="search JavaScript code"]').textContent);
  assert.match(
    await page.textContent('[aria-label="search JavaScript code"]'),
    /space: \{ learningRate: \[0\.001, 0\.1\], units: \[2, 8\] \}/,
  );
  assert.match(
    await page.textContent('[aria-label="search Keras code"]'),
    /space = \{'learning_rate': \[0\.001, 0\.1\], 'units': \[2, 8\]\}/,
  );
  await page.click('table.trials tr:nth-child(2) .use-trial');
  await page.waitForFunction(
    (p) =>
      window.playground.app.state.learningRate === p.learningRate &&
      window.playground.app.state.layers[0].units === p.units,
    best.params,
  );
  await page.fill('[aria-label="folds"]', '3');
  await page.click('.btn-cv');
  await page.waitForFunction(() => window.playground.app.crossValidation?.folds.length === 3, null, { timeout: 60000 });
  assert.match(
    await page.textContent('.panel-tuning'),
    /fold 1: [01]\.\d{4}, fold 2: [01]\.\d{4}, fold 3: [01]\.\d{4}\. val_accuracy: mean [01]\.\d{4}, spread/,
  );
  await page.locator('.panel-tuning').screenshot({ path: `${shots}/search.png` });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a layer frozen in the builder is kept in the address, reaches the engine and the code views', async () => {
  const { page, problems } = await openPlayground(harness, '?preset=cnn', { width: 1440, height: 900 });
  assert.equal(await page.isVisible('.btn-transfer'), true, 'the transfer-learning example is offered on MNIST');
  await page.check('[aria-label="freeze layer 1"]');
  await page.waitForFunction(() => window.playground.app.model?.layerConfigs[0].trainable === false);
  assert.match(page.url(), /layers=conv2d-32-3-1-valid-relu!~/);
  await page.click('.panel-code summary >> nth=0');
  assert.match(await page.textContent('.panel-code pre >> nth=0'), /layers\.Conv2D\(32, \(3, 3\).*trainable=False\)/);
  const summary = await page.evaluate(() => window.playground.app.model.summary({ printFn: null }));
  assert.match(summary, /Non-trainable params: 320/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a learning rate typed during a scheduled run is said to start the next run; without a schedule it applies at once', async () => {
  const { page, problems } = await openPlayground(harness, '?data=xor&schedule=exponential_decay-100-0.5&speed=100', {
    width: 1440,
    height: 900,
  });
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.run?.x.length > 5);
  await page.evaluate(() => window.playground.app.update({ learningRate: 0.5 }));
  assert.match(
    await page.evaluate(() => window.playground.app.message),
    /The exponential decay schedule sets the rate at every step of this run, from the rate it began with; 0\.5 is its starting rate from the next run\./,
  );
  const rate = await page.evaluate(() => window.playground.app.model.learningRate());
  assert.ok(rate < 0.5, `the schedule's rate stays: ${rate}`);
  await page.click('.btn-pause');
  // No schedule: the typed rate reaches the running model.
  await page.evaluate(() => window.playground.app.update({ schedule: null }));
  await page.click('.btn-train');
  await page.evaluate(() => window.playground.app.update({ learningRate: 0.2 }));
  assert.equal(await page.evaluate(() => window.playground.app.model.learningRate()), 0.20000000298023224);
  await page.click('.btn-pause');
  assert.deepEqual(problems, []);
  await page.close();
});
