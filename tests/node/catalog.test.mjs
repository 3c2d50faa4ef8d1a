// The engine's catalog as JavaScript sees it: the layer factories, the Keras importer and
// exporter and the benchmark's FLOP counts all derive from it. The ReLU and LeakyReLU
// layers, added to the engine's catalog alone, go end to end: built through dl.layers,
// trained, exported to TensorFlow.js and imported from it with the same predictions.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import { catalog, layerSpec, weightNames } from '../../web/lib/catalog.js';
import { benchModel, flopsPerSample } from '../../web/src/bench/bench_models.js';
import { loadApi, rejectsWith } from './engine.mjs';

const dl = await loadApi();
const tf = createRequire(import.meta.url)('@tensorflow/tfjs');
await tf.setBackend('cpu');

// A TensorFlow.js model's artifacts, as its save() writes them.
async function savedByTfjs(model, includeOptimizer = false) {
  let saved;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer },
  );
  return saved;
}

const maxDifference = (a, b) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
const points = (n, seed) => {
  const values = new Float32Array(n * 4);
  let s = seed;
  for (let i = 0; i < values.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    values[i] = (s / 2147483648) * 4 - 2;
  }
  return values;
};

test('dl.layers has a factory for every catalog type, and refuses a name the catalog lacks', async () => {
  const types = catalog().layers.map((l) => l.type);
  assert.ok(types.includes('reLU') && types.includes('leakyReLU'), types.join(', '));
  assert.deepEqual(Object.keys(dl.layers), types);
  for (const type of types) assert.deepEqual(dl.layers[type]({ name: 'x' }), { name: 'x', type });
  assert.throws(
    () => dl.layers.convLstm2d({ filters: 4 }),
    /layers\.convLstm2d: unknown layer type; expected one of dense, conv2d/,
  );
  // Keras' class names find the same entries.
  assert.equal(layerSpec('LeakyReLU'), layerSpec('leaky_re_lu'));
  assert.deepEqual(weightNames({ type: 'batchNormalization', center: false }), [
    'gamma',
    'moving_mean',
    'moving_variance',
  ]);
});

