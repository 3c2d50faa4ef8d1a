// Graph models (dl.model) of JavaScript and engine layers in model files: saved by either
// library and loaded by the other with the same outputs, trained after loading; the names
// layers were given kept; corrupt files refused with nothing left behind.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import { classesFor, data } from './custom_layer_classes.mjs';
import { assertSame, loadApi, values } from './engine.mjs';

const dl = await loadApi();
const tf = createRequire(import.meta.url)('@tensorflow/tfjs');
await tf.setBackend('cpu');

const OURS = classesFor(dl);
const THEIRS = classesFor(tf);

// A graph of two inputs, an engine layer applied to both, a JavaScript layer on each
// branch, joined: written once against either library, with names to match weights by.
function buildGraph(lib, classes) {
  const a = lib.input({ shape: [5], name: 'a' });
  const b = lib.input({ shape: [5], name: 'b' });
  const shared = lib.layers.dense({ units: 6, activation: 'tanh', name: 'shared' });
  const ha = new classes.ChannelScale({ startScale: 0.5, name: 'scale' }).apply(shared.apply(a));
  const hb = new classes.MeanSplit({ name: 'split' }).apply(shared.apply(b));
  const joined = lib.layers.concatenate({ name: 'joined' }).apply([ha, hb]);
  const out = lib.layers.dense({ units: 3, activation: 'softmax', name: 'out' }).apply(joined);
  return lib.model({ inputs: [a, b], outputs: out });
}

test('a graph of JavaScript layers saved by either library, loaded by the other: the same outputs; and trained after loading', async () => {
  const ours = buildGraph(dl, OURS);
  const theirs = buildGraph(tf, THEIRS);
  for (const name of ['shared', 'scale', 'out']) {
    const w = ours.getLayer(name).getWeights();
    theirs.getLayer(name).setWeights(w.map((t) => tf.tensor(t.dataSync(), t.shape)));
    dl.dispose(w);
  }
  const [xa] = data(dl, 8);
  const xb = dl.tensor(values(40, 21), [8, 5]);
  const [txa] = data(tf, 8);
  const txb = tf.tensor(values(40, 21), [8, 5]);
  assertSame(ours.predict([xa, xb]), theirs.predict([txa, txb]), 'the twins');

  let saved = null;
  await ours.save(dl.io.withSaveHandler(async (artifacts) => void (saved = artifacts)));
  assert.equal(saved.modelTopology.class_name, 'Model');
  const shared = saved.modelTopology.config.layers.find((l) => l.name === 'shared');
  assert.equal(shared.inbound_nodes.length, 2, 'the shared layer: two applications');
  const intoTheirs = await tf.loadLayersModel(tf.io.fromMemory(saved));
  assert.equal(intoTheirs.getLayer('scale').startScale, 0.5);
  assertSame(ours.predict([xa, xb]), intoTheirs.predict([txa, txb]), 'ours loaded in TensorFlow.js');

  let theirsSaved = null;
  await theirs.save(tf.io.withSaveHandler(async (artifacts) => void (theirsSaved = artifacts)));
  const intoOurs = await dl.loadLayersModel(dl.io.fromMemory(theirsSaved));
  assert.equal(intoOurs.getLayer('scale').startScale, 0.5);
  assertSame(intoOurs.predict([xa, xb]), theirs.predict([txa, txb]), 'TensorFlow.js’ loaded in ours');
  // Our own file loaded while the model it came from lives: the same outputs.
  const again = await dl.loadLayersModel(dl.io.fromMemory(saved));
  assertSame(again.predict([xa, xb]), ours.predict([xa, xb]), 'ours loaded beside the original');

  // Trained after loading: the loss falls, and the JavaScript layer's weight moves.
  again.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  const [bx, by] = data(dl, 32);
  const bx2 = dl.tensor(values(160, 22), [32, 5]);
  const before = Array.from(again.getLayer('scale').getWeights()[0].dataSync());
  const h = await again.fit([bx, bx2], by, { epochs: 3, batchSize: 8 });
  assert.ok(h.history.loss[2] < h.history.loss[0], `loss ${h.history.loss}`);
  assert.notDeepEqual(Array.from(again.getLayer('scale').getWeights()[0].dataSync()), before);

  // A file whose weight has another shape: refused, naming it.
  const bad = structuredClone(saved);
  bad.weightSpecs.find((s) => s.name === 'scale/scale').shape = [2, 3];
  await assert.rejects(dl.loadLayersModel(dl.io.fromMemory(bad)), /scale\/scale/);
  for (const m of [ours, intoOurs, again]) m.dispose();
});

