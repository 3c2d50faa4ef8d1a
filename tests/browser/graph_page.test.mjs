// Graph models in the page: a residual block wrapped in the builder trains, its address
// reopens the same graph and the network view draws the skip; a projection is offered when
// shapes differ and a merge asks which layer it joins; the worked example shows the deep
// plain net's first layers' gradients vanish while its residual twin learns; the Keras
// project of a graph loads in TensorFlow.js and predicts as the page does. No console
// error anywhere. Screenshots go to build/screenshots/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync } from 'fflate';

import { harnessForFile, openPlayground, shots } from './harness.mjs';

const harness = harnessForFile();
const app = (page, f, arg) => page.evaluate(f, arg);
const open = (path) => openPlayground(harness, path, { width: 1440, height: 1000 });
const layersOf = (page) =>
  app(page, () => ({
    state: window.playground.app.state.layers,
    built: window.playground.app.layers.map((l) => [l.type, l.outputShape]),
    problem: window.playground.app.problem,
  }));

// Trains until `epochs` have run (the address sets epochs), then resolves with the test
// accuracy and each layer's kernel gradient norm from the engine.
const trainToEnd = (page) =>
  app(page, async () => {
    const playground = window.playground.app;
    let accuracy = null;
    playground.addEventListener('epoch', ({ detail }) => (accuracy = detail.logs.val_acc));
    await playground.train();
    while (playground.trainState !== 'done') await new Promise((r) => setTimeout(r, 20));
    const statistics = await playground.model.layerStatistics({ bins: 1 });
    const norms = statistics
      .filter((s) => s.name === 'kernel')
      .map(({ gradients: g }) => Math.sqrt(g.histogram.reduce((a, b) => a + b, 0) * (g.std ** 2 + g.mean ** 2)));
    return { accuracy, norms };
  });

