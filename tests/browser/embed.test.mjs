// Embedding, on the built folder (npm run build's dist/) served from a subfolder of a
// plain static host: the example tutorial page's three <dl-playground> widgets all train;
// an iframe embed on another origin obeys postMessage commands and sends its events; no
// request leaves the two origins; the first widget's download stays within 300 KB.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';

import * as dl from '../../web/lib/index.js';
import { root } from './harness.mjs';
import { embeddingFixture, measureFirstWidget, watch } from './static_host.mjs';

// A page running a TensorFlow.js program of tests/node/tfjs_programs/ with only its import
// changed to `from`.
function tfjsPage(name, from) {
  const source = readFileSync(`${root}tests/node/tfjs_programs/${name}.mjs`, 'utf8');
  const program = source.replace("from '@tensorflow/tfjs'", `from '${from}'`);
  assert.notEqual(program, source);
  return `<!doctype html><meta charset="utf-8"><title>${name}</title><link rel="icon" href="data:,"><script type="module">\n${program}</script>`;
}

let fixture;
let browser;
let site;
let host;
before(async () => {
  fixture = await embeddingFixture(
    { '/lesson.html': 'preset=small&panels=train,charts,boundary&epochs=20' },
    // A tutorial's own page beside the copied folder, running a TensorFlow.js program
    // (tests/node/tfjs_programs/two_moons.mjs) with the import pointed at its dl.js.
    { '/course/moons.html': tfjsPage('two_moons', './playground/dl.js') },
  );
  ({ browser, site, host } = fixture);
});
after(async () => {
  await fixture?.close();
});

