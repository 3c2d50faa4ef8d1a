// Saving and loading by URL in headless Chromium, as TensorFlow.js programs do it:
// localstorage:// (in TensorFlow.js' own keys: both ways with TensorFlow.js 4.22 in the
// same page), indexeddb://, io.listModels, copyModel, moveModel and removeModel,
// io.browserFiles, and downloads:// (two files offered).
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

// Runs in the page with our library (dl) and TensorFlow.js (tf); returns what is checked.
async function program(dl, tf) {
  await tf.setBackend('cpu');
  const X = [
    [0.1, -0.4, 0.9],
    [1.5, 0.2, -0.3],
  ];
  const ours = async (model) => Array.from(await model.predict(dl.tensor2d(X)).data());
  const theirs = (model) => Array.from(model.predict(tf.tensor2d(X)).dataSync());
  const model = dl.sequential({
    seed: 5,
    layers: [
      dl.layers.dense({ units: 4, activation: 'tanh', inputShape: [3] }),
      dl.layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  const expected = await ours(model);
  const out = { expected };
  out.savedLocal = (await model.save('localstorage://ours')).modelArtifactsInfo.weightDataBytes;
  await model.save('indexeddb://ours-idb');
  out.local = await ours(await dl.loadLayersModel('localstorage://ours'));
  out.idb = await ours(await dl.loadLayersModel('indexeddb://ours-idb'));
  // TensorFlow.js reads ours from localStorage, and we read what it saves there.
  out.inTf = theirs(await tf.loadLayersModel('localstorage://ours'));
  const tfModel = tf.sequential({
    layers: [tf.layers.dense({ units: 3, activation: 'relu', inputShape: [3] }), tf.layers.dense({ units: 1 })],
  });
  await tfModel.save('localstorage://theirs');
  out.theirsExpected = theirs(tfModel);
  out.theirsHere = await ours(await dl.loadLayersModel('localstorage://theirs'));
  // Model management across both stores.
  await dl.io.copyModel('localstorage://ours', 'indexeddb://copy');
  await dl.io.moveModel('indexeddb://copy', 'localstorage://moved');
  out.listed = Object.keys(await dl.io.listModels()).sort();
  out.removed = (await dl.io.removeModel('localstorage://ours')).weightDataBytes;
  out.afterRemove = Object.keys(await dl.io.listModels()).sort();
  out.moved = await ours(await dl.loadLayersModel('localstorage://moved'));
  out.errors = [];
  for (const url of ['localstorage://ours', 'indexeddb://copy']) {
    try {
      await dl.loadLayersModel(url);
    } catch (error) {
      out.errors.push(error.message);
    }
  }
  // io.browserFiles: a model.json and its weights as the files a user picked.
  let artifacts = null;
  await model.save(dl.io.withSaveHandler(async (a) => void (artifacts = a)));
  const files = [
    new File([dl.io.modelJson(artifacts, 'my.weights.bin')], 'my.json'),
    new File([artifacts.weightData], 'my.weights.bin'),
  ];
  out.files = await ours(await dl.loadLayersModel(dl.io.browserFiles(files)));
  try {
    await dl.loadLayersModel(dl.io.browserFiles([files[0]]));
  } catch (error) {
    out.errors.push(error.message);
  }
  await dl.io.removeModel('localstorage://moved');
  await dl.io.removeModel('localstorage://theirs');
  await dl.io.removeModel('indexeddb://ours-idb');
  out.empty = await dl.io.listModels();
  return out;
}

test('localstorage:// both ways with TensorFlow.js, indexeddb://, model management and browserFiles in Chromium', async () => {
  const page = await harness.browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(new URL('lib/index.js', harness.url).href);
  await page.addScriptTag({ path: `${root}node_modules/@tensorflow/tfjs/dist/tf.min.js` });
  const out = await page.evaluate(
    `(async () => { const dl = await import('/lib/index.js'); await dl.ready({ engineUrl: new URL('/engine/', location.href).href }); return (${program.toString()})(dl, window.tf); })()`,
  );
  const close = (a, b, what) => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-6, `${what}: ${a} vs ${b}`));
  assert.ok(out.savedLocal > 0);
  close(out.local, out.expected, 'localstorage://');
  close(out.idb, out.expected, 'indexeddb://');
  close(out.inTf, out.expected, 'ours in TensorFlow.js');
  close(out.theirsHere, out.theirsExpected, 'theirs here');
  assert.deepEqual(out.listed, [
    'indexeddb://ours-idb',
    'localstorage://moved',
    'localstorage://ours',
    'localstorage://theirs',
  ]);
  assert.equal(out.removed, out.savedLocal);
  assert.deepEqual(out.afterRemove, ['indexeddb://ours-idb', 'localstorage://moved', 'localstorage://theirs']);
  close(out.moved, out.expected, 'moved');
  close(out.files, out.expected, 'browserFiles');
  assert.deepEqual(out.errors, [
    'io: no model is saved at localstorage://ours',
    'io: no model is saved at indexeddb://copy',
    'model file: io.browserFiles: the weight file "my.weights.bin" that "my.json" names was not given',
  ]);
  assert.deepEqual(out.empty, {});
  assert.deepEqual(problems, []);
  await page.close();
});

test('downloads:// offers model.json and its weights as two files', async () => {
  const page = await harness.browser.newPage({ acceptDownloads: true });
  await page.goto(new URL('lib/index.js', harness.url).href);
  const downloads = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));
  const info = await page.evaluate(`(async () => {
    const dl = await import('/lib/index.js');
    await dl.ready({ engineUrl: new URL('/engine/', location.href).href });
    const model = dl.sequential({ layers: [dl.layers.dense({ units: 2, inputShape: [3] })] });
    return (await model.save('downloads://my-model')).modelArtifactsInfo;
  })()`);
  await page.waitForFunction(() => true);
  for (let i = 0; i < 50 && downloads.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(downloads.sort(), ['my-model.json', 'my-model.weights.bin']);
  assert.equal(info.weightDataBytes, (3 * 2 + 2) * 4);
  await page.close();
});
