// Keras' own functional JSON (tests/fixtures/keras): Keras 2 model.to_json() loads as the
// TensorFlow.js file of the same model does; Keras 3 config.json (nodes of
// __keras_tensor__ args) imports, builds, trains and predicts, and with TensorFlow.js'
// weights of the same model gives TensorFlow.js' predictions; input and output lists in
// each of their spellings; several outputs.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  dl,
  tf,
  values,
  batch,
  structure,
  fixture,
  trainAndSave,
  expectSamePredictions,
  keras2Reference,
} from './tfjs_graphs.mjs';

test('Keras 2 functional JSON (model.to_json) loads as the TensorFlow.js file of the same model does, with its predictions', async () => {
  const { model: theirs, artifacts } = await keras2Reference();
  const keras2 = JSON.parse(fixture('keras2_functional.json'));
  const fromKeras = await dl.io.importModel({ ...artifacts, modelTopology: keras2 });
  const fromTfjs = await dl.io.importModel(artifacts);
  assert.deepEqual(
    structure(fromKeras.description()),
    structure(fromTfjs.description()),
    'the same graph from both files',
  );
  assert.deepEqual(
    fromKeras.description().layers.find((l) => l.apply === 'shared'),
    { apply: 'shared', inputs: ['skip'] },
    'Keras 2 node index 1 of "shared" is our "shared:1"',
  );
  await expectSamePredictions(fromKeras, theirs, [[4], [3]], 'Keras 2 JSON with TensorFlow.js weights');
  await fromKeras.dispose();
  await fromTfjs.dispose();
});

test('Keras 3 config.json (args of __keras_tensor__, batch_shape, class "Functional") imports, builds, trains and predicts with the right shapes', async () => {
  const residual = await dl.io.modelFromJSON(fixture('keras3_residual_config.json'));
  const d = residual.description();
  assert.deepEqual(d.inputs, [{ name: 'pixels', shape: [6] }]);
  assert.deepEqual(
    d.layers.map((l) => [l.apply ?? l.type, l.inputs]),
    [
      ['dense', ['pixels']],
      ['dense', ['d1']],
      ['add', ['d1', 'd2']],
      ['d2', ['res']],
      ['multiply', ['d2:1', 'd1']],
      ['maximum', ['gate', 'd2']],
      ['average', ['mx', 'res']],
      ['dropout', ['avg']],
      ['dense', ['drop']],
    ],
    'GaussianNoise is left out: "gate" takes what it took',
  );
  assert.deepEqual(residual.importNotes, [
    'noise (GaussianNoise) left out: it acts only while training and holds no weights',
  ]);
  residual.compile({ optimizer: dl.train.adam(0.02), loss: 'categoricalCrossentropy' });
  const x = dl.tensor(values(64 * 6, 3), [64, 6]);
  const y = dl.oneHot(
    dl.tensor1d(
      Array.from({ length: 64 }, (_, i) => i % 3),
      'int32',
    ),
    3,
  );
  const history = await residual.fit(x, y, { epochs: 8, batchSize: 16 });
  assert.ok(history.history.loss[7] < history.history.loss[0], `loss fell: ${history.history.loss}`);
  const probs = residual.predict(dl.tensor(values(5 * 6, 8), [5, 6]));
  assert.deepEqual(probs.shape, [5, 3]);
  const p = await probs.data();
  for (let i = 0; i < 5; i++) assert.ok(Math.abs(p[3 * i] + p[3 * i + 1] + p[3 * i + 2] - 1) < 1e-5, 'softmax rows');
  await residual.dispose();

  const siamese = await dl.io.modelFromJSON(JSON.parse(fixture('keras3_siamese_config.json')));
  assert.deepEqual(
    siamese.description().layers.map((l) => [l.apply ?? l.name, l.inputs]),
    [
      ['enc', ['left']],
      ['enc', ['right']],
      ['sim', ['enc', 'enc:1']],
      ['cat', ['enc', 'enc:1', 'sim']],
      ['out', ['cat']],
    ],
  );
  siamese.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  const pair = batch([[5], [5]], 16, 4).dl;
  await siamese.fit(
    pair,
    dl.tensor(
      values(16, 6).map((v) => (v > 0 ? 1 : 0)),
      [16, 1],
    ),
    { epochs: 2 },
  );
  assert.deepEqual(siamese.predict(pair).shape, [16, 1]);
  await siamese.dispose();
});

test('Keras 3 config.json with TensorFlow.js’ weights of the same model predicts as TensorFlow.js', async () => {
  const left = tf.input({ shape: [5], name: 'left' });
  const right = tf.input({ shape: [5], name: 'right' });
  const enc = tf.layers.dense({ units: 4, activation: 'tanh', name: 'enc' });
  const [l, r] = [enc.apply(left), enc.apply(right)];
  const sim = tf.layers.dot({ axes: -1, normalize: true, name: 'sim' }).apply([l, r]);
  const cat = tf.layers.concatenate({ name: 'cat' }).apply([l, r, sim]);
  const out = tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'out' }).apply(cat);
  const theirs = tf.model({ inputs: [left, right], outputs: out });
  const artifacts = await trainAndSave(theirs, [[5], [5]], 1, 'meanSquaredError');
  const ours = await dl.io.importModel({
    ...artifacts,
    modelTopology: JSON.parse(fixture('keras3_siamese_config.json')),
  });
  await expectSamePredictions(ours, theirs, [[5], [5]], 'Keras 3 JSON with TensorFlow.js weights');
  await ours.dispose();
});

test('input_layers and output_layers as one tensor, a list or a dict give the same model', async () => {
  const text = fixture('keras3_residual_config.json');
  const forms = [
    (c) => c,
    (c) => ((c.input_layers = [c.input_layers]), (c.output_layers = [c.output_layers]), c),
    (c) => ((c.input_layers = { pixels: c.input_layers }), (c.output_layers = { out: c.output_layers }), c),
  ];
  const descriptions = [];
  for (const form of forms) {
    const json = JSON.parse(text);
    form(json.config);
    const model = await dl.io.modelFromJSON(json);
    descriptions.push(model.description());
    await model.dispose();
  }
  assert.deepEqual(descriptions[1], descriptions[0]);
  assert.deepEqual(descriptions[2], descriptions[0]);
  assert.deepEqual(descriptions[0].outputs, ['out']);
});

test('Keras 3 output_layers of several tensors give a model of several outputs, in their order', async () => {
  const json = JSON.parse(fixture('keras3_siamese_config.json'));
  json.config.output_layers = [
    ['out', 0, 0],
    ['sim', 0, 0],
  ];
  const model = await dl.io.modelFromJSON(json);
  assert.deepEqual(model.description().outputs, ['out', 'sim']);
  const predictions = model.predict(batch([[5], [5]], 6, 2).dl);
  assert.deepEqual(
    predictions.map((t) => t.shape),
    [
      [6, 1],
      [6, 1],
    ],
  );
  const cosines = await predictions[1].data();
  assert.ok(
    cosines.every((c) => Math.abs(c) <= 1 + 1e-6),
    `the second output is the normalized Dot: ${cosines}`,
  );
  await model.dispose();
});
