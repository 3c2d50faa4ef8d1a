// The user's own images in real headless Chromium: a folder and a .zip of generated PNGs
// (tests/fixtures/shapes.mjs: three classes of shapes in random colours and places, with
// a broken PNG and a text file among them) train a CNN well above chance; the bad files
// are named and skipped; a set survives a reload and leaves as a .zip of PNGs that reads
// back to the same pixels; drawn classes train and the pad predicts them; Chromium's fake
// camera captures frames into classes and feeds the model live. No request leaves the origin.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { unzipSync } from 'fflate';

import { writeShapes } from '../fixtures/shapes.mjs';
import { harnessForFile, openPlayground, shots } from './harness.mjs';

const harness = harnessForFile(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
const fixture = writeShapes(mkdtempSync(join(tmpdir(), 'shapes-')), 100, 7);
const CHANCE = 1 / 3;

const app = (page, f, arg) => page.evaluate(f, arg);
const panelText = (page, selector) => page.textContent(`.panel-images ${selector}`);

async function trainAndEvaluate(page, { pressTrain = true } = {}) {
  if (pressTrain) await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.trainState === 'done', null, { timeout: 240000 });
  return app(page, () => window.playground.app.evaluate().then(() => window.playground.app.evaluation.result.metrics));
}

async function waitForSet(page, name) {
  await page.waitForFunction(
    (name) => {
      const a = window.playground.app;
      return a.data?.name === 'images' && a.data.setName === name && a.model && !a.problem;
    },
    name,
    { timeout: 60000 },
  );
}

