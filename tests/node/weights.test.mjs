// Weights and structure as TensorFlow.js shows them (web/lib/weights.js): the same
// Sequential and graph models built in TensorFlow.js and here list the same weights
// (names, shapes, trainable), take TensorFlow.js' values through layer.setWeights,
// weight.val.assign and weight.write and then predict as TensorFlow.js does; a frozen layer
// keeps its weights through fit; symbolic tensors carry their shapes; bad writes are
// refused by name, change nothing and leave the engine's heap flat.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import { loadApi, rejectsWith, values } from './engine.mjs';

const dl = await loadApi();
const tf = createRequire(import.meta.url)('@tensorflow/tfjs');
await tf.setBackend('cpu');

const size = (shape) => shape.reduce((a, b) => a * b, 1);
// name, shape and trainable of each weight, as both libraries list them (TensorFlow.js
// numbers a repeated name, "d1/kernel_1", in `name` but not in `originalName`).
const listed = (weights) => weights.map((w) => [w.originalName, w.shape, w.trainable]);

function assertClose(mine, expected, what) {
  assert.equal(mine.length, expected.length, `${what}: ${mine.length} values, TensorFlow.js ${expected.length}`);
  const worst = Math.max(...Array.from(mine, (v, i) => Math.abs(v - expected[i])));
  assert.ok(worst < 1e-5, `${what}: largest difference from TensorFlow.js ${worst}`);
}

// TensorFlow.js' weights set to seeded values (variances positive), so that a copy that
// misses or swaps one shows in the predictions.
function randomize(model) {
  model.weights.forEach((w, i) => {
    const v = values(size(w.shape), 11 + i);
    w.write(tf.tensor(w.name.endsWith('variance') ? v.map((x) => 0.5 + Math.abs(x)) : v, w.shape));
  });
}

const sequentialIn = (lib) =>
  lib.sequential({
    layers: [
      lib.layers.dense({ units: 6, activation: 'relu', inputShape: [4], name: 'd1' }),
      lib.layers.batchNormalization({ name: 'bn' }),
      lib.layers.dense({ units: 3, activation: 'softmax', name: 'd2' }),
    ],
  });

test('a Sequential lists TensorFlow.js weights and, given its values by layer.setWeights, predicts as it does', () => {
  const ours = sequentialIn(dl);
  const theirs = sequentialIn(tf);
  randomize(theirs);
  assert.deepEqual(listed(ours.weights), listed(theirs.weights));
  assert.deepEqual(listed(ours.trainableWeights), listed(theirs.trainableWeights));
  // Batch normalization's moving statistics are not trained.
  assert.deepEqual(listed(ours.nonTrainableWeights), [
    ['bn/moving_mean', [6], false],
    ['bn/moving_variance', [6], false],
  ]);
  assert.deepEqual(listed(ours.nonTrainableWeights), listed(theirs.nonTrainableWeights));
  for (const layer of theirs.layers) {
    const mine = ours.getLayer(layer.name);
    mine.setWeights(layer.getWeights().map((t) => dl.tensor(t.dataSync(), t.shape)));
    mine.getWeights().forEach((t, i) => {
      assert.deepEqual(t.shape, layer.getWeights()[i].shape);
      assertClose(t.dataSync(), layer.getWeights()[i].dataSync(), `${layer.name} weight ${i} read back`);
    });
  }
  const x = values(5 * 4, 3);
  assertClose(
    ours.predict(dl.tensor(x, [5, 4])).dataSync(),
    theirs.predict(tf.tensor(x, [5, 4])).dataSync(),
    'predict',
  );
  // getLayer by index, and the structure members.
  assert.equal(ours.getLayer(1).name, 'bn');
  assert.deepEqual(
    ours.inputs.map((t) => t.shape),
    theirs.inputs.map((t) => t.shape),
  );
  assert.deepEqual(
    ours.outputs.map((t) => t.shape),
    theirs.outputs.map((t) => t.shape),
  );
  assert.deepEqual(
    ours.outputLayers.map((l) => l.name),
    ['d2'],
  );
  ours.dispose();
});

const graphIn = (lib) => {
  const a = lib.input({ shape: [3], name: 'a' });
  const b = lib.input({ shape: [2], name: 'b' });
  const ha = lib.layers.dense({ units: 5, activation: 'tanh', name: 'ha' }).apply(a);
  const hb = lib.layers.dense({ units: 5, activation: 'tanh', name: 'hb' }).apply(b);
  const sum = lib.layers.add({ name: 'sum' }).apply([ha, hb]);
  const joined = lib.layers.concatenate({ name: 'joined' }).apply([sum, ha]);
  const out = lib.layers.dense({ units: 2, name: 'out' }).apply(joined);
  return { model: lib.model({ inputs: [a, b], outputs: out }), tensors: [a, b, ha, hb, sum, joined, out] };
};

