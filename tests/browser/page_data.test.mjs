// The playground page's data and address in real headless Chromium: a copied address
// reproduces a setup, an address with only a data set and layers gets fitting settings,
// data sets switch without leaking and fail clearly (a missing MNIST folder, a broken
// CSV), and the samples-per-second readout tells the truth.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { harnessForFile, openPlayground, shots } from './harness.mjs';

const harness = harnessForFile();

const open = (path, size) => openPlayground(harness, path, size);
const app = (page, f) => page.evaluate(f);

test('a copied address reproduces the setup: data set, layers, settings and seed', async () => {
  const { page, problems } = await open('?preset=small');
  await page.selectOption('.panel-data select', 'spiral');
  await page.waitForFunction(() => window.playground.app.data?.name === 'spiral');
  await page.fill('.panel-settings input[id] >> nth=0', '0.01');
  await page.press('.panel-settings input[id] >> nth=0', 'Tab');
  await page.selectOption('.panel-model select[aria-label="type of layer to add"]', 'dropout');
  await page.click('text=Add layer');
  await page.fill('[aria-label="layer 1 units"]', '6');
  await page.press('[aria-label="layer 1 units"]', 'Tab');
  await page.waitForFunction(() => window.playground.app.state.layers[0].units === 6 && window.playground.app.model);
  const state = await app(page, () => window.playground.app.state);
  assert.equal(state.learningRate, 0.01);
  assert.equal(state.layers.at(-1).type, 'dropout');
  const address = page.url();
  assert.match(address, /data=spiral/);

  // The code view copies the same setup as Keras code with one click.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.click('.panel-code summary >> nth=0');
  await page.click('text=Copy Keras');
  const keras = await page.textContent('.panel-code pre >> nth=0');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), keras);
  assert.match(
    keras,
    /layers\.Dense\(6, activation='relu'\)[\s\S]*layers\.Dropout\(0\.25\)[\s\S]*Adam\(learning_rate=0\.01\)/,
  );

  const copy = await open(address);
  assert.deepEqual(await app(copy.page, () => window.playground.app.state), state);
  assert.equal(await copy.page.inputValue('[aria-label="layer 1 units"]'), '6');
  assert.equal(await copy.page.inputValue('.panel-data select'), 'spiral');
  await copy.page.screenshot({ path: `${shots}/5-from-address.png`, fullPage: true });
  // A bad address is explained and the rest of it still applies.
  const bad = await open('?preset=small&lr=banana&layers=dense-4-tanh~capsule-3');
  assert.match(
    await bad.page.textContent('#url-problems'),
    /lr must be a number; got "banana".*layer 2: unknown type "capsule"/,
  );
  assert.equal(await app(bad.page, () => window.playground.app.state.data), 'circle');
  assert.deepEqual([...problems, ...copy.problems, ...bad.problems], []);
  await Promise.all([page, copy.page, bad.page].map((p) => p.close()));
});

test('a missing MNIST folder gives a clear message and the 2D sets keep working', async () => {
  const { page } = await open('?mnist=data/nowhere/');
  assert.match(
    await page.textContent('.panel-data'),
    /MNIST: could not download manifest.json: the server answered 404 \(missing\)/,
  );
  await page.selectOption('.panel-model select[aria-label=preset]', 'small');
  await page.waitForFunction(() => window.playground.app.model && !window.playground.app.problem);
  await page.click('.btn-train');
  // A 2D set trains until paused.
  await page.waitForFunction(() => window.playground.app.run?.x.length > 50, null, { timeout: 60000 });
  await page.click('.btn-pause');
  await page.waitForFunction(() => window.playground.app.trainState === 'paused' && window.playground.app.evaluation);
  await page.close();
});

test('a CSV file becomes the data set, and a broken one is refused with its line number', async () => {
  const { page, problems } = await open('?preset=small');
  const rows = ['a,b,c,label'];
  for (let i = 0; i < 200; i++) {
    const [a, b, c] = [Math.sin(i), Math.cos(i * 1.3), ((i * 7) % 11) / 11];
    rows.push(`${a.toFixed(3)},${b.toFixed(3)},${c.toFixed(3)},${a + b > 0 ? 'yes' : 'no'}`);
  }
  const file = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.setInputFiles('.panel-data input[type=file]', file('points.csv', rows.join('\n')));
  await page.waitForFunction(() => window.playground.app.data?.name === 'csv' && window.playground.app.model);
  assert.match(
    await page.textContent('.panel-data'),
    /points\.csv: 200 rows, features a, b, c, label label; classification/,
  );
  assert.match(await page.textContent('.panel-model .totals'), /Input \(None, 3\)/);
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.testAccuracy !== undefined, null, { timeout: 60000 });
  assert.ok((await app(page, () => window.playground.app.testAccuracy)) > 0.85);
  await page.setInputFiles('.panel-data input[type=file]', file('bad.csv', 'a,b,label\n1,2,x\n3,oops,y\n'));
  await page.waitForFunction(() => /CSV:/.test(window.playground.message ?? ''));
  assert.match(await app(page, () => window.playground.message), /CSV: .*line 3/);
  assert.equal(await app(page, () => window.playground.app.csv.name), 'points.csv', 'the good file stays');
  assert.deepEqual(problems, []);
  await page.close();
});