test('a folder of PNGs in colour at 32x32: bad files named and skipped, a CNN trains well above chance, colour in every view', async () => {
  const { page, problems } = await openPlayground(harness, '');
  await page.selectOption('.panel-images select[aria-label="image size"]', '32');
  await page.selectOption('.panel-images select[aria-label="colour"]', '3');
  // The limit is said before anything is read.
  assert.match(
    await panelText(page, '.hint'),
    /At 32×32 RGB an image takes 12 KB in the engine; its memory holds up to 87,381 of them/,
  );
  await page.setInputFiles('.panel-images input[webkitdirectory]', fixture.folder);
  await waitForSet(page, 'shapes');
  assert.match(
    await panelText(page, '.images-report'),
    /^Added 300 images in 3 classes \(circle 100, square 100, triangle 100\); 2 files skipped/,
  );
  const skipped = await panelText(page, 'details');
  assert.match(skipped, /shapes\/square\/broken\.png: cannot be decoded as an image/);
  assert.match(
    skipped,
    /shapes\/triangle\/notes\.txt: not an image file \(\.txt\); expected PNG, JPEG, WebP, GIF or BMP/,
  );
  assert.match(
    await panelText(page, '.images-split'),
    /Split: 192 to train on, 48 to validate on \(20% of the training share\), 60 to test on \(20% of each class\)/,
  );
  const built = await app(page, () => ({
    input: window.playground.app.model.inputShape ?? window.playground.app.layers[0]?.inputShape,
    types: window.playground.app.state.layers.map((l) => l.type),
    classes: window.playground.app.data.classNames,
  }));
  assert.deepEqual(built.classes, ['circle', 'square', 'triangle']);
  assert.equal(built.types[0], 'conv2d', 'the preset for images is a CNN');
  assert.equal(built.types.at(-1), 'dense');

  const started = Date.now();
  const metrics = await trainAndEvaluate(page);
  const seconds = (Date.now() - started) / 1000;
  console.log(`# folder, 32x32 RGB: test accuracy ${metrics.accuracy.toFixed(3)} in ${seconds.toFixed(1)} s`);
  assert.ok(metrics.accuracy >= CHANCE + 0.3, `test accuracy ${metrics.accuracy}; chance is ${CHANCE.toFixed(3)}`);

  // Colour reaches the views: the gallery's tiles, the first layer's filters, the network's input.
  await page.waitForFunction(() => window.playground.app.saliencyShown, null, { timeout: 60000 });
  const colourful = await app(page, () => {
    const spread = (canvas) => {
      const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let most = 0;
      for (let i = 0; i < d.length; i += 4)
        most = Math.max(most, Math.abs(d[i] - d[i + 1]), Math.abs(d[i + 1] - d[i + 2]));
      return most;
    };
    return {
      gallery: Math.max(...[...document.querySelectorAll('.panel-gallery .tile canvas')].map(spread)),
      filters: document.querySelectorAll('.panel-filters canvas[aria-label$="in colour"]').length,
      thumbs: Math.max(...[...document.querySelectorAll('.panel-images canvas.thumb')].map(spread)),
    };
  });
  assert.ok(colourful.gallery > 60, `gallery tiles in colour (channel spread ${colourful.gallery})`);
  assert.ok(colourful.thumbs > 60, `thumbnails in colour (channel spread ${colourful.thumbs})`);
  assert.ok(colourful.filters >= 8, `first-layer filters drawn in colour: ${colourful.filters}`);
  await page.locator('.panel-images').screenshot({ path: `${shots}/images-1-folder-panel.png` });
  await page.locator('.panel-gallery').screenshot({ path: `${shots}/images-2-test-set.png` });
  await page.locator('.panel-filters').screenshot({ path: `${shots}/images-3-layers.png` });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the same set as a .zip, grayscale: trains, survives a reload, and leaves as a .zip that reads back to the same pixels', async () => {
  const { page, problems } = await openPlayground(harness, '');
  await page.setInputFiles('.panel-images input[type=file]:not([webkitdirectory])', fixture.zip);
  await waitForSet(page, 'shapes');
  assert.match(await panelText(page, '.images-report'), /^Added 300 images in 3 classes .*2 files skipped/);
  assert.deepEqual(await app(page, () => window.playground.app.data.imageShape), [28, 28, 1]);
  const metrics = await trainAndEvaluate(page);
  console.log(`# zip, 28x28 grayscale: test accuracy ${metrics.accuracy.toFixed(3)}`);
  assert.ok(metrics.accuracy >= CHANCE + 0.3, `test accuracy ${metrics.accuracy}`);
  assert.match(page.url(), /data=images&.*set=shapes|set=shapes.*data=images/);

  // A reload opens the same set from the browser's storage and builds its model.
  await page.reload();
  await page.waitForFunction(() => window.playground?.state === 'ready', null, { timeout: 30000 });
  await waitForSet(page, 'shapes');
  await page.waitForSelector('.panel-images .saved-sets li[data-set="shapes"]');
  assert.match(await panelText(page, '.saved-sets'), /shapes: 300 images, 3 classes, 28×28 grayscale/);
  await page.waitForSelector('.panel-images .image-class[data-class="triangle"]');
  assert.equal(await page.locator('.panel-images .image-class').count(), 3);
  assert.equal(
    await app(page, () => window.playground.app.data.trainCount + window.playground.app.data.testCount),
    300,
  );

  // Export: a .zip of PNGs in class folders, which the import reads back pixel for pixel.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('.panel-images >> text=Export .zip'),
  ]);
  const zipped = unzipSync(readFileSync(await download.path()));
  const names = Object.keys(zipped);
  assert.equal(names.length, 300);
  assert.ok(
    names.every((n) => /^shapes\/(circle|square|triangle)\/\1-\d{4}\.png$/.test(n)),
    names.slice(0, 3).join(),
  );
  await page.click('.panel-images >> text=New set');
  await page.fill('.panel-images input[aria-label="image set name"]', 'round trip');
  await page.setInputFiles('.panel-images input[type=file]:not([webkitdirectory])', await download.path());
  await waitForSet(page, 'round trip');
  const same = await app(page, async () => {
    const store = await import('/src/playground/images/store.js');
    const [a, b] = await Promise.all([store.loadSet('shapes'), store.loadSet('round trip')]);
    const key = (set) => set.images.map((i) => `${set.classNames[i.label]}:${Array.from(i.pixels).join(',')}`).sort();
    const [ka, kb] = [key(a), key(b)];
    return { count: [ka.length, kb.length], equal: ka.every((v, i) => v === kb[i]) };
  });
  assert.deepEqual(same, { count: [300, 300], equal: true });
  // The split is chosen in the panel: 70% of each class to train on.
  await page.selectOption('.panel-images select[aria-label="share of each class to train on"]', '70');
  await page.waitForFunction(() => window.playground.app.data?.testCount === 90 && window.playground.app.model);
  assert.match(
    await panelText(page, '.images-split'),
    /Split: 168 to train on, 42 to validate on .* 90 to test on \(30% of each class\)/,
  );
  // A kept set is deleted from the list.
  await page.click('.panel-images button[aria-label="delete round trip"]');
  await page.waitForFunction(() => !document.querySelector('.panel-images .saved-sets li[data-set="round trip"]'));
  assert.deepEqual(await page.$$eval('.panel-images .saved-sets li', (items) => items.map((li) => li.dataset.set)), [
    'shapes',
  ]);
  assert.deepEqual(problems, []);
  await page.close();
});