test('a graph model takes TensorFlow.js weights through val.assign and write, predicts as it does, and its symbolic tensors have shapes', () => {
  const { model: ours, tensors: mine } = graphIn(dl);
  const { model: theirs, tensors } = graphIn(tf);
  randomize(theirs);
  assert.deepEqual(listed(ours.weights), listed(theirs.weights));
  // Every symbolic tensor of the graph has TensorFlow.js' shape once dl.model() built it.
  assert.deepEqual(
    mine.map((t) => t.shape),
    tensors.map((t) => t.shape),
  );
  assert.deepEqual(mine.at(-1).shape, [null, 2]);
  ours.weights.forEach((w, i) => {
    const t = dl.tensor(theirs.weights[i].read().dataSync(), theirs.weights[i].shape);
    if (i % 2) w.val.assign(t);
    else assert.equal(w.write(t), w, 'write returns the weight, as TensorFlow.js does');
  });
  ours.weights.forEach((w, i) => assertClose(w.read().dataSync(), theirs.weights[i].read().dataSync(), w.name));
  const [xa, xb] = [values(4 * 3, 5), values(4 * 2, 6)];
  assertClose(
    ours.predict([dl.tensor(xa, [4, 3]), dl.tensor(xb, [4, 2])]).dataSync(),
    theirs.predict([tf.tensor(xa, [4, 3]), tf.tensor(xb, [4, 2])]).dataSync(),
    'predict',
  );
  assert.deepEqual(
    ours.inputLayers.map((l) => l.name),
    ['a', 'b'],
  );
  assert.deepEqual(
    ours.outputLayers.map((l) => l.name),
    theirs.outputLayers.map((l) => l.name),
  );
  assert.equal(ours.getLayer('hb').getWeights()[0].shape.join(), '2,5');
  ours.dispose();
});

test('trainable = false on a layer of a compiled model freezes its weights from the next compile on, as in TensorFlow.js', async () => {
  const ours = sequentialIn(dl);
  const theirs = sequentialIn(tf);
  const x = dl.tensor(values(16 * 4, 8), [16, 4]);
  const y = dl.oneHot(
    Array.from({ length: 16 }, (_, i) => i % 3),
    3,
  );
  ours.compile({ optimizer: dl.train.sgd(0.1), loss: 'categoricalCrossentropy' });
  const read = () => ours.weights.map((w) => Array.from(w.read().dataSync()));
  let before = read();
  await ours.fit(x, y, { epochs: 1, batchSize: 8 });
  assert.ok(
    read().every((v, i) => JSON.stringify(v) !== JSON.stringify(before[i])),
    'before freezing, every weight trains (statistics included)',
  );
  ours.getLayer('d1').trainable = false;
  theirs.getLayer('d1').trainable = false;
  assert.equal(ours.getLayer('d1').trainable, false);
  assert.deepEqual(listed(ours.weights), listed(theirs.weights));
  assert.deepEqual(listed(ours.trainableWeights), listed(theirs.trainableWeights));
  assert.deepEqual(listed(ours.nonTrainableWeights), listed(theirs.nonTrainableWeights));
  ours.compile({ optimizer: dl.train.sgd(0.1), loss: 'categoricalCrossentropy' });
  const names = ours.weights.map((w) => w.name);
  before = read();
  const prediction = ours.predict(x).dataSync();
  assertClose(ours.predict(x).dataSync(), prediction, 'the recompiled model predicts as before');
  await ours.fit(x, y, { epochs: 2, batchSize: 8 });
  const after = read();
  names.forEach((name, i) => {
    const same = JSON.stringify(after[i]) === JSON.stringify(before[i]);
    assert.equal(same, name.startsWith('d1/'), `${name} ${same ? 'kept' : 'changed'} its values through fit`);
  });
  // Back to trainable at the next compile.
  ours.getLayer('d1').trainable = true;
  ours.compile({ optimizer: dl.train.sgd(0.1), loss: 'categoricalCrossentropy' });
  await ours.fit(x, y, { epochs: 1, batchSize: 8 });
  assert.notDeepEqual(read()[0], after[0], 'unfrozen, d1/kernel trains again');
  assert.throws(() => (ours.getLayer('d1').trainable = 'no'), /trainable: layer "d1" takes true or false; got "no"/);
  ours.dispose();
});