test('a model with ReLU and LeakyReLU layers trains, and TensorFlow.js predicts as our engine both ways', async () => {
  const model = dl.sequential({
    seed: 3,
    layers: [
      dl.layers.dense({ units: 12, inputShape: [4] }),
      dl.layers.leakyReLU({ alpha: 0.1 }),
      dl.layers.dense({ units: 12 }),
      dl.layers.reLU({ maxValue: 1.5 }),
      dl.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: dl.train.adam(0.02), loss: 'sparseCategoricalCrossentropy' });
  const xs = points(64, 5);
  const labels = Float32Array.from({ length: 64 }, (_, i) => (xs[i * 4] > 0 ? 1 : 0) + (xs[i * 4 + 1] > 1 ? 1 : 0));
  const x = dl.tensor(xs, [64, 4]);
  const y = dl.tensor(labels, [64]);
  const history = await model.fit(x, y, { epochs: 40, batchSize: 16 });
  assert.ok(history.history.loss.at(-1) < history.history.loss[0] * 0.7, `loss ${history.history.loss}`);
  const ours = await model.predict(x).data();

  // Ours -> TensorFlow.js.
  const artifacts = await dl.io.exportModel(model);
  const classes = artifacts.modelTopology.config.layers.map((l) => l.class_name);
  assert.deepEqual(classes, ['Dense', 'LeakyReLU', 'Dense', 'ReLU', 'Dense']);
  const theirs = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  const input = tf.tensor2d(xs, [64, 4]);
  const expected = theirs.predict(input).dataSync();
  assert.ok(maxDifference(ours, expected) <= 1e-5, `largest difference ${maxDifference(ours, expected)}`);

  // TensorFlow.js -> ours: a model of theirs, saved as TensorFlow.js saves it.
  const made = tf.sequential();
  made.add(tf.layers.dense({ units: 10, inputShape: [4] }));
  made.add(tf.layers.leakyReLU());
  made.add(tf.layers.dense({ units: 10 }));
  made.add(tf.layers.reLU({ maxValue: 0.8 }));
  made.add(tf.layers.dense({ units: 2 }));
  const imported = await dl.io.importModel(await savedByTfjs(made));
  const back = await imported.predict(x).data();
  const reference = made.predict(input).dataSync();
  assert.ok(maxDifference(back, reference) <= 1e-5, `largest difference ${maxDifference(back, reference)}`);
  assert.deepEqual(
    imported.layerConfigs.map((l) => [l.type, l.alpha ?? l.maxValue ?? null]),
    [
      ['dense', null],
      ['leakyReLU', 0.3],
      ['dense', null],
      ['reLU', 0.8],
      ['dense', null],
    ],
  );
  [x, y].forEach((t) => t.dispose());
  input.dispose();
  theirs.dispose();
  made.dispose();
  await model.dispose();
  await imported.dispose();
});

// A layer of the given type at the values a builder starts it with, between layers that
// fit.
async function sandwich(spec) {
  const config = { type: spec.type };
  for (const o of spec.options) if (o.main || o.required) config[o.name] = o.suggested ?? o.default;
  // (A whole shape: TensorFlow.js cannot put a Dense layer after Reshape([-1]).)
  if (spec.type === 'reshape') config.targetShape = [48];
  const tryBuild = async (layers) => {
    const model = dl.sequential({ seed: 5, layers: layers.map((l) => ({ ...l })) });
    try {
      return { model, info: await model.build() };
    } catch (error) {
      await model.dispose();
      if (error.layerIndex === undefined) throw error;
      return null;
    }
  };
  // Flat vectors, else sequences (12 steps of 4), else images (4x4x3); Flatten where the
  // layer's output is not flat. TensorFlow.js refuses Flatten on a flat input (ours takes
  // it), so Flatten itself goes after a sequence.
  for (const targetShape of [null, [12, 4], [4, 4, 3]]) {
    if (!targetShape && spec.type === 'flatten') continue;
    const before = [
      dl.layers.dense({ units: 48, inputShape: [4] }),
      ...(targetShape ? [dl.layers.reshape({ targetShape })] : []),
      config,
    ];
    const probe = await tryBuild(before);
    if (!probe) continue;
    const flatAlready = probe.info.outputShape.length === 1;
    await probe.model.dispose();
    return (await tryBuild([...before, ...(flatAlready ? [] : [dl.layers.flatten()]), dl.layers.dense({ units: 2 })]))
      .model;
  }
  throw new Error(`${spec.type} fits neither between flat layers, nor after sequences or images`);
}

// Layers TensorFlow.js 4.22 lacks, or that take ids rather than values: their own tests
// hold them to references (tests/node/attention.test.mjs, sequence_layers.test.mjs).
const NOT_IN_TFJS = new Set(['positionEmbedding', 'embedding', 'upSampling1d', 'cropping1d', 'zeroPadding1d']);

test('every catalog layer type trains, and goes to TensorFlow.js and back with the same predictions', async () => {
  const xs = points(32, 11);
  const x = dl.tensor(xs, [32, 4]);
  const y = dl.tensor(
    Float32Array.from({ length: 64 }, (_, i) => (i % 2 === (xs[i] > 0 ? 1 : 0) ? 1 : 0)),
    [32, 2],
  );
  const input = tf.tensor2d(xs, [32, 4]);
  // The merge layers take several tensors: a chain cannot hold them (tests/node/graph.test.mjs).
  for (const spec of catalog().layers.filter((l) => l.maxInputs === 1 && !NOT_IN_TFJS.has(l.type))) {
    const model = await sandwich(spec);
    model.compile({ optimizer: dl.train.adam(0.01), loss: 'categoricalCrossentropy' });
    await model.fit(x, y, { epochs: 3, batchSize: 8 });
    const ours = await model.predict(x).data();
    const artifacts = await dl.io.exportModel(model);
    assert.ok(
      artifacts.modelTopology.config.layers.some((l) => l.class_name === spec.kerasClass),
      `${spec.type} is exported as ${spec.kerasClass}`,
    );
    const theirs = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const expected = theirs.predict(input).dataSync();
    assert.ok(
      maxDifference(ours, expected) <= 1e-5,
      `${spec.type}: largest difference ${maxDifference(ours, expected)}`,
    );
    // And back: TensorFlow.js' save of it imports with the same predictions.
    const back = await dl.io.importModel(await savedByTfjs(theirs));
    const again = await back.predict(x).data();
    assert.ok(maxDifference(again, expected) <= 1e-5, `${spec.type} imported back: ${maxDifference(again, expected)}`);
    theirs.dispose();
    await model.dispose();
    await back.dispose();
  }
  [x, y].forEach((t) => t.dispose());
  input.dispose();
});

test('every catalog optimizer goes to TensorFlow.js and back with its settings', async () => {
  // Each optimizer with every setting away from its default (SGD once plain, once with
  // momentum, which TensorFlow.js keeps in another class).
  const cases = catalog().optimizers.map((o) => {
    const settings = { type: o.name };
    for (const [name, value] of Object.entries(o.options))
      settings[name] = typeof value === 'boolean' ? !value : Number((value * 0.5 + 0.05).toPrecision(4));
    return settings;
  });
  cases.push({ type: 'sgd', learningRate: 0.02 });
  for (const optimizer of cases) {
    const model = dl.sequential({ seed: 1, layers: [dl.layers.dense({ units: 2, inputShape: [3] })] });
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const theirs = await tf.loadLayersModel(tf.io.fromMemory(await dl.io.exportModel(model)));
    const spec = catalog().optimizers.find((o) => o.name === optimizer.type);
    const expectedClass = optimizer.type === 'sgd' && optimizer.momentum ? 'Momentum' : spec.tfjsClass;
    assert.equal(theirs.optimizer.getClassName(), expectedClass, JSON.stringify(optimizer));
    assert.ok(
      Math.abs(theirs.optimizer.getConfig().learningRate - optimizer.learningRate) < 1e-9,
      `${optimizer.type}: TensorFlow.js has learning rate ${theirs.optimizer.getConfig().learningRate}`,
    );
    const back = await dl.io.importModel(await savedByTfjs(theirs, true));
    const got = back.compileConfig.optimizer;
    for (const [name, value] of Object.entries(optimizer)) {
      // TensorFlow.js' SGD carries only its rate; Adagrad keeps no epsilon of its own.
      if (expectedClass === 'SGD' && name !== 'type' && name !== 'learningRate') continue;
      if (expectedClass === 'Adagrad' && name === 'epsilon') continue;
      assert.ok(
        typeof value === 'number' ? Math.abs(got[name] - value) < 1e-6 : got[name] === value,
        `${optimizer.type} ${name}: sent ${value}, came back ${got[name]}`,
      );
    }
    theirs.dispose();
    await model.dispose();
    await back.dispose();
  }
});

test('Keras values the engine does not vary are refused by name on import', async () => {
  const topology = (config) => ({
    modelTopology: {
      class_name: 'Sequential',
      config: { layers: [{ class_name: 'ReLU', config: { name: 'r', batch_input_shape: [null, 3], ...config } }] },
    },
    weightSpecs: [],
    weightData: new ArrayBuffer(0),
  });
  await rejectsWith(
    dl.io.importModel(topology({ negative_slope: 0.2 })),
    /layer "r": only negative_slope 0 is supported; use LeakyReLU/,
  );
  const model = await dl.io.importModel(topology({ negative_slope: 0, threshold: 0, max_value: null }));
  assert.deepEqual(
    model.layerConfigs.map((l) => l.type),
    ['reLU'],
  );
  await model.dispose();
});

test('predict gives probabilities for a model compiled from logits: softmax over outputs, sigmoid for one', async () => {
  for (const units of [3, 1]) {
    const model = dl.sequential({ seed: 4, layers: [dl.layers.dense({ units, inputShape: [4] })] });
    const loss = units === 1 ? 'binaryCrossentropy' : 'categoricalCrossentropy';
    model.compile({ optimizer: 'sgd', loss, fromLogits: true });
    const x = dl.tensor(points(5, 9), [5, 4]);
    const logits = await model.predict(x).data();
    const p = await model.predict(x, { probabilities: true }).data();
    for (let row = 0; row < 5; row++) {
      const z = Array.from(logits.subarray(row * units, row * units + units));
      const expected =
        units === 1 ? [1 / (1 + Math.exp(-z[0]))] : z.map((v) => Math.exp(v) / z.reduce((s, w) => s + Math.exp(w), 0));
      expected.forEach((e, k) => assert.ok(Math.abs(p[row * units + k] - e) < 1e-6, `${units} outputs, row ${row}`));
    }
    // Without fromLogits the outputs are what the model computes.
    model.compile({ optimizer: 'sgd', loss });
    assert.deepEqual(await model.predict(x, { probabilities: true }).data(), logits);
    x.dispose();
    await model.dispose();
  }
});

test("the benchmark's FLOP counts come from the engine's multiply-adds of the seeds' models", async () => {
  const count = async (name) => {
    const model = dl.sequential({ layers: benchModel(name).layers });
    await model.build();
    // Through the engine's own count of each layer's products.
    const { engine } = await import('../../web/lib/engine.js');
    const flops = flopsPerSample(await engine().call('multiplyAdds', model.id));
    await model.dispose();
    return flops;
  };
  // The MLP: 784x128 and 128x10 products; the first layer has no input gradient.
  assert.equal(await count('mlp'), 2 * 784 * 128 * 2 + 2 * 128 * 10 * 3);
  // The CNN: two valid 3x3 convolutions, then 9216x128 and 128x10.
  const conv1 = 26 * 26 * 32 * 9;
  const conv2 = 24 * 24 * 64 * 9 * 32;
  assert.equal(await count('cnn'), 2 * conv1 * 2 + 2 * (conv2 + 9216 * 128 + 128 * 10) * 3);
});

// The same cases as the engine's native test of snake_case_name (tests/native/catalog/
// test_catalog.cpp): the two conversions agree on them and on every option name the
// engine's catalog lists with its Keras spelling (computed by snake_case_name).
const SNAKE_CASES = [
  ['learningRate', 'learning_rate'],
  ['categoricalCrossentropy', 'categorical_crossentropy'],
  ['Conv2D', 'conv2d'],
  ['MaxPooling2D', 'max_pooling2d'],
  ['GlobalAveragePooling2D', 'global_average_pooling2d'],
  ['LeakyReLU', 'leaky_re_lu'],
  ['ELU', 'elu'],
  ['PReLU', 'p_re_lu'],
  ['SimpleRNN', 'simple_rnn'],
  ['Conv2DTranspose', 'conv2d_transpose'],
  ['l1L2', 'l1_l2'],
  ['already_snake', 'already_snake'],
  ['beta1', 'beta1'],
  ['', ''],
];

test("snake() gives the engine's snake_case for every case and every option of the catalog; camel() undoes it", () => {
  for (const [name, expected] of SNAKE_CASES) assert.equal(dl.snake(name), expected, `snake(${JSON.stringify(name)})`);
  const options = catalog().layers.flatMap((layer) => layer.options.filter((o) => o.keras));
  assert.ok(options.length > 20, `only ${options.length} options with a Keras name`);
  for (const option of options) {
    assert.equal(dl.snake(option.name), option.keras, `option ${option.name}`);
    assert.equal(dl.camel(option.keras), option.name, `option ${option.keras}`);
  }
  assert.equal(dl.camel('beta_1'), 'beta1');
  assert.equal(dl.camel('reduce_on_plateau'), 'reduceOnPlateau');
});

test('layers are named after their type as Keras names them (the engine converts with the same rule)', async () => {
  const model = dl.sequential({
    layers: [
      dl.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [8, 8, 1] }),
      dl.layers.maxPooling2d({ poolSize: 2 }),
      dl.layers.flatten(),
      dl.layers.dense({ units: 3 }),
      dl.layers.leakyReLU(),
      dl.layers.elu(),
      dl.layers.reLU(),
    ],
  });
  const names = (await model.layerInfo()).map((l) => l.name);
  // As TensorFlow.js names them (tf.layers.leakyReLU() is "leaky_re_lu", ...).
  assert.deepEqual(names, ['conv2d', 'max_pooling2d', 'flatten', 'dense', 'leaky_re_lu', 'elu', 're_lu']);
  model.dispose();
});