test('the tutorial page from a subfolder: three widgets start, run independently and all train', async () => {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const problems = watch(page, [site.origin]);
  await page.goto(`${site.url}tutorial.html`);
  // The host sends no special headers, as the folder's HOSTING.md tells hosts.
  assert.match(readFileSync(`${fixture.dist}HOSTING.md`, 'utf8'), /## Headers\s+None are needed\./);
  assert.equal(await page.evaluate(() => crossOriginIsolated), false);
  const widgets = ['circle', 'mlp', 'cnn'];
  // A widget starts when it comes near the screen: the last is far below the first.
  const started = () => page.evaluate((ids) => ids.map((id) => Boolean(document.getElementById(id).started)), widgets);
  await page.waitForFunction(() => document.getElementById('circle').app?.model);
  assert.equal((await started())[2], false, 'the widget far below has not started');
  for (const id of widgets) await page.locator(`#${id}`).scrollIntoViewIfNeeded();
  await page.waitForFunction((ids) => ids.every((id) => document.getElementById(id).app?.model), widgets, {
    timeout: 60000,
  });
  // Each widget shows only its panels.
  const panels = await page.evaluate(
    (ids) =>
      ids.map((id) =>
        [...document.getElementById(id).shadowRoot.querySelectorAll('[data-panel]')].map((p) => p.dataset.panel),
      ),
    widgets,
  );
  assert.deepEqual(panels, [
    ['train', 'charts', 'boundary', 'network'],
    ['train', 'charts', 'pad'],
    ['train', 'charts', 'filters'],
  ]);
  await page.evaluate(() => {
    window.seen = {};
    for (const el of document.querySelectorAll('dl-playground')) {
      window.seen[el.id] = { batches: 0, losses: [], trained: false };
      el.addEventListener('dl-batch', (e) => {
        window.seen[el.id].batches++;
        window.seen[el.id].losses.push(e.detail.logs.loss);
      });
      el.addEventListener('dl-trained', () => (window.seen[el.id].trained = true));
    }
  });
  // The CNN gets epochs enough to be still training when the others are done.
  await page.evaluate(() => document.getElementById('cnn').command({ type: 'set', name: 'epochs', value: 5 }));
  await page.waitForFunction(() => document.getElementById('cnn').app.model);
  // All three train at once: click Train inside each widget (CSS locators pierce shadow roots).
  for (const id of widgets) await page.click(`#${id} .btn-train`);
  await page.waitForFunction(() => window.seen.circle.trained && window.seen.mlp.trained, null, { timeout: 120000 });
  await page.waitForFunction(() => window.seen.cnn.batches >= 3, null, { timeout: 120000 });
  await page.click('#cnn .btn-pause');
  await page.waitForFunction(() => document.getElementById('cnn').app.trainState === 'paused');
  const seen = await page.evaluate(() => window.seen);
  for (const id of widgets) {
    const { losses } = seen[id];
    const early = losses.slice(0, 2).reduce((a, b) => a + b) / 2;
    const late = losses.slice(-2).reduce((a, b) => a + b) / 2;
    assert.ok(late < early, `${id}: loss from ${early} to ${late}`);
  }
  assert.equal(seen.circle.batches, 25 * 40, 'the circle widget ran its 40 epochs of 25 batches');
  assert.equal(seen.mlp.batches, 313);
  assert.equal(
    await page.evaluate(() => document.getElementById('cnn').app.trainState),
    'paused',
    'pausing one widget',
  );
  assert.equal(await page.evaluate(() => document.getElementById('mlp').app.trainState), 'done', 'leaves the others');
  // Drawing a 1 on the MLP widget's pad (inside its shadow root) fires dl-prediction.
  const predicted = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const el = document.getElementById('mlp');
        el.addEventListener('dl-prediction', (e) => resolve(e.detail), { once: true });
        const pad = el.shadowRoot.querySelector('canvas.pad');
        pad.scrollIntoView();
        const r = pad.getBoundingClientRect();
        const fire = (type, y) =>
          pad.dispatchEvent(
            new PointerEvent(type, {
              bubbles: true,
              pointerId: 3,
              pointerType: 'pen',
              clientX: r.left + r.width / 2,
              clientY: r.top + (y * r.height) / 280,
            }),
          );
        fire('pointerdown', 40);
        for (let y = 50; y <= 240; y += 10) fire('pointermove', y);
        fire('pointerup', 240);
      }),
  );
  assert.equal(predicted.digit, 1, JSON.stringify(predicted));
  assert.equal(predicted.from, 'pad');
  await page.screenshot({ path: `${root}build/screenshots/11-tutorial.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('attributes set the model, data, seed, size and panels; autotrain starts by itself; bad ones are explained', async () => {
  const page = await browser.newPage();
  const problems = watch(page, [site.origin]);
  await page.goto(`${site.url}tutorial.html`);
  await page.evaluate(() => {
    const el = document.createElement('dl-playground');
    el.id = 'extra';
    el.setAttribute('data', 'xor');
    el.setAttribute(
      'model',
      JSON.stringify([
        { type: 'dense', units: 6, activation: 'tanh' },
        { type: 'dense', units: 1, activation: 'sigmoid' },
      ]),
    );
    el.setAttribute('loss', 'binaryCrossentropy');
    el.setAttribute('lr', '0.03');
    el.setAttribute('epochs', '30');
    el.setAttribute('seed', '9');
    el.setAttribute('width', '640');
    el.setAttribute('panels', 'train boundary');
    el.setAttribute('autotrain', '');
    el.addEventListener('dl-trained', (e) => (window.extraTrained = e.detail));
    document.body.prepend(el);
    const bad = document.createElement('dl-playground');
    bad.id = 'bad';
    bad.setAttribute('preset', 'small');
    bad.setAttribute('panels', 'train wobble');
    bad.setAttribute('lr', 'fast');
    document.body.prepend(bad);
  });
  await page.waitForFunction(() => window.extraTrained, null, { timeout: 60000 });
  const extra = await page.evaluate(() => {
    const el = document.getElementById('extra');
    return {
      seed: el.app.state.seed,
      data: el.app.state.data,
      units: el.app.state.layers.map((l) => l.units),
      width: el.getBoundingClientRect().width,
      panels: [...el.shadowRoot.querySelectorAll('[data-panel]')].map((p) => p.dataset.panel),
      accuracy: window.extraTrained.history.val_acc.at(-1),
    };
  });
  assert.deepEqual([extra.seed, extra.data, extra.units, extra.width], [9, 'xor', [6, 1], 640]);
  assert.deepEqual(extra.panels, ['train', 'boundary']);
  assert.ok(extra.accuracy > 0.9, `xor validation accuracy ${extra.accuracy}`);
  await page.waitForFunction(() => document.getElementById('bad').app);
  const note = await page.evaluate(
    () => document.getElementById('bad').shadowRoot.querySelector('.problem').textContent,
  );
  assert.match(
    note,
    /lr must be a number; got "fast".*unknown panel "wobble"; expected some of data, images, texts, model/,
  );
  // Taken out of the page while training, a widget pauses; put back, it resumes.
  const states = await page.evaluate(async () => {
    const el = document.getElementById('bad');
    await el.command({ type: 'set', name: 'epochs', value: 1000 });
    await el.command({ type: 'train' });
    el.remove();
    await new Promise((r) => setTimeout(r, 300));
    const away = el.app.trainState;
    document.body.append(el);
    await el.command({ type: 'train' });
    return [away, el.app.trainState];
  });
  assert.deepEqual(states, ['paused', 'training']);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a TensorFlow.js program in a tutorial page runs on the copied folder by importing its dl.js', async () => {
  const page = await browser.newPage();
  const problems = watch(page, [site.origin]);
  const printed = new Promise((resolve, reject) => {
    page.on('console', (m) => m.text().startsWith('RESULT ') && resolve(JSON.parse(m.text().slice(7))));
    page.on('pageerror', (e) => reject(new Error(`the program stopped: ${e.message}`)));
  });
  await page.goto(`${site.origin}/course/moons.html`);
  const result = await printed;
  assert.ok(result.accuracy > 0.95, JSON.stringify(result));
  assert.ok(Math.abs(result.evaluated[1] - result.accuracy) < 1e-6, 'evaluate gave [loss, accuracy] as scalars');
  assert.equal(result.epochs, 40);
  // The engine came from the copied folder, in the page's thread (a program's default).
  assert.equal(await page.evaluate(async () => (await (await import('./playground/dl.js')).ready()).mode), 'local');
  assert.deepEqual(problems, []);
  await page.close();
});

test('an iframe embed on another origin obeys postMessage commands and sends events', async () => {
  const page = await browser.newPage();
  const problems = watch(page, [site.origin, host.origin]);
  await page.goto(`${host.origin}/lesson.html`);
  await page.waitForFunction(() => window.events.some((e) => e.type === 'ready'), null, { timeout: 30000 });
  const ready = await page.evaluate(() => window.events.find((e) => e.type === 'ready'));
  assert.equal(ready.state.data, 'circle');
  assert.equal(ready.state.epochs, 20);

  let reply = await page.evaluate(() => window.command({ type: 'set', name: 'learningRate', value: 0.05 }));
  assert.equal(reply.ok, true);
  assert.equal(reply.result.state.learningRate, 0.05);
  reply = await page.evaluate(() => window.command({ type: 'set', name: 'learningRate', value: -1 }));
  assert.deepEqual([reply.ok, reply.error], [false, 'learningRate must be from 0.000001 to 10; got -1']);
  reply = await page.evaluate(() => window.command({ type: 'set', name: 'constructor', value: 1 }));
  assert.match(reply.error, /set: unknown setting "constructor"; expected one of data, noise, optimizer, learningRate/);
  reply = await page.evaluate(() => window.command({ type: 'layers', layers: 'dense' }));
  assert.match(reply.error, /layers: expected a non-empty array of layers the builder can show/);
  reply = await page.evaluate(() => window.command({ type: 'fly' }));
  assert.match(
    reply.error,
    /unknown command "fly"; expected train, pause, step, reset, set, preset, layers, predict or load/,
  );

  reply = await page.evaluate(() => window.command({ type: 'train' }));
  assert.equal(reply.ok, true);
  await page.waitForFunction(() => window.events.some((e) => e.type === 'trained'), null, { timeout: 60000 });
  const events = await page.evaluate(() => window.events);
  const batches = events.filter((e) => e.type === 'batch');
  const epochs = events.filter((e) => e.type === 'epoch');
  assert.equal(batches.length, 25 * 20);
  assert.equal(epochs.length, 20);
  assert.ok(epochs.at(-1).logs.val_acc > 0.9, `validation accuracy ${epochs.at(-1).logs.val_acc}`);
  // Throughput: no figure for the first batches (warm-up), a measured one later.
  assert.equal(typeof batches[0].logs.loss, 'number');
  assert.equal(batches[0].samplesPerSecond, null, 'no figure from the first batch');
  assert.ok(batches.at(-1).samplesPerSecond > 0, `last batch: ${batches.at(-1).samplesPerSecond} samples/s`);

  // Predictions: the centre of the circle is class 1, a far corner class 0; each also
  // arrives as a prediction event.
  reply = await page.evaluate(() => window.command({ type: 'predict', input: [0, 0] }));
  assert.equal(reply.result.digit, 1, JSON.stringify(reply));
  reply = await page.evaluate(() => window.command({ type: 'predict', input: [5.5, 5.5] }));
  assert.equal(reply.result.digit, 0, JSON.stringify(reply));
  assert.equal(await page.evaluate(() => window.events.filter((e) => e.type === 'prediction').length), 2);
  reply = await page.evaluate(() => window.command({ type: 'predict', input: [1, 2, 3] }));
  assert.match(
    reply.error,
    /predict: input must be an array of 2 finite numbers \(one sample of shape \(2\)\); got 3 values/,
  );

  // Another preset (the MNIST MLP, whose epochs take long enough to pause in), then pause
  // mid-run, step one batch, reset.
  reply = await page.evaluate(() => window.command({ type: 'preset', name: 'mlp' }));
  assert.equal(reply.result.state.data, 'mnist');
  await page.evaluate(() => window.command({ type: 'set', name: 'epochs', value: 20 }));
  await page.evaluate(() => window.command({ type: 'train' }));
  await page.waitForFunction((n) => window.events.filter((e) => e.type === 'batch').length > n + 5, batches.length);
  reply = await page.evaluate(() => window.command({ type: 'pause' }));
  assert.equal(reply.result.trainState, 'paused');
  // Batch events already on their way when training paused arrive first.
  const batchCount = () => page.evaluate(() => window.events.filter((e) => e.type === 'batch').length);
  await page.waitForTimeout(500);
  const count = await batchCount();
  reply = await page.evaluate(() => window.command({ type: 'step' }));
  assert.equal(reply.ok, true, reply.error);
  await page.waitForFunction((n) => window.events.filter((e) => e.type === 'batch').length > n, count);
  await page.waitForTimeout(300);
  assert.equal(await batchCount(), count + 1, 'one step, one batch');
  reply = await page.evaluate(() => window.command({ type: 'reset' }));
  assert.equal(reply.result.trainState, 'idle');

  reply = await page.evaluate(() =>
    window.command({
      type: 'layers',
      layers: [
        { type: 'dense', units: 3, activation: 'relu' },
        { type: 'dense', units: 1, activation: 'sigmoid' },
      ],
    }),
  );
  assert.equal(reply.ok, true);
  assert.deepEqual(
    reply.result.state.layers.map((l) => l.units),
    [3, 1],
  );
  // Load a model: layers and weights in a link, made here by the API in Node.
  await dl.ready();
  const made = dl.sequential({
    seed: 5,
    layers: [
      dl.layers.dense({ units: 5, activation: 'tanh', inputShape: [2] }),
      dl.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  const link = await dl.io.modelToLink(made);
  reply = await page.evaluate((link) => window.command({ type: 'load', link }), link);
  assert.equal(reply.ok, true, reply.error);
  assert.deepEqual(reply.result.layers, ['dense', 'dense_1']);
  reply = await page.evaluate(() => window.command({ type: 'load', link: 'not-a-model' }));
  assert.equal(reply.ok, false);
  assert.match(reply.error, /link/i);
  await page.screenshot({ path: `${root}build/screenshots/12-iframe.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('before the first widget is interactive a visitor downloads at most 300 KB (gzip)', async () => {
  const { ms, bytes, requests } = await measureFirstWidget(browser, site, fixture.dist);
  const list = requests.map((r) => `${r.url.split('/').pop()} ${r.gzipBytes}`).join(', ');
  assert.ok(bytes <= 300 * 1024, `${bytes} bytes: ${list}`);
  assert.ok(
    requests.some((r) => r.url.endsWith('.wasm')),
    `the engine is among them: ${list}`,
  );
  console.log(`first widget interactive after ${ms.toFixed(0)} ms, ${(bytes / 1024).toFixed(1)} KB gzip`);
});
