// Time series and Fashion-MNIST in the page, in real headless Chromium with the real
// engine: the forecast view shows the engine's predictions (one step ahead, and run on its
// own forecasts); a column of the user's CSV becomes a series (broken files refused, the
// column chosen, the address and the code carry it); Fashion-MNIST's class names are in
// every view that names a class. No console error, no request off the origin.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { harnessForFile, openPlayground, shots } from './harness.mjs';

const harness = harnessForFile();
const open = (path, size) => openPlayground(harness, path, size);
const app = (page, f, arg) => page.evaluate(f, arg);

// Trains to the end of the state's epochs, then waits for a forecast begun after it.
async function trainForecast(page) {
  await app(page, () => window.playground.app.train());
  await page.waitForFunction(() => window.playground.app.trainState === 'done');
  const done = await app(page, () => {
    window.playground.app.refreshViews();
    return performance.now();
  });
  await page.waitForFunction((t) => window.playground.app.forecastView?.started > t, done);
}

// The forecast view's numbers against the engine's predictions for the same windows.
const checkForecast = (page) =>
  app(page, async () => {
    const a = window.playground.app;
    const d = a.data;
    const view = a.forecastView;
    const n = view.actual.length;
    const steps = d.inSteps;
    const { tensor } = await import('/lib/index.js');
    const x = tensor(d.test.x.subarray(0, n * steps), [n, steps, 1]);
    const predicted = (await a.model.predictValues(x)).values;
    x.dispose();
    const units = (v) => v * d.scale.deviation + d.scale.mean;
    const oneStep = Math.max(...Array.from(predicted, (p, i) => Math.abs(units(p) - view.oneStep[i])));
    // The run on its own forecasts: the first reads the first window, the second that
    // window moved on by the first forecast.
    const recent = Float32Array.from(d.test.x.subarray(0, steps));
    const first = tensor(recent, [1, steps, 1]);
    const f1 = (await a.model.predictValues(first)).values[0];
    first.dispose();
    recent.copyWithin(0, 1);
    recent[steps - 1] = f1;
    const second = tensor(recent, [1, steps, 1]);
    const f2 = (await a.model.predictValues(second)).values[0];
    second.dispose();
    const actual = Math.max(...Array.from(view.actual, (v, i) => Math.abs(v - units(d.test.y[i]))));
    const rmse = Math.sqrt(view.oneStep.reduce((s, v, i) => s + (v - view.actual[i]) ** 2, 0) / n);
    return {
      n,
      oneStep,
      actual,
      freeRun: [Math.abs(units(f1) - view.freeRun[0]), Math.abs(units(f2) - view.freeRun[1])],
      error: [view.error, rmse],
      naive: view.naiveError,
      caption: document.querySelector('[data-panel=forecast] [role=status]').textContent,
      hiddenText: document.querySelector('[data-panel=text]').hidden,
    };
  });

test('the forecaster on the sines: the forecast view is the engine’s, one step ahead and on its own forecasts', async () => {
  const { page, problems } = await open('?preset=forecaster&epochs=3', { width: 1440, height: 900 });
  await trainForecast(page);
  const seen = await checkForecast(page);
  assert.equal(seen.n, 240);
  assert.ok(seen.oneStep < 1e-4, `one-step forecasts differ from the engine's by ${seen.oneStep}`);
  assert.ok(seen.actual < 1e-4, `the series differs from the test targets by ${seen.actual}`);
  assert.ok(Math.max(...seen.freeRun) < 1e-4, `the run on its own forecasts differs by ${seen.freeRun}`);
  assert.ok(Math.abs(seen.error[0] - seen.error[1]) < 1e-9, `error ${seen.error}`);
  assert.ok(
    seen.error[0] < seen.naive,
    `after 3 epochs it beats repeating the last value: ${seen.error[0]} vs ${seen.naive}`,
  );
  assert.match(seen.caption, /^The first 240 test values after windows of 32\. .* better\); 48 values ahead/);
  assert.equal(seen.hiddenText, true, 'a series has no Try-it panel');
  await page.locator('[data-panel=forecast]').screenshot({ path: `${shots}/forecast-sines.png` });
  assert.deepEqual(problems, []);
});