test('a frozen layer of a graph model keeps its weights through fit; the others train', async () => {
  const { model } = graphIn(dl);
  model.getLayer('ha').trainable = false;
  assert.deepEqual(
    model.nonTrainableWeights.map((w) => w.name),
    ['ha/kernel', 'ha/bias'],
  );
  model.compile({ optimizer: dl.train.sgd(0.1), loss: 'meanSquaredError' });
  const read = () => model.weights.map((w) => [w.name, Array.from(w.read().dataSync())]);
  const before = read();
  const x = [dl.tensor(values(8 * 3, 1), [8, 3]), dl.tensor(values(8 * 2, 2), [8, 2])];
  await model.fit(x, dl.tensor(values(8 * 2, 3), [8, 2]), { epochs: 2, batchSize: 4 });
  read().forEach(([name, v], i) => {
    const same = JSON.stringify(v) === JSON.stringify(before[i][1]);
    assert.equal(same, name.startsWith('ha/'), `${name} ${same ? 'kept' : 'changed'} its values through fit`);
  });
  model.dispose();
});

test('bad writes are refused by name, change nothing and leave the heap flat', async () => {
  const model = sequentialIn(dl);
  const kernel = model.weights[0];
  const start = (await dl.engineMemory()).heapInUse;
  const snapshot = () => model.weights.map((w) => Array.from(w.read().dataSync()));
  const before = snapshot();
  const d1 = model.getLayer('d1');
  for (let round = 0; round < 20; round++) {
    assert.throws(
      () => kernel.write(dl.zeros([4, 5])),
      /write: weight "d1\/kernel" has shape \[4,6\]; got a tensor of shape \[4,5\]/,
    );
    assert.throws(() => kernel.val.assign([1, 2]), /write: weight "d1\/kernel" must be given a Tensor .*; got Array/);
    assert.throws(() => d1.setWeights([dl.zeros([4, 6])]), /setWeights: layer "d1" has 2 weights .*; got a list of 1/);
    assert.throws(() => d1.setWeights(dl.zeros([4, 6])), /setWeights: layer "d1" has 2 weights .*; got "Tensor"/);
    // The bias is wrong: the kernel, checked first and right, is not written either.
    assert.throws(
      () => d1.setWeights([dl.ones([4, 6]), dl.ones([5])]),
      /setWeights: weight "d1\/bias" has shape \[6\]; got a tensor of shape \[5\]/,
    );
    const disposed = dl.ones([4, 6]);
    disposed.dispose();
    assert.throws(() => kernel.write(disposed), /write: weight "d1\/kernel": this tensor has been disposed/);
    assert.throws(() => dl.layers.dense({ units: 2 }).getWeights(), /getWeights: layer "dense" is not built yet/);
    assert.throws(
      () => dl.layers.dense({ units: 2, name: 'lone' }).setWeights([]),
      /setWeights: layer "lone" is not built yet/,
    );
  }
  assert.deepEqual(snapshot(), before, 'the refused writes changed no weight');
  const end = (await dl.engineMemory()).heapInUse;
  assert.ok(Math.abs(end - start) < 1 << 20, `heap in use went from ${start} to ${end} bytes`);
  await model.dispose();
  assert.throws(() => kernel.read(), /read: this model has been disposed/);
  await rejectsWith(async () => d1.getWeights(), /getWeights: this model has been disposed/);
});

test('layer configs still serialize as before; trainable appears once set', () => {
  const layer = dl.layers.dense({ units: 2, name: 'd' });
  assert.deepEqual(JSON.parse(JSON.stringify(layer)), { units: 2, name: 'd', type: 'dense' });
  assert.equal(layer.trainable, true);
  layer.trainable = false;
  assert.deepEqual(JSON.parse(JSON.stringify(layer)), { units: 2, name: 'd', type: 'dense', trainable: false });
  assert.equal(dl.layers.dense({ units: 2, trainable: false }).trainable, false);
});

test('layers given as plain configs and layers of a loaded file have the members too: freezing one keeps it through fit', async () => {
  const original = dl.sequential({
    seed: 2,
    layers: [
      { type: 'dense', units: 4, activation: 'tanh', inputShape: [3] },
      { type: 'dense', units: 1 },
    ],
  });
  await original.build();
  assert.equal(original.layers[0].getWeights()[0].shape.join(), '3,4');
  const loaded = await dl.io.importModel(await dl.io.exportModel(original));
  loaded.layers[0].trainable = false;
  loaded.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const before = loaded.layers.map((l) => l.getWeights()[0].dataSync().slice());
  const x = dl.tensor(values(30, 5), [10, 3]);
  const y = dl.tensor(values(10, 6), [10, 1]);
  await loaded.fit(x, y, { epochs: 2, batchSize: 5 });
  const after = loaded.layers.map((l) => l.getWeights()[0].dataSync());
  assert.deepEqual(Array.from(after[0]), Array.from(before[0]), 'the frozen first layer');
  assert.notDeepEqual(Array.from(after[1]), Array.from(before[1]), 'the second layer trains');
  assert.deepEqual(
    loaded.trainableWeights.map((w) => w.name),
    [`${loaded.layers[1].name}/kernel`, `${loaded.layers[1].name}/bias`],
  );
  for (const m of [original, loaded]) await m.dispose();
  dl.dispose([x, y]);
});
