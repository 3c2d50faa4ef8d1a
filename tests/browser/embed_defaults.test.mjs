// Embedding as tutorial authors write it, on the built folder from a subfolder: widgets and
// iframes given only a data set and layers get a fitting loss and settings and train;
// evaluation events come whatever the panels; commands sent in one go run in order, and a
// reply's ok means the command took effect; a widget shows a language model's text views.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { embeddingFixture, watch } from './static_host.mjs';

let fixture;
let browser;
let site;
let host;
before(async () => {
  fixture = await embeddingFixture(
    {
      // A tutorial author's iframe: a data set and layers, nothing else.
      '/xor.html': 'data=xor&layers=dense-8-tanh~dense-1-sigmoid&panels=train',
    },
    {
      // A tutorial page whose second widget has a layer only the whole engine has.
      '/course/normalized.html': `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
        <script type="module" src="./playground/dl-playground.js"></script></head><body>
        <dl-playground id="plain" data="xor" layers="dense-8-tanh~dense-1-sigmoid" panels="train" eager></dl-playground>
        <dl-playground id="normalized" data="xor" layers="dense-8-tanh~layerNormalization~dense-1-sigmoid"
          epochs="30" panels="train" autotrain eager></dl-playground></body></html>`,
      // A lesson on language models: a character LSTM with the text views only.
      '/course/language.html': `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
        <script type="module" src="./playground/dl-playground.js"></script></head><body>
        <dl-playground id="lm" preset="charLstm" steps="16" epochs="1" panels="train,text,sequence" autotrain eager>
        </dl-playground></body></html>`,
    },
  );
  ({ browser, site, host } = fixture);
});
after(async () => {
  await fixture?.close();
});

test('widgets given only a data set and layers choose a fitting loss and settings, train, and report test accuracy whatever their panels', async () => {
  const page = await browser.newPage();
  const problems = watch(page, [site.origin]);
  await page.goto(`${site.url}tutorial.html`);
  await page.evaluate(() => {
    window.heard = {};
    const widget = (id, attributes) => {
      const el = document.createElement('dl-playground');
      el.id = id;
      for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
      for (const type of ['trained', 'evaluated'])
        el.addEventListener(`dl-${type}`, (e) => ((window.heard[id] ??= {})[type] = e.detail));
      el.addEventListener('dl-epoch', (e) => ((window.heard[id] ??= {}).epochs ??= []).push(e.detail.logs.loss));
      document.body.prepend(el);
    };
    widget('spiral', {
      data: 'spiral',
      layers: 'dense-12-relu~dense-12-relu~dense-1-sigmoid',
      panels: 'train charts boundary',
      autotrain: '',
    });
    // The MNIST MLP with only the train and pad panels: no gallery, still evaluated.
    widget('digits', { panels: 'train pad', autotrain: '' });
  });
  // A 2D set trains until paused, at a pace a reader can watch: after 40 epochs, pause it.
  await page.waitForFunction(() => window.heard.spiral?.epochs?.length >= 40, null, { timeout: 90000 });
  await page.evaluate(() => document.getElementById('spiral').command({ type: 'pause' }));
  await page.waitForFunction(() => window.heard.spiral?.evaluated && window.heard.digits?.evaluated, null, {
    timeout: 90000,
  });
  const spiral = await page.evaluate(() => {
    const el = document.getElementById('spiral');
    const { loss, learningRate, batchSize, epochs, speed } = el.app.state;
    return {
      settings: { loss, learningRate, batchSize, epochs, speed },
      note: el.shadowRoot.querySelector('.problem').hidden,
      problem: el.app.problem,
      trained: window.heard.spiral.trained,
      losses: window.heard.spiral.epochs,
      evaluated: window.heard.spiral.evaluated,
    };
  });
  assert.deepEqual(spiral.settings, {
    loss: 'binaryCrossentropy',
    learningRate: 0.03,
    batchSize: 10,
    epochs: 0,
    speed: '300',
  });
  assert.equal(spiral.problem, null);
  assert.equal(spiral.trained, undefined, 'a run until paused does not end by itself');
  assert.ok(spiral.losses.at(-1) < spiral.losses[0] * 0.8, `loss ${spiral.losses}`);
  assert.ok(spiral.evaluated.accuracy > 0.7, `spiral test accuracy ${spiral.evaluated.accuracy}`);
  const digits = await page.evaluate(() => window.heard.digits.evaluated);
  assert.ok(digits.accuracy > 0.85 && digits.loss > 0, JSON.stringify(digits));
  assert.deepEqual(problems, []);
  await page.close();
});