test('a column of your CSV is a series: broken files are refused, the column is chosen, the address and the code carry it', async () => {
  const { page, problems } = await open('?preset=forecaster&epochs=2');
  const file = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  const rows = ['day,visitors,rain'];
  for (let t = 0; t < 600; t++)
    rows.push(`2025-${t},${(200 + 60 * Math.sin((2 * Math.PI * t) / 7) + 0.1 * t).toFixed(1)},${(t * 7) % 3}`);
  const choose = async (f) => {
    const chooser = page.waitForEvent('filechooser');
    await page.selectOption('.panel-data select[aria-label="data set"]', 'myseries');
    await (await chooser).setFiles(f);
  };
  // Broken files: the data set stays the sines, the reason is said.
  await choose(file('words.csv', 'a,b\nx,y\nz,w\n'));
  await page.waitForFunction(() => /CSV:/.test(window.playground.message ?? ''));
  assert.match(await app(page, () => window.playground.message), /^CSV: no column holds only numbers; the columns are/);
  assert.equal(await app(page, () => window.playground.app.state.data), 'sines', 'nothing changed');
  await app(page, () => (window.playground.app.message = ''));
  await choose(file('empty.csv', ''));
  await page.waitForFunction(() => /CSV:/.test(window.playground.message ?? ''));
  assert.match(await app(page, () => window.playground.message), /^CSV: the file is empty/);
  assert.equal(await app(page, () => window.playground.app.state.data), 'sines');
  // A good file: its last all-number column, then another chosen in the panel.
  await choose(file('visits.csv', rows.join('\n')));
  await page.waitForFunction(() => window.playground.app.data?.name === 'myseries' && window.playground.app.model);
  assert.match(
    await page.textContent('.panel-data [role=status]'),
    /^visits\.csv, column "rain": 600 values; 448 training and 88 test windows of 32/,
  );
  assert.deepEqual(
    await page.$$eval('.panel-data select[aria-label="series column"] option', (o) => o.map((x) => x.value)),
    ['visitors', 'rain'],
  );
  await page.selectOption('.panel-data select[aria-label="series column"]', 'visitors');
  await page.waitForFunction(() => window.playground.app.data?.column === 'visitors' && window.playground.app.model);
  assert.match(page.url(), /data=myseries/);
  assert.match(page.url(), /column=visitors/);
  const first = await app(page, () => {
    const d = window.playground.app.data;
    return d.train.x[0] * d.scale.deviation + d.scale.mean;
  });
  assert.ok(Math.abs(first - 200) < 1e-3, `the first window starts at day 0's visitors: ${first}`);
  await trainForecast(page);
  const seen = await checkForecast(page);
  assert.equal(seen.n, 88);
  assert.ok(seen.oneStep < 1e-3 && Math.max(...seen.freeRun) < 1e-3, JSON.stringify(seen));
  // The code says how to make the same data from the file.
  await page.click('text=JavaScript (this engine)');
  const code = await page.textContent('.panel-code');
  assert.match(code, /dl\.data\.csvColumn\(csvText, \{ column: "visitors" \}\)/);
  assert.match(code, /dl\.data\.seriesSet\(\{ values, steps: 32, seed: 1 \}\)/);
  // A reload keeps the address; the file is gone with the page, which says so and works.
  await page.reload();
  await page.waitForFunction(() => window.playground?.app?.problem || /CSV/.test(document.body.innerText));
  assert.match(await page.textContent('.panel-data'), /Choose a CSV file with a column of numbers in time order/);
  await page.selectOption('.panel-data select[aria-label="data set"]', 'sines');
  await page.waitForFunction(() => window.playground.app.data?.name === 'sines' && window.playground.app.model);
  assert.deepEqual(problems, []);
});

test('Fashion-MNIST names its classes in the confusion matrix, the gallery, the pad, the dreams and the network', async () => {
  const { page, problems } = await open('?data=fashion&layers=flatten~dense-10-softmax&epochs=1', {
    width: 1440,
    height: 900,
  });
  await app(page, () => window.playground.app.train());
  await page.waitForFunction(() => window.playground.app.trainState === 'done');
  await page.click('text=Evaluate on the test set');
  await page.waitForFunction(() => document.querySelectorAll('.confusion th').length > 0);
  const headers = await page.$$eval('.confusion th', (t) => t.map((x) => x.textContent.trim()).filter(Boolean));
  assert.ok(headers.includes('Ankle boot') && headers.includes('T-shirt/top'), `matrix headers ${headers}`);
  const captions = await page.locator('[data-panel=gallery]').innerText();
  assert.match(captions, /Sneaker/);
  // The pad asks for clothes and answers with a class name.
  assert.equal(await page.textContent('[data-panel=pad] h2'), 'Draw a piece of clothing');
  const pad = page.locator('[data-panel=pad] canvas.pad');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  await page.mouse.move(box.x + 60, box.y + 60);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + 60 + 16 * i, box.y + 60 + 14 * i);
  await page.mouse.up();
  await page.waitForFunction(() => window.playground.app.padPrediction);
  const names = await page.$$eval('[data-panel=pad] .bars .digit', (s) => s.map((x) => x.textContent));
  assert.deepEqual(names, await app(page, () => window.playground.app.data.classNames));
  assert.match(
    await page.textContent('[data-panel=pad] [role=status]'),
    /^The model says (T-shirt\/top|Trouser|Pullover|Dress|Coat|Sandal|Shirt|Sneaker|Bag|Ankle boot) \(/,
  );
  // The dreams of the output layer carry the class names.
  await page.selectOption('[aria-label="pictures of"]', { index: 0 });
  await page.click('text=Show what they look like');
  await page.waitForFunction(() => document.querySelectorAll('.dreams figcaption').length === 10);
  const dreams = await page.$$eval('.dreams figcaption', (f) => f.map((x) => x.textContent.split(':')[0]));
  assert.deepEqual(dreams, names);
  // Over an output node, the network view names its class.
  const network = page.locator('[data-panel=network] canvas').first();
  await network.scrollIntoViewIfNeeded();
  const nodes = await app(page, () => window.playground.app.networkOutputs);
  assert.equal(nodes.length, 10);
  const frame = await network.boundingBox();
  const size = await network.evaluate((c) => [c.width, c.height]);
  await page.mouse.move(
    frame.x + (nodes[9].x * frame.width) / size[0],
    frame.y + (nodes[9].y * frame.height) / size[1],
  );
  assert.match(await network.getAttribute('title'), /: Ankle boot$/);
  assert.deepEqual(problems, []);
});
