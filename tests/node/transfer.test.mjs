// Transfer learning through the JavaScript API: frozen layers (trainable: false) through
// fit, saving and loading; a trained base under a new head (replaceHead) and the copy of
// shared layers' weights; a subset of classes with a few samples each; and what a
// convolution filter responds to (activation maximization of one channel).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadApi, rejectsWith, xorData } from './engine.mjs';

const dl = await loadApi();

test('a frozen layer (trainable: false) keeps its weights through fit, in saved models and after loading them', async () => {
  const model = dl.sequential({
    seed: 5,
    layers: [
      dl.layers.dense({ units: 6, activation: 'tanh', inputShape: [2], trainable: false }),
      dl.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: dl.train.adam(0.05), loss: 'binaryCrossentropy' });
  const [x, y] = xorData();
  const before = await model.weightEntries();
  await model.fit(x, y, { epochs: 20, batchSize: 4 });
  const after = await model.weightEntries();
  assert.deepEqual(Array.from(after[0].values), Array.from(before[0].values), 'the frozen kernel');
  assert.notDeepEqual(Array.from(after[2].values), Array.from(before[2].values), 'the trainable kernel learned');
  const artifacts = await dl.io.exportModel(model);
  assert.deepEqual(
    artifacts.modelTopology.config.layers.map((l) => l.config.trainable),
    [false, true],
  );
  const loaded = await dl.io.importModel(artifacts);
  assert.deepEqual(
    loaded.layerConfigs.map((l) => l.trainable ?? true),
    [false, true],
  );
  loaded.compile({ optimizer: dl.train.adam(0.05), loss: 'binaryCrossentropy' });
  const w0 = await loaded.weightEntries();
  await loaded.fit(x, y, { epochs: 5, batchSize: 4 });
  assert.deepEqual(Array.from((await loaded.weightEntries())[0].values), Array.from(w0[0].values));
  await rejectsWith(
    dl.sequential({ layers: [dl.layers.dense({ units: 1, inputShape: [2], trainable: 'no' })] }).build(),
    /trainable must be true or false/,
  );
  await Promise.all([model.dispose(), loaded.dispose()]);
});

test('activation maximization of a convolution filter raises its mean response above the grey start', async () => {
  const model = dl.sequential({
    seed: 4,
    layers: [
      dl.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'tanh', inputShape: [10, 10, 1] }),
      dl.layers.flatten(),
      dl.layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  for (let unit = 0; unit < 3; unit++) {
    const start = await model.maximizeActivation({ layer: 0, unit, steps: 0 });
    const grown = await model.maximizeActivation({ layer: 0, unit, steps: 40 });
    assert.deepEqual(grown.shape, [10, 10, 1]);
    assert.ok(grown.value > start.value + 0.1, `filter ${unit}: ${start.value} -> ${grown.value}`);
  }
  await rejectsWith(model.maximizeActivation({ layer: 0, unit: 3 }), /unit 3 is outside layer 0's 3 units/);
  await model.dispose();
});

test('classSubset keeps the rows of some classes, the first perClass of each, in order', () => {
  const labels = [5, 1, 5, 7, 5, 9, 7, 1, 5];
  assert.deepEqual(dl.data.classSubset(labels, { classes: [5, 7] }), [0, 2, 3, 4, 6, 8]);
  assert.deepEqual(dl.data.classSubset(labels, { classes: [5, 7], perClass: 2 }), [0, 2, 3, 6]);
  assert.deepEqual(dl.data.classSubset(labels, { perClass: 1 }), [0, 1, 3, 5]);
  assert.deepEqual(dl.data.classSubset(labels, { classes: [3] }), []);
  assert.throws(
    () => dl.data.classSubset(labels, { classes: '5-9' }),
    /classes must be null or an array of class numbers; got "5-9"/,
  );
  assert.throws(() => dl.data.classSubset(labels, { perClass: -2 }), /perClass must be a number >= 0; got -2/);
  assert.throws(() => dl.data.classSubset([1, 0.5]), /labels must be whole class numbers >= 0; got 0.5/);
});

test('replaceHead keeps a trained base (weights bit-identical, frozen) under a new head that trains', async () => {
  const [x, y] = xorData();
  const model = dl.sequential({
    seed: 3,
    layers: [
      dl.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }),
      dl.layers.dense({ units: 4, activation: 'tanh' }),
      dl.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: dl.train.adam(0.05), loss: 'binaryCrossentropy' });
  await model.fit(x, y, { epochs: 30, batchSize: 4 });
  const trained = await model.weightEntries();
  const tuned = await model.replaceHead({
    remove: 2,
    add: [dl.layers.dense({ units: 3, activation: 'relu' }), dl.layers.dense({ units: 1, activation: 'sigmoid' })],
    seed: 9,
  });
  assert.deepEqual(
    tuned.layerConfigs.map((l) => [l.units, l.trainable ?? true]),
    [
      [8, false],
      [3, true],
      [1, true],
    ],
  );
  const start = await tuned.weightEntries();
  assert.deepEqual(Array.from(start[0].values), Array.from(trained[0].values), 'the base kernel is the trained one');
  assert.deepEqual(Array.from(start[1].values), Array.from(trained[1].values), 'the base bias is the trained one');
  assert.equal(start[2].shape.join(), '8,3', 'the new head has its own shape');
  tuned.compile({ optimizer: dl.train.adam(0.05), loss: 'binaryCrossentropy' });
  await tuned.fit(x, y, { epochs: 10, batchSize: 4 });
  const after = await tuned.weightEntries();
  assert.deepEqual(Array.from(after[0].values), Array.from(trained[0].values), 'the frozen base did not move');
  assert.notDeepEqual(Array.from(after[2].values), Array.from(start[2].values), 'the head learned');

  // Without freeze the base trains too; a model whose first layer differs shares nothing.
  const open = await model.replaceHead({ remove: 1, add: [dl.layers.dense({ units: 1 })], freeze: false });
  assert.deepEqual(
    open.layerConfigs.map((l) => l.trainable ?? true),
    [true, true, true],
  );
  const other = dl.sequential({
    layers: [dl.layers.dense({ units: 5, inputShape: [2] }), dl.layers.dense({ units: 1 })],
  });
  assert.equal(await dl.copyLeadingWeights(model, other), 0);
  assert.equal(await dl.copyLeadingWeights(model, open), 2, 'the two layers the models share');
  await rejectsWith(
    model.replaceHead({ remove: 3 }),
    /remove must be a whole number of layers from 0 to 2 \(the model has 3\); got 3/,
  );
  await rejectsWith(model.replaceHead({ add: dl.layers.dense({ units: 1 }) }), /add must be an array of layers/);
  await rejectsWith(
    model.replaceHead({ remove: 1, add: [dl.layers.conv2d({ filters: 2, kernelSize: 3 })] }),
    /replaceHead: .*conv2d/,
  );
  await Promise.all([model, tuned, open, other].map((m) => m.dispose()));
});
