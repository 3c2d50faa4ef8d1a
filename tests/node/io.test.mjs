// Models that outlive the tab: export to and import from TensorFlow.js' layers format
// (checked against @tensorflow/tfjs itself on real MNIST), links, and the loader's
// refusal of malformed, truncated, oversized or inconsistent files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';

import { loadApi, projectRoot, rejectsWith } from './engine.mjs';

const require = createRequire(join(projectRoot, 'package.json'));
let dl;
let tf;
let mnist;

before(async () => {
  dl = await loadApi();
  tf = require('@tensorflow/tfjs');
  await tf.setBackend('cpu');
  const dir = join(projectRoot, 'web/public/data/mnist-subset');
  const read = (name) => new Uint8Array(gunzipSync(readFileSync(join(dir, name))));
  const images = read('test-images-u8.gz.bin');
  const labels = read('test-labels-u8.gz.bin');
  mnist = {
    x: Float32Array.from(images.subarray(0, 100 * 784), (p) => p / 255),
    trainX: Float32Array.from(read('train-images-u8.gz.bin').subarray(0, 512 * 784), (p) => p / 255),
    trainY: read('train-labels-u8.gz.bin').subarray(0, 512),
    labels,
  };
});

const mlpLayers = () => [
  dl.layers.flatten({ inputShape: [28, 28, 1] }),
  dl.layers.dense({ units: 32, activation: 'relu' }),
  dl.layers.dense({ units: 10, activation: 'softmax' }),
];
const cnnLayers = () => [
  dl.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
  // A low momentum, so that the moving statistics settle within a short training run.
  dl.layers.batchNormalization({ momentum: 0.5 }),
  dl.layers.maxPooling2d({ poolSize: 2 }),
  dl.layers.conv2d({ filters: 8, kernelSize: [3, 3], strides: 2, padding: 'same', activation: 'relu' }),
  dl.layers.averagePooling2d({ poolSize: 2 }),
  dl.layers.dropout({ rate: 0.25 }),
  dl.layers.flatten(),
  dl.layers.dense({ units: 10, activation: 'softmax' }),
];

async function trained(layers) {
  const model = dl.sequential({ seed: 4, layers });
  model.compile({ optimizer: dl.train.adam(0.01), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const x = dl.tensor(mnist.trainX, [512, 28, 28, 1]);
  const y = dl.tensor(Float32Array.from(mnist.trainY), [512]);
  await model.fit(x, y, { epochs: 3, batchSize: 32 });
  x.dispose();
  y.dispose();
  return model;
}

const maxDifference = (a, b) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

async function ourPredictions(model) {
  const x = dl.tensor(mnist.x, [100, 28, 28, 1]);
  const p = model.predict(x);
  // Disposing the input before the output is read is safe, as in TensorFlow.js.
  x.dispose();
  return p.data();
}

test('exported Dense and CNN models predict in TensorFlow.js as in our engine on 100 MNIST test images', async () => {
  for (const layers of [mlpLayers(), cnnLayers()]) {
    const model = await trained(layers);
    const artifacts = await dl.io.exportModel(model);
    const theirs = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const input = tf.tensor4d(mnist.x, [100, 28, 28, 1]);
    const expected = theirs.predict(input).dataSync();
    const ours = await ourPredictions(model);
    assert.equal(ours.length, 1000);
    assert.ok(maxDifference(ours, expected) <= 1e-5, `largest difference ${maxDifference(ours, expected)}`);
    // The model must have learned something, or agreement proves little.
    const correct = Array.from({ length: 100 }, (_, i) => ours.subarray(i * 10, i * 10 + 10)).filter(
      (row, i) => row.indexOf(Math.max(...row)) === mnist.labels[i],
    ).length;
    assert.ok(correct > 50, `${correct} of 100 right`);
    theirs.dispose();
    input.dispose();
    await model.dispose();
  }
});

test('a model trained and saved by TensorFlow.js predicts identically in our engine', async () => {
  const theirs = tf.sequential();
  theirs.add(
    tf.layers.conv2d({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }),
  );
  theirs.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  theirs.add(tf.layers.batchNormalization());
  theirs.add(tf.layers.flatten());
  theirs.add(tf.layers.dense({ units: 16, activation: 'tanh' }));
  theirs.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  theirs.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
  const x = tf.tensor4d(mnist.trainX.subarray(0, 128 * 784), [128, 28, 28, 1]);
  const y = tf.tensor1d(Float32Array.from(mnist.trainY.subarray(0, 128)));
  await theirs.fit(x, y, { epochs: 1, batchSize: 32 });
  let saved;
  // With its optimizer, so that the file carries the training configuration too.
  const handler = tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  });
  await theirs.save(handler, { includeOptimizer: true });
  assert.ok(
    saved.weightSpecs.some((w) => w.group === 'optimizer'),
    'the file holds optimizer state to skip',
  );
  const model = await dl.io.importModel(saved);
  const expected = theirs.predict(tf.tensor4d(mnist.x, [100, 28, 28, 1])).dataSync();
  const ours = await ourPredictions(model);
  assert.ok(maxDifference(ours, expected) <= 1e-5, `largest difference ${maxDifference(ours, expected)}`);
  // The training configuration came along: the imported model is compiled and trains.
  const tx = dl.tensor(mnist.trainX.subarray(0, 64 * 784), [64, 28, 28, 1]);
  const ty = dl.tensor(Float32Array.from(mnist.trainY.subarray(0, 64)), [64]);
  const h = await model.fit(tx, ty, { epochs: 1, batchSize: 32 });
  assert.equal(h.history.loss.length, 1);
  [tx, ty].forEach((t) => t.dispose());
  await model.dispose();
  theirs.dispose();
});