// A stroke on a canvas (points in the canvas' own pixels) through pointer events.
async function stroke(page, selector, points) {
  await page.locator(selector).scrollIntoViewIfNeeded();
  await page.evaluate(
    ({ selector, points }) => {
      const pad = document.querySelector(selector);
      const r = pad.getBoundingClientRect();
      const at = ([x, y]) => ({
        clientX: r.left + (x * r.width) / pad.width,
        clientY: r.top + (y * r.height) / pad.height,
      });
      const fire = (type, p) =>
        pad.dispatchEvent(
          new PointerEvent(type, { bubbles: true, pointerId: 3, pointerType: 'mouse', isPrimary: true, ...at(p) }),
        );
      fire('pointerdown', points[0]);
      points.slice(1).forEach((p) => fire('pointermove', p));
      fire('pointerup', points.at(-1));
    },
    { selector, points },
  );
}

const line = ([x0, y0], [x1, y1]) =>
  Array.from({ length: 12 }, (_, i) => [x0 + ((x1 - x0) * i) / 11, y0 + ((y1 - y0) * i) / 11]);

test('drawn classes train and the pad predicts them; the fake camera captures frames into classes and predicts live', async () => {
  const { page, problems } = await openPlayground(harness, '');
  await page.fill('.panel-images input[aria-label="image set name"]', 'strokes');
  const shapes = {
    ring: (k) =>
      Array.from({ length: 24 }, (_, i) => [
        84 + (40 + k) * Math.cos((i * Math.PI) / 11.5),
        84 + (40 + k) * Math.sin((i * Math.PI) / 11.5),
      ]),
    cross: (k) => [line([40 + k, 40], [128 - k, 128]), line([128 - k, 40], [40 + k, 128])],
  };
  for (const [name, draw] of Object.entries(shapes)) {
    await page.fill('.panel-images input[list="image-classes"]', name);
    for (let k = 0; k < 8; k++) {
      const strokes = name === 'ring' ? [draw(k * 3)] : draw(k * 3);
      for (const points of strokes) await stroke(page, '.panel-images canvas.set-pad', points);
      await page.click('.panel-images .btn-add-drawing');
    }
  }
  await page.waitForSelector('.panel-images .image-class[data-class="cross"] .thumb >> nth=7');
  // A bad drawing is deleted from its thumbnail.
  await page.click('.panel-images .image-class[data-class="cross"] .thumb-delete >> nth=0', { force: true });
  await page.waitForFunction(
    () => document.querySelectorAll('.panel-images .image-class[data-class="cross"] .thumb').length === 7,
  );
  // "Train on this set" switches to the set and trains it; nothing else is pressed.
  await page.click('.panel-images .btn-use-set');
  await waitForSet(page, 'strokes');
  await page.waitForFunction(() => ['training', 'done'].includes(window.playground.app.trainState), null, {
    timeout: 60000,
  });
  const metrics = await trainAndEvaluate(page, { pressTrain: false });
  console.log(`# drawn classes: test accuracy ${metrics.accuracy.toFixed(3)}`);

  // The pad on the page predicts the drawn classes by name.
  const predict = async (strokes) => {
    await page.click('.panel-pad >> text=Clear');
    for (const points of strokes)
      await stroke(
        page,
        'canvas.pad',
        points.map(([x, y]) => [(x * 280) / 168, (y * 280) / 168]),
      );
    await page.waitForFunction(() => window.playground.app.padPrediction, null, { timeout: 20000 });
    await page.waitForTimeout(300);
    return app(page, () => window.playground.app.data.classNames[window.playground.app.padPrediction.digit]);
  };
  assert.equal(await predict([shapes.ring(5)]), 'ring');
  assert.equal(await predict(shapes.cross(5)), 'cross');
  assert.match(await page.textContent('.panel-pad .answer'), /The model says cross/);

  // The camera: two classes of 20 frames each from Chromium's fake device.
  await page.click('.panel-images .btn-camera');
  await page.waitForSelector('.panel-images .btn-capture');
  for (const name of ['camera left', 'camera right']) {
    await page.fill('.panel-images input[list="image-classes"]', name);
    await page.click('.panel-images .btn-capture');
    await page.waitForFunction(
      (name) => document.querySelector('.images-report').textContent.includes(`into ${name}`),
      name,
      { timeout: 20000 },
    );
  }
  const counts = await app(page, () =>
    [...document.querySelectorAll('.panel-images .image-class')].map((e) => [
      e.dataset.class,
      e.querySelectorAll('.thumb').length,
    ]),
  );
  assert.deepEqual(counts, [
    ['ring', 8],
    ['cross', 7],
    ['camera left', 20],
    ['camera right', 20],
  ]);
  await app(page, () => (window.trainedBefore = window.playground.app.model));
  await page.click('.panel-images .btn-use-set');
  await page.waitForFunction(
    () => {
      const a = window.playground.app;
      return a.data?.classes === 4 && a.model !== window.trainedBefore && ['training', 'done'].includes(a.trainState);
    },
    null,
    { timeout: 60000 },
  );
  await trainAndEvaluate(page, { pressTrain: false });
  await page.check('.panel-images input[aria-label="predict from the camera"]');
  await page.waitForFunction(() => window.playground.app.cameraPrediction, null, { timeout: 20000 });
  const live = await app(page, () => window.playground.app.cameraPrediction);
  assert.equal(live.probabilities.length, 4);
  assert.ok(Math.abs(live.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-4);
  assert.match(await panelText(page, '.live-answer'), /The model says/);
  await page.locator('.panel-images').screenshot({ path: `${shots}/images-4-drawn-and-camera.png` });
  assert.deepEqual(problems, []);
  await page.close();
});

// A 1x1 white GIF (GIF89a, a two-colour table, one image): Chromium has no GIF encoder.
const WHITE_GIF = Buffer.from(
  '47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b',
  'hex',
);

test('loose JPEG and WebP files (made by the browser) and GIFs take their classes from a CSV of file name and label', async () => {
  const { page, problems } = await openPlayground(harness, '');
  const files = await app(page, async () => {
    const make = async (type, square) => {
      const c = document.createElement('canvas');
      c.width = c.height = 50;
      const x = c.getContext('2d');
      x.fillStyle = '#fff';
      x.fillRect(0, 0, 50, 50);
      x.fillStyle = square ? '#c33' : '#33c';
      if (square) x.fillRect(10, 10, 30, 30);
      else (x.arc(25, 25, 15, 0, 7), x.fill());
      const blob = await new Promise((resolve) => c.toBlob(resolve, type, 0.9));
      return Array.from(new Uint8Array(await blob.arrayBuffer()));
    };
    const out = [];
    for (let i = 0; i < 6; i++) {
      out.push({ name: `s${i}.jpg`, mimeType: 'image/jpeg', bytes: await make('image/jpeg', true) });
      out.push({ name: `c${i}.webp`, mimeType: 'image/webp', bytes: await make('image/webp', false) });
    }
    return out;
  });
  const csv = ['file,label', ...files.map((f) => `${f.name},${f.name.startsWith('s') ? 'square' : 'circle'}`)];
  csv.push('g0.gif,blank', 'g1.gif,blank');
  await page.setInputFiles('.panel-images input[type=file]:not([webkitdirectory])', [
    ...files.map((f) => ({ name: f.name, mimeType: f.mimeType, buffer: Buffer.from(f.bytes) })),
    ...['g0.gif', 'g1.gif'].map((name) => ({ name, mimeType: 'image/gif', buffer: WHITE_GIF })),
    { name: 'labels.csv', mimeType: 'text/csv', buffer: Buffer.from(csv.join('\n')) },
  ]);
  await waitForSet(page, 'my images');
  assert.equal(await panelText(page, '.images-report'), 'Added 14 images in 3 classes (blank 2, circle 6, square 6).');
  // Decoded, not blank: each class has ink on white paper (grayscale darkness).
  const darkness = await app(page, () => {
    const d = window.playground.app.data;
    const mean = (k) => {
      const rows = [...d.trainLabels].flatMap((l, i) => (l === k ? [i] : []));
      const pixels = rows.flatMap((i) => [...d.trainImages.subarray(i * 784, (i + 1) * 784)]);
      return pixels.reduce((a, b) => a + b, 0) / pixels.length;
    };
    return d.classNames.map((c, k) => [c, mean(k)]);
  });
  for (const [c, mean] of darkness)
    if (c === 'blank') assert.equal(mean, 0, 'a white GIF is white paper');
    else assert.ok(mean > 20 && mean < 200, `${c}: mean darkness ${mean}`);
  assert.deepEqual(problems, []);
  await page.close();
});