test('switching data sets frees the old one, also when a slow download is overtaken', async () => {
  const { page, problems } = await open();
  const heapMb = () =>
    app(page, async () => (await (await import('/lib/index.js')).engineMemory()).heapInUse / 2 ** 20);
  const train = () =>
    app(page, async () => {
      const playground = window.playground.app;
      await playground.train();
      while (playground.trainState !== 'done') await new Promise((r) => setTimeout(r, 50));
    });
  for (let i = 0; i < 2; i++) {
    await train();
    assert.ok((await heapMb()) > 30, 'MNIST is in the engine (about 38 MB of tensors)');
    await app(page, () => window.playground.app.usePreset('small'));
    assert.ok((await heapMb()) < 5, `after switching to the circle set: ${await heapMb()} MB`);
    await app(page, () => window.playground.app.usePreset('mlp'));
  }
  // The 11 MB set is still downloading when the circle set is chosen: the circle set wins.
  await page.selectOption('.panel-data select', 'mnistFull');
  await page.selectOption('.panel-data select', 'circle');
  await page.waitForFunction(() => window.playground.app.data?.name === 'circle' && window.playground.app.model);
  await page.waitForTimeout(3000); // the full set's download ends meanwhile
  assert.equal(await app(page, () => window.playground.app.data.name), 'circle');
  assert.ok((await heapMb()) < 5, `after the overtaken download: ${await heapMb()} MB`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('an address with only a data set and layers gets a fitting loss and settings, and trains', async () => {
  const { page, problems } = await open('?data=xor&layers=dense-8-tanh~dense-1-sigmoid');
  const state = await app(page, () => window.playground.app.state);
  assert.deepEqual(
    [state.loss, state.learningRate, state.batchSize, state.epochs, state.speed],
    ['binaryCrossentropy', 0.03, 10, 0, '300'],
  );
  assert.equal(await app(page, () => window.playground.app.problem), null);
  // The address keeps what was chosen, not the settings that follow from it.
  assert.equal(new URL(page.url()).search, '?data=xor&layers=dense-8-tanh~dense-1-sigmoid');
  // Until paused: 40 epochs, then Pause, which evaluates on the test set.
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.run?.vx.length >= 40, null, { timeout: 60000 });
  await page.click('.btn-pause');
  await page.waitForFunction(() => window.playground.app.evaluation, null, { timeout: 60000 });
  const accuracy = await app(page, () => window.playground.app.testAccuracy);
  assert.ok(accuracy > 0.9, `xor test accuracy ${accuracy}`);
  // Another data set chosen in the page brings its own settings; a learning rate set by
  // hand stays.
  await page.fill('.panel-settings input[id] >> nth=0', '0.01');
  await page.press('.panel-settings input[id] >> nth=0', 'Tab');
  await page.selectOption('.panel-data select', 'plane');
  await page.waitForFunction(() => window.playground.app.data?.name === 'plane' && window.playground.app.model);
  const plane = await app(page, () => window.playground.app.state);
  // The layers were chosen in the address, so they stay; the loss follows the new task.
  assert.deepEqual(
    [plane.loss, plane.learningRate, plane.epochs, plane.layers.length],
    ['meanSquaredError', 0.01, 0, 2],
  );
  assert.equal(await app(page, () => window.playground.app.problem), null);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the samples-per-second readout gives no figure during warm-up and a true one after', async () => {
  // Batches of about a millisecond: with the small preset's own network (0.05 ms) the page
  // handles batch events slower than the engine runs them, and would time itself.
  const { page, problems } = await open(
    '?preset=small&epochs=60&speed=full&layers=dense-512-relu~dense-512-relu~dense-2-softmax',
  );
  const result = await app(page, async () => {
    const playground = window.playground.app;
    const readout = document.querySelector('.panel-train .readout');
    const early = [readout.textContent];
    // The truth is timed from batch events, so that building the model before the first
    // batch and the page's work after the last are not counted (the readout does not count
    // them either; on a slow machine they are most of a run this short).
    const times = [];
    playground.addEventListener('batch', ({ detail }) => {
      times.push(performance.now());
      if (early.length < 4) early.push(detail.info.samplesPerSecond);
    });
    await playground.train();
    while (playground.trainState !== 'done') await new Promise((r) => setTimeout(r, 5));
    // The readout is over the batches of the last 2 s as the engine ran them (timing.js).
    // The page sees their events arrive in bursts (a burst at the end made 2 s of arrivals
    // read twice the speed), so the truth is over the arrivals of the last half of the run,
    // long enough for the bursts to even out.
    const from = Math.floor(times.length / 2);
    const seconds = (times.at(-1) - times[from]) / 1000;
    return {
      early,
      shown: readout.textContent,
      truth: ((times.length - 1 - from) * 10) / seconds,
      batches: times.length,
    };
  });
  assert.deepEqual(result.early, ['— samples/s', null, null, null], 'no figure from warm-up batches');
  assert.equal(result.batches, 60 * 25);
  const shown = Number(result.shown.replace(/[^\d]/g, ''));
  assert.ok(
    shown > result.truth * 0.5 && shown < result.truth * 2,
    `readout ${result.shown}; batches ran at ${Math.round(result.truth)} samples/s`,
  );
  assert.deepEqual(problems, []);
  await page.close();
});