test('a TensorFlow.js model with LeakyReLU, ELU, ReLU, Softmax, InputLayer and GaussianNoise layers predicts as in TensorFlow.js', async () => {
  const theirs = tf.sequential({
    layers: [
      tf.layers.inputLayer({ inputShape: [6] }),
      tf.layers.dense({ units: 12 }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.gaussianNoise({ stddev: 0.3 }),
      tf.layers.dense({ units: 12 }),
      tf.layers.elu(),
      tf.layers.dense({ units: 8 }),
      tf.layers.reLU(),
      tf.layers.activation({ activation: 'tanh' }),
      tf.layers.dense({ units: 4 }),
      tf.layers.softmax(),
    ],
  });
  let saved;
  await theirs.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const model = await dl.io.importModel(saved);
  assert.deepEqual(
    model.layerConfigs.map((l) => l.type),
    ['dense', 'leakyReLU', 'dense', 'elu', 'dense', 'reLU', 'activation', 'dense', 'activation'],
  );
  assert.equal(model.layerConfigs.at(-1).activation, 'softmax');
  assert.deepEqual(model.importNotes, [
    `${saved.modelTopology.config.layers[3].config.name} (GaussianNoise) left out: it acts only while training and holds no weights`,
  ]);
  const values = Float32Array.from({ length: 50 * 6 }, (_, i) => Math.sin(i * 1.7) * 2);
  const expected = theirs.predict(tf.tensor2d(values, [50, 6])).dataSync();
  const x = dl.tensor(values, [50, 6]);
  const ours = await model.predict(x).data();
  assert.ok(maxDifference(ours, expected) <= 1e-5, `largest difference ${maxDifference(ours, expected)}`);
  x.dispose();
  await model.dispose();
  // A softmax over another axis than the last is refused by name.
  const other = structuredClone(saved);
  const softmax = other.modelTopology.config.layers.at(-1).config;
  softmax.axis = 0;
  await rejectsWith(
    dl.io.importModel(other),
    new RegExp(`layer "${softmax.name}": a Softmax over axis 0; only the last axis \\(-1 or 1\\) is supported`),
  );
  theirs.dispose();
});

test('a TensorFlow.js CNN with ZeroPadding2D layers (even and uneven) predicts as in TensorFlow.js and exports back', async () => {
  const theirs = tf.sequential({
    layers: [
      tf.layers.zeroPadding2d({
        padding: [
          [0, 1],
          [2, 1],
        ],
        inputShape: [7, 6, 2],
      }),
      tf.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu' }),
      tf.layers.zeroPadding2d({ padding: 1 }),
      tf.layers.conv2d({ filters: 2, kernelSize: 2, strides: 2 }),
      tf.layers.zeroPadding2d({ padding: [1, 0] }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3 }),
    ],
  });
  let saved;
  await theirs.save(tf.io.withSaveHandler(async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: {} })));
  const model = await dl.io.importModel(saved);
  assert.deepEqual(
    model.layerConfigs.filter((l) => l.type === 'zeroPadding2d').map((l) => l.padding),
    [
      [
        [0, 1],
        [2, 1],
      ],
      [
        [1, 1],
        [1, 1],
      ],
      [
        [1, 1],
        [0, 0],
      ],
    ],
  );
  const values = Float32Array.from({ length: 20 * 7 * 6 * 2 }, (_, i) => Math.cos(i * 0.91));
  const expected = theirs.predict(tf.tensor4d(values, [20, 7, 6, 2])).dataSync();
  const x = dl.tensor(values, [20, 7, 6, 2]);
  const ours = await model.predict(x).data();
  assert.ok(maxDifference(ours, expected) <= 1e-5, `largest difference ${maxDifference(ours, expected)}`);
  // Exported and read by TensorFlow.js, it predicts the same.
  const back = await tf.loadLayersModel(tf.io.fromMemory(await dl.io.exportModel(model)));
  assert.ok(maxDifference(back.predict(tf.tensor4d(values, [20, 7, 6, 2])).dataSync(), expected) <= 1e-6);
  await rejectsWith(
    () => dl.sequential({ layers: [dl.layers.zeroPadding2d({ padding: [[1, 2, 3]], inputShape: [4, 4, 1] })] }).build(),
    /padding must be a whole number from 0 to 4096, \[height, width\] or \[\[top, bottom\], \[left, right\]\] of them/,
  );
  x.dispose();
  await model.dispose();
  theirs.dispose();
});