test('saving a graph keeps the names layers were given; a failed load frees the JavaScript layers it made', async () => {
  // An unnamed engine layer first, then a JavaScript layer named as the engine one would be.
  const x = dl.input({ shape: [5] });
  const h = dl.layers.dense({ units: 4 }).apply(x);
  const model = dl.model({ inputs: x, outputs: new OURS.ChannelScale({ name: 'dense' }).apply(h) });
  let saved = null;
  await model.save(dl.io.withSaveHandler(async (artifacts) => void (saved = artifacts)));
  const names = saved.modelTopology.config.layers.map((l) => `${l.class_name}:${l.name}`);
  assert.deepEqual(names, [`InputLayer:${x.name}`, 'Dense:dense_1', 'ChannelScale:dense']);
  assert.deepEqual(
    saved.weightSpecs.map((s) => s.name),
    ['dense_1/kernel', 'dense_1/bias', 'dense/scale', 'dense/shift'],
  );
  const [bx] = data(dl, 4);
  const loaded = await dl.loadLayersModel(dl.io.fromMemory(saved));
  assertSame(loaded.predict(bx), model.predict(bx), 'loaded');
  loaded.dispose();

  // Two layers given one name: refused, naming it.
  const twice = dl.model({
    inputs: x,
    outputs: new OURS.ChannelScale({ name: 'same' }).apply(dl.layers.dense({ units: 4, name: 'same' }).apply(x)),
  });
  await assert.rejects(
    twice.save(dl.io.withSaveHandler(async () => {})),
    /two layers or inputs of the model are named "same"/,
  );

  // A file that fails after its JavaScript layer was made (a Softmax over axis 1): refused,
  // and the layer's weights are freed.
  const bad = structuredClone(saved);
  bad.modelTopology.config.layers.push({
    name: 'probabilities',
    class_name: 'Softmax',
    config: { name: 'probabilities', axis: 1 },
    inbound_nodes: [[['dense', 0, 0, {}]]],
  });
  bad.modelTopology.config.output_layers = [['probabilities', 0, 0]];
  const before = dl.memory().numTensors;
  await assert.rejects(dl.loadLayersModel(dl.io.fromMemory(bad)), /probabilities.*Softmax over axis 1/);
  assert.equal(dl.memory().numTensors, before, 'no tensor left behind');
  for (const m of [model, twice]) m.dispose();
});

test('the summary of a graph of JavaScript layers names every layer with its output shape and parameters', async () => {
  const x = dl.input({ shape: [5] });
  const hidden = dl.layers.dense({ units: 6, activation: 'tanh' }).apply(x);
  const scaled = new OURS.ChannelScale({ startScale: 0.5, name: 'scale' }).apply(hidden);
  const model = dl.model({ inputs: x, outputs: dl.layers.dense({ units: 3 }).apply(scaled) });
  const lines = [];
  model.summary(undefined, undefined, (text) => lines.push(text));
  const text = lines.join('\n');
  assert.match(text, /dense \(dense\)\s+\[null,6\]\s+36\n/);
  assert.match(text, /scale \(ChannelScale\)\s+\[null,6\]\s+12\n/);
  assert.match(text, /dense_1 \(dense\)\s+\[null,3\]\s+21\n/);
  assert.doesNotMatch(text, /undefined/);
  model.dispose();
});