test('a residual block wrapped in the builder trains, its address reopens the same graph, the skip is drawn', async () => {
  const { page, problems } = await open('?data=spiral&epochs=30&speed=full');
  assert.deepEqual(
    (await layersOf(page)).built.map(([type]) => type),
    ['Dense', 'Dense', 'Dense', 'Dense'],
  );
  await page.fill('[aria-label="first layer of the block"]', '2');
  await page.fill('[aria-label="last layer of the block"]', '3');
  await page.selectOption('[aria-label="kind of block"]', 'add');
  await page.click('.block-tool button');
  await page.waitForFunction(() => window.playground.app.layers.length === 5 && window.playground.app.model);
  const wrapped = await layersOf(page);
  assert.equal(wrapped.problem, null);
  assert.deepEqual(wrapped.built, [
    ['Dense', [16]],
    ['Dense', [16]],
    ['Dense', [16]],
    ['Add', [16]],
    ['Dense', [1]],
  ]);
  assert.deepEqual(wrapped.state[3], { type: 'add', from: 1 });
  assert.equal(await page.inputValue('[aria-label="layer 4 joins"]'), '1');
  assert.match(await page.textContent('.panel-code'), /h4 = layers\.Add\(\)\(\[h3, h1\]\)/);

  const { accuracy } = await trainToEnd(page);
  assert.ok(accuracy > 0.75, `the residual spiral net after 30 epochs: test accuracy ${accuracy}`);
  await page.waitForFunction(() => window.playground.app.networkArcs?.length === 1);
  assert.deepEqual(await app(page, () => window.playground.app.networkArcs), [{ from: 1, to: 4, merge: true }]);
  // The arc is on the canvas: its colour above the columns.
  const purple = await app(page, () => {
    const canvas = document.querySelector('.panel-network canvas');
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, 40);
    let count = 0;
    for (let i = 0; i < data.length; i += 4)
      if (Math.abs(data[i] - 0x7b) < 30 && Math.abs(data[i + 1] - 0x5e) < 30 && Math.abs(data[i + 2] - 0xa7) < 30)
        count++;
    return count;
  });
  assert.ok(purple > 20, `pixels of the skip's arc: ${purple}`);
  await page.locator('.panel-network').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/graph_residual_block.png` });

  // The model through a file and back into the page: the builder shows the same graph.
  const adopted = await app(page, async () => {
    const dl = await import('/lib/index.js');
    const playground = window.playground.app;
    const before = JSON.stringify(playground.state.layers);
    await playground.adoptModel(await dl.io.importModel(await dl.io.exportModel(playground.model)));
    return { before, after: JSON.stringify(playground.state.layers), message: playground.message ?? null };
  });
  assert.equal(adopted.after, adopted.before, `the adopted graph in the builder (${adopted.message})`);
  const address = await app(page, () => location.search);
  assert.match(
    decodeURIComponent(address),
    /layers=dense-16-relu~dense-16-relu~dense-16-relu~add-from1~dense-1-sigmoid/,
  );
  const again = await open(address);
  const reopened = await layersOf(again.page);
  assert.deepEqual(reopened.state, wrapped.state);
  assert.deepEqual(reopened.built, wrapped.built);
  assert.deepEqual([...problems, ...again.problems], []);
  await again.page.close();
  await page.close();
});

test('a projection when shapes differ; a merge asks which layer it joins, and builds once told', async () => {
  const { page, problems } = await open('?data=spiral&layers=dense-16-tanh~dense-8-tanh~dense-1-sigmoid');
  await page.fill('[aria-label="first layer of the block"]', '1');
  await page.fill('[aria-label="last layer of the block"]', '2');
  await page.click('.block-tool button');
  await page.waitForFunction(() => window.playground.app.layers.length === 5 && window.playground.app.model);
  const projected = await layersOf(page);
  assert.equal(projected.problem, null);
  assert.deepEqual(projected.state.slice(2, 4), [
    { type: 'dense', units: 8, activation: 'linear', from: 0 },
    { type: 'add', from: 2 },
  ]);
  assert.match(await app(page, () => window.playground.app.message), /a Dense projection of the block's input/);
  await page.close();

  const merge = await open('?data=spiral&layers=dense-2-relu~add~dense-1-sigmoid');
  assert.equal(
    (await layersOf(merge.page)).problem,
    'Layer 2: Add joins the layer before it with another: choose which in its "joins" control.',
  );
  assert.match(await merge.page.textContent('.panel-model'), /choose which/);
  await merge.page.selectOption('[aria-label="layer 2 joins"]', '0');
  await merge.page.waitForFunction(() => window.playground.app.layers.length === 3 && !window.playground.app.problem);
  assert.deepEqual((await layersOf(merge.page)).state[1], { type: 'add', from: 0 });
  assert.deepEqual([...problems, ...merge.problems], []);
  await merge.page.close();
});

test('the worked example: the deep plain net stalls with vanishing first-layer gradients, its residual twin learns', async () => {
  const plain = await open('?preset=deepPlain&epochs=20&speed=full');
  assert.equal((await layersOf(plain.page)).built.length, 20);
  const a = await trainToEnd(plain.page);
  await plain.page.waitForFunction(() => window.playground.app.gradientNorms?.length === 20);
  await plain.page.locator('.panel-gradients').scrollIntoViewIfNeeded();
  await plain.page.screenshot({ path: `${shots}/graph_deep_plain.png` });
  const residual = await open('?preset=deepResidual&epochs=20&speed=full');
  assert.equal((await layersOf(residual.page)).built.length, 29);
  const b = await trainToEnd(residual.page);
  await residual.page.waitForFunction(() => window.playground.app.networkArcs?.length === 9);
  await residual.page.locator('.panel-gradients').scrollIntoViewIfNeeded();
  await residual.page.screenshot({ path: `${shots}/graph_deep_residual.png` });
  const ratio = (r) => r.norms[0] / r.norms.at(-1);
  assert.ok(
    ratio(a) < 0.05,
    `plain: first layer's gradient / last's = ${ratio(a)} (${a.norms.map((n) => n.toExponential(1))})`,
  );
  assert.ok(ratio(b) > 0.2, `residual: first layer's gradient / last's = ${ratio(b)}`);
  assert.ok(
    b.accuracy > 0.85 && b.accuracy > a.accuracy + 0.15,
    `test accuracy after 20 epochs: plain ${a.accuracy}, residual ${b.accuracy}`,
  );
  assert.match(await plain.page.textContent('.panel-gradients'), /almost stopped learning/);
  assert.deepEqual([...plain.problems, ...residual.problems], []);
  await plain.page.close();
  await residual.page.close();
});

test('the Keras project of a graph: functional train.py, and its model loads in TensorFlow.js and predicts as the page', async () => {
  const { page, problems } = await open(
    '?data=spiral&layers=dense-8-tanh~dense-8-tanh~add-from1~dense-1-sigmoid&epochs=3&speed=full',
  );
  await trainToEnd(page);
  const ours = await app(page, async () => {
    const playground = window.playground.app;
    const { xTest } = playground.data.tensors(playground.target);
    const predicted = await playground.model.predictValues(xTest);
    return { x: Array.from(playground.data.test.x), n: playground.data.test.n, y: Array.from(predicted.values) };
  });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('.btn-keras-project')]);
  const zip = unzipSync(readFileSync(await download.path()));
  const script = strFromU8(zip['train.py']);
  execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: script });
  assert.match(script, /^h3 = layers\.Add\(\)\(\[h2, h1\]\)$/m);
  assert.match(script, /^model = keras\.Model\(h0, h4\)$/m);
  const json = JSON.parse(strFromU8(zip['model/model.json']));
  assert.equal(json.modelTopology.class_name, 'Model');
  const bytes = zip['model/weights.bin'];
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const loaded = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData }),
  );
  const theirs = await loaded.predict(tf.tensor2d(ours.x, [ours.n, 2])).data();
  const worst = Math.max(...ours.y.map((v, i) => Math.abs(v - theirs[i])));
  assert.ok(worst < 1e-5, `TensorFlow.js' predictions of the downloaded graph differ from the page's by ${worst}`);
  assert.deepEqual(problems, []);
  await page.close();
});