test('an iframe given data and layers trains; commands sent in one go run in order, and ok means it happened', async () => {
  const page = await browser.newPage();
  const problems = watch(page, [site.origin, host.origin]);
  await page.goto(`${host.origin}/xor.html`);
  await page.waitForFunction(() => window.events.some((e) => e.type === 'ready'), null, { timeout: 30000 });
  const ready = await page.evaluate(() => window.events.find((e) => e.type === 'ready'));
  assert.equal(ready.state.loss, 'binaryCrossentropy');
  assert.deepEqual(ready.problems, []);
  // Three commands without waiting for replies, as host pages send them.
  const replies = await page.evaluate(() =>
    Promise.all([
      window.command({ type: 'set', name: 'learningRate', value: 0.1 }),
      window.command({ type: 'set', name: 'epochs', value: 15 }),
      window.command({ type: 'train' }),
    ]),
  );
  assert.deepEqual(
    replies.map((r) => r.ok),
    [true, true, true],
    JSON.stringify(replies),
  );
  assert.equal(replies[2].result.trainState, 'training');
  await page.waitForFunction(() => window.events.some((e) => e.type === 'evaluated'), null, { timeout: 60000 });
  const trained = await page.evaluate(() => window.events.find((e) => e.type === 'trained'));
  assert.equal(trained.history.loss.length, 15, 'the 15 epochs asked for');
  const evaluated = await page.evaluate(() => window.events.find((e) => e.type === 'evaluated'));
  assert.ok(evaluated.accuracy > 0.9, `xor test accuracy ${evaluated.accuracy}`);

  // Commands that cannot do what they ask answer ok: false with the reason.
  let reply = await page.evaluate(() => window.command({ type: 'pause' }));
  assert.deepEqual([reply.ok, reply.error], [false, 'pause: nothing is training (the state is done)']);
  reply = await page.evaluate(() =>
    window.command({ type: 'layers', layers: [{ type: 'dense', units: 10, activation: 'softmax' }] }),
  );
  assert.equal(reply.ok, true);
  assert.match(reply.result.problem, /The data has 2 classes; the last layer outputs 10 values/);
  assert.equal(reply.result.state.loss, 'categoricalCrossentropy', 'the loss follows the new last layer');
  reply = await page.evaluate(() => window.command({ type: 'train' }));
  assert.equal(reply.ok, false);
  assert.match(reply.error, /^train: cannot start: The data has 2 classes; the last layer outputs 10 values/);
  reply = await page.evaluate(() => window.command({ type: 'step' }));
  assert.match(reply.error, /^step: cannot train: The data has 2 classes/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a page whose widgets name a layer only the whole engine has loads that engine first; they train, listing no problem', async () => {
  const page = await browser.newPage();
  const problems = watch(page, [site.origin]);
  const engines = [];
  page.on('request', (r) => /dl_engine[^/]*\.wasm$/.test(r.url()) && engines.push(r.url().split('/').pop()));
  await page.addInitScript(() => {
    window.heard = {};
    for (const type of ['ready', 'trained'])
      document.addEventListener(`dl-${type}`, (e) => ((window.heard[e.target.id] ??= {})[type] = e.detail), true);
  });
  await page.goto(new URL('../normalized.html', site.url).href);
  await page.waitForFunction(() => window.heard.normalized?.trained && window.heard.plain?.ready, null, {
    timeout: 90000,
  });
  const heard = await page.evaluate(() => window.heard);
  assert.deepEqual(heard.normalized.ready.problems, []);
  assert.deepEqual(heard.plain.ready.problems, []);
  assert.equal(heard.normalized.ready.state.layers[1].type, 'layerNormalization');
  const losses = heard.normalized.trained.history.loss;
  assert.ok(losses.at(-1) < losses[0], JSON.stringify(losses));
  // (The lite engine comes first, while the settings are read, and is set aside.)
  assert.equal(engines.at(-1), 'dl_engine_es.wasm', `engines fetched: ${engines}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a widget shows a character LSTM on the Bible with the text panels only: it trains, answers typed text and draws its units', async () => {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const problems = watch(page, [site.origin]);
  await page.addInitScript(() => {
    window.heard = {};
    for (const type of ['ready', 'trained'])
      document.addEventListener(`dl-${type}`, (e) => ((window.heard[e.target.id] ??= {})[type] = e.detail), true);
  });
  await page.goto(new URL('../language.html', site.url).href);
  await page.waitForFunction(() => window.heard.lm?.trained, null, { timeout: 90000 });
  const shown = await page.evaluate(async () => {
    const widget = document.getElementById('lm');
    const root = widget.shadowRoot;
    const app = widget.app;
    await new Promise((resolve) => {
      if (app.sequenceViews && app.textAnswer) resolve();
      app.addEventListener('sequence-views', resolve, { once: true });
    });
    return {
      problems: window.heard.lm.ready.problems,
      panels: [...root.querySelectorAll('[data-panel]')].filter((p) => !p.hidden).map((p) => p.dataset.panel),
      cells: root.querySelectorAll('.next-grid .cell').length,
      units: app.sequenceViews.units.map((u) => u.layer),
    };
  });
  assert.deepEqual(shown.problems, []);
  assert.deepEqual(shown.panels, ['train', 'text', 'sequence']);
  assert.ok(shown.cells > 16 * 5, `cells: ${shown.cells}`);
  assert.deepEqual(shown.units, ['lstm']);
  assert.deepEqual(problems, []);
  await page.close();
});
