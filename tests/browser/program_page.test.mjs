// A TensorFlow.js program in a page of its own, in headless Chromium: with the engine in
// the page's thread (a program's default) model.predict(x).dataSync(), arraySync and
// bufferSync read at once, fit lets the page draw between slices of batches, and
// tf.browser's fromPixels and toPixels give what TensorFlow.js 4.22 gives on the same
// canvas in the same page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { root, startHarness } from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

async function program(dl, tf) {
  const out = {};
  // Where this test's server keeps the engine (a page of its own finds it beside itself).
  await dl.ready({ engineUrl: new URL('/engine/', location.href).href });
  const model = dl.sequential({
    seed: 2,
    layers: [
      dl.layers.dense({ units: 16, activation: 'tanh', inputShape: [2] }),
      dl.layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: dl.train.adam(0.05), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const xs = dl.tensor2d([
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ]);
  const ys = dl.oneHot(dl.tensor1d([0, 1, 1, 0], 'int32'), 2);
  // Frames drawn while fit runs: the page is not blocked for the whole fit.
  let frames = 0;
  let drawing = true;
  const draw = () => {
    frames += 1;
    if (drawing) requestAnimationFrame(draw);
  };
  requestAnimationFrame(draw);
  const started = performance.now();
  await model.fit(xs.tile([64, 1]), ys.tile([64, 1]), { epochs: 60, batchSize: 4 });
  out.fitMs = performance.now() - started;
  drawing = false;
  out.frames = frames;
  const predictions = model.predict(xs);
  out.mode = (await dl.ready()).mode;
  out.classes = Array.from(predictions.argMax(-1).dataSync());
  out.rows = predictions.arraySync().length;
  out.buffered = predictions.bufferSync().get(3, 0);
  out.read = Array.from(predictions.dataSync())[6];
  // Pixels: a canvas with a gradient, read by both libraries.
  const canvas = document.createElement('canvas');
  canvas.width = 5;
  canvas.height = 3;
  const context = canvas.getContext('2d');
  for (let x = 0; x < 5; x++)
    for (let y = 0; y < 3; y++) {
      context.fillStyle = `rgb(${x * 50}, ${y * 100}, ${(x + y) * 30})`;
      context.fillRect(x, y, 1, 1);
    }
  for (const channels of [1, 3, 4]) {
    const ours = dl.browser.fromPixels(canvas, channels);
    const theirs = tf.browser.fromPixels(canvas, channels);
    out[`pixels${channels}`] = {
      shape: [ours.shape, theirs.shape],
      same: JSON.stringify(Array.from(ours.dataSync())) === JSON.stringify(Array.from(theirs.dataSync())),
      dtype: ours.dtype,
    };
  }
  const image = dl.tensor3d([
    [[0.2], [1]],
    [[0], [0.5]],
  ]);
  const drawn = document.createElement('canvas');
  const ourBytes = Array.from(await dl.browser.toPixels(image, drawn));
  const theirBytes = Array.from(
    await tf.browser.toPixels(
      tf.tensor3d([
        [[0.2], [1]],
        [[0], [0.5]],
      ]),
    ),
  );
  out.toPixels = { ours: ourBytes, theirs: theirBytes, canvas: [drawn.width, drawn.height] };
  try {
    await dl.browser.toPixels(dl.tensor3d([[[2]]]));
  } catch (error) {
    out.badPixels = error.message;
  }
  return out;
}

test('a program’s page: dataSync at once, fit lets the page draw, fromPixels and toPixels as TensorFlow.js', async () => {
  const page = await harness.browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(new URL('lib/index.js', harness.url).href);
  await page.addScriptTag({ path: `${root}node_modules/@tensorflow/tfjs/dist/tf.min.js` });
  const out = await page.evaluate(
    `(async () => { const dl = await import('/lib/index.js'); return (${program.toString()})(dl, window.tf); })()`,
  );
  assert.equal(out.mode, 'local', "the engine in the page's thread without asking for it");
  assert.deepEqual(out.classes, [0, 1, 1, 0]);
  assert.equal(out.rows, 4);
  assert.equal(out.buffered, out.read, 'bufferSync and dataSync read the same value');
  assert.ok(out.frames >= 3, `the page drew ${out.frames} frames during a ${Math.round(out.fitMs)} ms fit`);
  for (const channels of [1, 3, 4]) {
    const p = out[`pixels${channels}`];
    assert.deepEqual(p.shape, [
      [3, 5, channels],
      [3, 5, channels],
    ]);
    assert.ok(p.same, `fromPixels with ${channels} channels gives TensorFlow.js' values`);
    assert.equal(p.dtype, 'int32');
  }
  assert.deepEqual(out.toPixels.ours, out.toPixels.theirs);
  assert.deepEqual(out.toPixels.canvas, [2, 2]);
  assert.match(out.badPixels, /browser\.toPixels: float32 values must be in 0\.\.1; got 2 at index 0/);
  assert.deepEqual(problems, []);
  await page.close();
});