test('model.json and weights files round-trip, keeping the compile settings', async () => {
  const model = await trained(mlpLayers());
  const artifacts = await dl.io.exportModel(model);
  const json = dl.io.modelJson(artifacts, 'mnist.weights.bin');
  assert.match(json, /"paths":\["mnist.weights.bin"\]/);
  assert.match(json, /"optimizer_config":\{"class_name":"Adam","config":\{"learningRate":0.01/);
  const copy = await dl.io.importModel({ modelJson: json, weights: artifacts.weightData });
  assert.deepEqual(await ourPredictions(copy), await ourPredictions(model));
  assert.equal(await copy.learningRate(), 0.009999999776482582);
  await copy.dispose();
  await model.dispose();
});

test('small trained models fit in a link; large ones are refused; damaged links are named', async () => {
  const small = dl.sequential({
    seed: 2,
    layers: [
      dl.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }),
      dl.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  small.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  const link = await dl.io.modelToLink(small);
  assert.match(link, /^[A-Za-z0-9_-]+$/);
  assert.ok(link.length < 4000, `${link.length} characters`);
  const back = await dl.io.modelFromLink(link);
  const probe = dl.tensor([
    [0.5, -1],
    [2, 3],
  ]);
  assert.deepEqual(await back.predict(probe).data(), await small.predict(probe).data());
  const big = dl.sequential({ layers: [dl.layers.dense({ units: 256, inputShape: [784] })] });
  await rejectsWith(dl.io.modelToLink(big), /link: this model needs \d+ KB in a link; the limit is 64 KB/);
  await rejectsWith(dl.io.modelFromLink(`${link.slice(0, 40)}x`), /the link is damaged/);
  await rejectsWith(dl.io.modelFromLink(''), /the link does not hold a model/);
  for (const m of [small, back, big]) await m.dispose();
  probe.dispose();
});

test('malformed, truncated, oversized or inconsistent files are refused with a clear message', async () => {
  const model = await trained(mlpLayers());
  const artifacts = await dl.io.exportModel(model);
  const json = JSON.parse(dl.io.modelJson(artifacts));
  const weights = artifacts.weightData;
  const before = await ourPredictions(model);
  const start = (await dl.engineMemory()).heapInUse;
  const refuses = (input, pattern) => rejectsWith(dl.io.importModel(input), pattern);
  const edit = (change) => {
    const copy = structuredClone(json);
    change(copy);
    return JSON.stringify(copy);
  };
  await refuses({ modelJson: '{"modelTopology": ', weights }, /model file: model.json is not valid JSON/);
  await refuses(
    { modelJson: JSON.stringify(json), weights: weights.slice(0, 1000) },
    /the weights binary is truncated: it holds 1000 bytes, but "dense\/kernel" ends at byte/,
  );
  await refuses(
    { modelJson: JSON.stringify(json), weights: new ArrayBuffer((256 << 20) + 4) },
    /the weights are \d+ bytes; the limit is 268435456/,
  );
  await refuses({ modelJson: 'x'.repeat((16 << 20) + 1), weights }, /model.json is \d+ bytes; the limit is 16777216/);
  await refuses(
    { modelJson: edit((j) => (j.weightsManifest[0].weights[1].dtype = 'int32')), weights },
    /weight "dense\/bias" has dtype "int32"; only "float32" is supported/,
  );
  await refuses(
    {
      modelJson: edit((j) => j.weightsManifest[0].weights.splice(3, 1)),
      weights: weights.slice(0, weights.byteLength - 40),
    },
    /missing weights for layer "dense_1": bias \(expected an entry named "dense_1\/bias"\)/,
  );
  await refuses(
    { modelJson: edit((j) => (j.weightsManifest[0].weights[0].shape = [784, 16, 2])), weights },
    /"dense\/kernel" has shape \[784,16,2\]; the layer needs \[784,32\]/,
  );
  await refuses(
    { modelJson: edit((j) => (j.modelTopology.config.layers[1].class_name = 'ConvLSTM2D')), weights },
    /layer "dense" is a "ConvLSTM2D", which this playground does not support \(supported: Dense, Conv2D/,
  );
  await refuses(
    { modelJson: edit((j) => (j.modelTopology.class_name = 'Functional')), weights },
    /config.input_layers must list the model's inputs as \[layer name, node index, tensor index\]; got undefined/,
  );
  await refuses({ modelJson: edit((j) => delete j.weightsManifest), weights }, /the weights manifest is missing/);
  await refuses(
    { modelJson: JSON.stringify(json), weights: new ArrayBuffer(weights.byteLength + 8) },
    /the weights binary holds \d+ bytes; the manifest describes \d+/,
  );
  await refuses(
    { modelJson: edit((j) => delete j.modelTopology.config.layers[0].config.batch_input_shape), weights },
    /the first layer \(layer "flatten"\) needs a known input shape/,
  );
  const nan = new Float32Array(weights.slice(0));
  nan[5] = Number.NaN;
  await refuses(
    { modelJson: JSON.stringify(json), weights: nan.buffer },
    /setWeights: "dense\/kernel" holds NaN at index 5; weights must be finite/,
  );
  assert.deepEqual(await ourPredictions(model), before, 'the current model is untouched');
  assert.ok((await dl.engineMemory()).heapInUse - start < 1 << 20, 'refused imports leave nothing allocated');
  await rejectsWith(model.setWeights([new Float32Array(3)]), /setWeights: the model has 4 weight arrays; 1 were given/);
  assert.deepEqual(await ourPredictions(model), before);
  await model.dispose();
});

test('a layer without class_name is named by its index and the missing key is said', async () => {
  const model = await trained(mlpLayers());
  const artifacts = await dl.io.exportModel(model);
  const json = JSON.parse(dl.io.modelJson(artifacts));
  delete json.modelTopology.config.layers[2].class_name;
  delete json.modelTopology.config.layers[2].config.name;
  await rejectsWith(
    dl.io.importModel({ modelJson: JSON.stringify(json), weights: artifacts.weightData }),
    /model file: layer 2 has no class_name, the key that names its type \(such as "Dense"\)/,
  );
  await model.dispose();
});

// Every string in a model file (class names, activations, padding, dtypes, weight names,
// the loss, the optimizer) set in turn to a member name that every object has: a table
// lookup must not find it. Each file is refused with a ModelFormatError or the engine's
// own message, or loads; none escapes as a TypeError, and none leaves memory behind.
test('every string field of a model file set to an Object.prototype member name is refused clearly', async () => {
  const model = await trained(cnnLayers());
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const artifacts = await dl.io.exportModel(model);
  const text = dl.io.modelJson(artifacts);
  const strings = [...text.matchAll(/"((?:[^"\\]|\\.)*)"/g)];
  const names = [...Object.getOwnPropertyNames(Object.prototype), 'prototype', 'name', 'length'];
  const start = (await dl.engineMemory()).heapInUse;
  let refused = 0;
  for (const m of strings)
    for (const name of names) {
      const modelJson = `${text.slice(0, m.index)}"${name}"${text.slice(m.index + m[0].length)}`;
      try {
        await (await dl.io.importModel({ modelJson, weights: artifacts.weightData })).dispose();
      } catch (error) {
        const clear = error instanceof dl.io.ModelFormatError || error.constructor === Error;
        assert.ok(clear, `"${m[1]}" → "${name}": ${error.constructor.name}: ${error.message}`);
        refused += 1;
      }
    }
  assert.ok(refused > strings.length, `${refused} of ${strings.length * names.length} files were refused`);
  const growth = (await dl.engineMemory()).heapInUse - start;
  assert.ok(growth < 4096, `${strings.length * names.length} imports left ${growth} bytes behind in the engine`);
  await model.dispose();
});
