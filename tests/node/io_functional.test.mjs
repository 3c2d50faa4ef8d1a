// Graph (functional) models in TensorFlow.js' layers format: models that TensorFlow.js
// builds and trains here load with TensorFlow.js' predictions (shared layers, several
// inputs, every merge); our graph models save so that tf.loadLayersModel predicts as we
// do; corrupt files are refused by name with nothing built and the engine's heap flat.
// (Keras' functional JSON: io_keras_functional.test.mjs.)
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { rejectsWith } from './engine.mjs';
import {
  dl,
  tf,
  values,
  batch,
  tfArtifacts,
  structure,
  trainAndSave,
  expectSamePredictions,
  keras2Reference,
} from './tfjs_graphs.mjs';

test('a residual MLP with a Dense applied twice, built and trained by TensorFlow.js, loads with its predictions', async () => {
  const x = tf.input({ shape: [6], name: 'x' });
  const hidden = tf.layers.dense({ units: 6, activation: 'relu', name: 'hidden' }).apply(x);
  const tied = tf.layers.dense({ units: 6, activation: 'tanh', name: 'tied' });
  const sum = tf.layers.add({ name: 'res' }).apply([hidden, tied.apply(hidden)]);
  const out = tf.layers.dense({ units: 3, activation: 'softmax', name: 'probs' }).apply(tied.apply(sum));
  const theirs = tf.model({ inputs: x, outputs: out });
  const artifacts = await trainAndSave(theirs, [[6]], 3, 'categoricalCrossentropy');
  assert.equal(artifacts.modelTopology.class_name, 'Model', 'TensorFlow.js 4.22 writes a tf.model as class "Model"');

  const ours = await dl.io.importModel(artifacts);
  const layers = ours.description().layers;
  assert.deepEqual(
    layers.map((l) => [l.apply ?? l.name, l.inputs]),
    [
      ['hidden', ['x']],
      ['tied', ['hidden']],
      ['res', ['hidden', 'tied']],
      ['tied', ['res']],
      ['probs', ['tied:1']],
    ],
    'the second application of "tied" is "tied:1", taking the sum',
  );
  await expectSamePredictions(ours, theirs, [[6]], 'residual MLP from memory');

  // The same artifacts through files: model.json and the weights binary on disk.
  const dir = mkdtempSync(join(tmpdir(), 'functional-'));
  try {
    writeFileSync(join(dir, 'model.json'), dl.io.modelJson(artifacts, 'w.bin'));
    writeFileSync(join(dir, 'w.bin'), new Uint8Array(artifacts.weightData));
    const bytes = readFileSync(join(dir, 'w.bin'));
    const weights = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const fromFiles = await dl.io.importModel({ modelJson: readFileSync(join(dir, 'model.json'), 'utf8'), weights });
    await expectSamePredictions(fromFiles, theirs, [[6]], 'residual MLP from files');
    await fromFiles.dispose();
  } finally {
    rmSync(dir, { recursive: true });
  }
  await ours.dispose();
});

test('a two-input model joined by Concatenate, and one of every merge (Dot normalized, Multiply, Average, Maximum, Minimum), load with TensorFlow.js’ predictions', async () => {
  const a = tf.input({ shape: [4], name: 'left' });
  const b = tf.input({ shape: [3], name: 'right' });
  const joined = tf.layers
    .concatenate({ axis: -1, name: 'both' })
    .apply([tf.layers.dense({ units: 5, activation: 'relu', name: 'l5' }).apply(a), b]);
  const two = tf.model({ inputs: [a, b], outputs: tf.layers.dense({ units: 2, name: 'o2' }).apply(joined) });
  const twoSaved = await trainAndSave(two, [[4], [3]], 2, 'meanSquaredError');
  const ours = await dl.io.importModel(twoSaved);
  assert.deepEqual(ours.description().inputs, [
    { name: 'left', shape: [4] },
    { name: 'right', shape: [3] },
  ]);
  await expectSamePredictions(ours, two, [[4], [3]], 'two inputs, Concatenate');
  await ours.dispose();

  const p = tf.input({ shape: [5], name: 'p' });
  const q = tf.input({ shape: [5], name: 'q' });
  const pa = tf.layers.dense({ units: 4, activation: 'tanh', name: 'pa' }).apply(p);
  const qb = tf.layers.dense({ units: 4, activation: 'tanh', name: 'qb' }).apply(q);
  const merged = [
    tf.layers.dot({ axes: -1, normalize: true, name: 'cos' }).apply([pa, qb]),
    tf.layers.dot({ axes: 1, name: 'inner' }).apply([pa, qb]),
    tf.layers.multiply({ name: 'mul' }).apply([pa, qb]),
    tf.layers.average({ name: 'avg' }).apply([pa, qb]),
    tf.layers.maximum({ name: 'max' }).apply([pa, qb]),
    tf.layers.minimum({ name: 'min' }).apply([pa, qb]),
  ];
  const all = tf.layers.concatenate({ name: 'all' }).apply(merged);
  const merges = tf.model({ inputs: [p, q], outputs: tf.layers.dense({ units: 3, name: 'o3' }).apply(all) });
  const mergesSaved = await trainAndSave(merges, [[5], [5]], 3, 'meanSquaredError');
  const mine = await dl.io.importModel(mergesSaved);
  const byName = Object.fromEntries(mine.description().layers.map((l) => [l.name, l]));
  assert.deepEqual([byName.cos.type, byName.cos.axes, byName.cos.normalize], ['dot', -1, true]);
  assert.deepEqual([byName.inner.axes, byName.inner.normalize], [1, false]);
  await expectSamePredictions(mine, merges, [[5], [5]], 'every merge');
  await mine.dispose();
});

test('our graph models save as class "Model", and tf.loadLayersModel predicts as we do, from memory and from model.json', async () => {
  const a = dl.input({ shape: [4], name: 'a' });
  const b = dl.input({ shape: [3], name: 'b' });
  const shared = dl.layers.dense({ units: 4, activation: 'tanh', name: 'shared' });
  const first = shared.apply(a);
  const second = shared.apply(dl.layers.add({ name: 'skip' }).apply([first, a]));
  const proj = dl.layers.dense({ units: 4, name: 'proj', trainable: true }).apply(b);
  const sim = dl.layers.dot({ axes: -1, normalize: true, name: 'sim' }).apply([first, proj]);
  const cat = dl.layers.concatenate({ name: 'cat' }).apply([second, proj, sim]);
  const out = dl.layers.dense({ units: 2, activation: 'softmax', name: 'out' }).apply(cat);
  const ours = dl.model({ inputs: [a, b], outputs: out, seed: 3 });
  ours.compile({ optimizer: dl.train.adam(0.05), loss: 'categoricalCrossentropy' });
  const x = batch([[4], [3]], 32, 21).dl;
  const labels = dl.oneHot(
    dl.tensor1d(
      Array.from({ length: 32 }, (_, i) => i % 2),
      'int32',
    ),
    2,
  );
  const history = await ours.fit(x, labels, { epochs: 4, batchSize: 8 });
  assert.ok(history.history.loss[3] < history.history.loss[0], `we trained: ${history.history.loss}`);

  const artifacts = await dl.io.exportModel(ours);
  const topology = artifacts.modelTopology;
  assert.equal(topology.class_name, 'Model');
  assert.deepEqual(topology.config.input_layers, [
    ['a', 0, 0],
    ['b', 0, 0],
  ]);
  assert.deepEqual(topology.config.output_layers, [['out', 0, 0]]);
  const entry = (name) => topology.config.layers.find((l) => l.name === name);
  assert.deepEqual(entry('shared').inbound_nodes, [[['a', 0, 0, {}]], [['skip', 0, 0, {}]]]);
  assert.deepEqual(entry('cat').inbound_nodes, [
    [
      ['shared', 1, 0, {}],
      ['proj', 0, 0, {}],
      ['sim', 0, 0, {}],
    ],
  ]);
  assert.deepEqual(entry('a').config.batch_input_shape, [null, 4]);

  const theirs = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  await expectSamePredictions(ours, theirs, [[4], [3]], 'TensorFlow.js loading our artifacts');

  // model.json and the weights binary as files, read back by TensorFlow.js.
  const dir = mkdtempSync(join(tmpdir(), 'functional-'));
  try {
    writeFileSync(join(dir, 'model.json'), dl.io.modelJson(artifacts, 'model.weights.bin'));
    writeFileSync(join(dir, 'model.weights.bin'), new Uint8Array(artifacts.weightData));
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const bytes = readFileSync(join(dir, json.weightsManifest[0].paths[0]));
    const fromFiles = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      }),
    );
    await expectSamePredictions(ours, fromFiles, [[4], [3]], 'TensorFlow.js loading our files');
    // And back into ours: the same model, compiled as it was.
    const copy = await dl.io.importModel({
      modelJson: readFileSync(join(dir, 'model.json'), 'utf8'),
      weights: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    });
    assert.deepEqual(structure(copy.description(), false), structure(ours.description(), false));
    assert.equal(copy.description().seed, 3);
    await expectSamePredictions(copy, theirs, [[4], [3]], 'our copy of our files');
    await copy.fit(x, labels, { epochs: 1, batchSize: 8 });
    await copy.dispose();
  } finally {
    rmSync(dir, { recursive: true });
  }
  // And through a link, which packs the same files.
  const fromLink = await dl.io.modelFromLink(await dl.io.modelToLink(ours));
  await expectSamePredictions(fromLink, theirs, [[4], [3]], 'our model through a link');
  await fromLink.dispose();
  await ours.dispose();
});

test('a model of two outputs goes both ways: TensorFlow.js-trained into ours, ours into tf.loadLayersModel, each output within 1e-5', async () => {
  const x = tf.input({ shape: [4], name: 'x' });
  const h = tf.layers.dense({ units: 5, activation: 'relu', name: 'trunk' }).apply(x);
  const value = tf.layers.dense({ units: 2, name: 'value' }).apply(h);
  const kind = tf.layers.dense({ units: 3, activation: 'softmax', name: 'kind' }).apply(h);
  const theirs = tf.model({ inputs: x, outputs: [value, kind] });
  theirs.compile({ optimizer: tf.train.adam(0.05), loss: ['meanSquaredError', 'categoricalCrossentropy'] });
  const xs = batch([[4]], 32, 31).tf[0];
  const ys = [tf.tensor(values(64, 32), [32, 2]), tf.softmax(tf.tensor(values(96, 33), [32, 3]))];
  await theirs.fit(xs, ys, { epochs: 3, batchSize: 8, verbose: 0 });
  const artifacts = await tfArtifacts(theirs);
  assert.deepEqual(artifacts.modelTopology.config.output_layers, [
    ['value', 0, 0],
    ['kind', 0, 0],
  ]);
  const ours = await dl.io.importModel(artifacts);
  assert.deepEqual(ours.description().outputs, ['value', 'kind']);
  await expectSamePredictions(ours, theirs, [[4]], 'two outputs into ours');

  const back = await tf.loadLayersModel(tf.io.fromMemory(await dl.io.exportModel(ours)));
  assert.equal(back.outputs.length, 2);
  await expectSamePredictions(ours, back, [[4]], 'two outputs into TensorFlow.js');
  await ours.dispose();
});

test('corrupt graph files are refused by name with what was expected; nothing is built and the heap stays flat', async () => {
  const { artifacts } = await keras2Reference();
  const start = (await dl.engineMemory()).heapInUse;
  const edit = (change) => {
    const copy = structuredClone({ ...artifacts, weightData: undefined });
    change(copy.modelTopology.config, copy);
    return { ...copy, weightData: artifacts.weightData };
  };
  const layer = (config, name) => config.layers.find((l) => l.name === name);
  const cases = [
    [
      (c) => (layer(c, 'skip').inbound_nodes[0][0][0] = 'ghost'),
      /layer "skip", inbound node 0 takes "ghost", which is not a layer of the model; expected one of \["a","shared","skip","b","proj","cat","sim","join","out"\]/,
    ],
    [
      (c) => (layer(c, 'shared').inbound_nodes[0] = [['skip', 0, 0, {}]]),
      /the layers form a cycle: "shared" -> "skip" -> "shared"; a model's graph has no cycles/,
    ],
    [
      (c) => (layer(c, 'proj').class_name = 'ConvLSTM2D'),
      /layer "proj" is a "ConvLSTM2D", which this playground does not support \(supported: Dense/,
    ],
    [
      (c) => (layer(c, 'cat').inbound_nodes[0][0] = ['shared', 2, 0, {}]),
      /layer "cat", inbound node 0 takes node 2 of "shared", which has 2 nodes; expected a node index from 0 to 1/,
    ],
    [
      (c) => (layer(c, 'join').inbound_nodes[0][1] = ['sim', 0, 1, {}]),
      /layer "join", tensor 1 takes output 1 of "sim", which gives one output; expected tensor index 0/,
    ],
    [
      (c, all) => (all.weightSpecs.find((s) => s.name === 'proj/bias').name = 'proj/offset'),
      /missing weights for layer "proj": bias \(expected an entry named "proj\/bias"\)/,
    ],
    [
      (c, all) => (all.weightSpecs.find((s) => s.name === 'shared/kernel').shape = [2, 8]),
      /"shared\/kernel" has shape \[2,8\]; the layer needs \[4,4\]/,
    ],
    [
      (c) => delete c.input_layers,
      /config.input_layers must list the model's inputs as \[layer name, node index, tensor index\]; got undefined/,
    ],
    [
      (c) => delete layer(c, 'b').config.batch_input_shape,
      /InputLayer "b" needs a shape: batch_input_shape \(or batch_shape\) such as \[null, 784\], null where a length varies; got null/,
    ],
    [
      (c) =>
        c.layers.push({
          class_name: 'Dense',
          name: 'spare',
          config: { name: 'spare', units: 2 },
          inbound_nodes: [[['a', 0, 0, {}]]],
        }),
      /layer "spare" leads to no output; every layer must lead to one of \["out"\]/,
    ],
    [(c) => (layer(c, 'proj').inbound_nodes = []), /layer "proj" has no inbound nodes: it is never applied/],
    [
      (c) => (layer(c, 'sim').inbound_nodes[0] = { args: [], kwargs: {} }),
      /layer "sim", inbound node 0: its args hold no "__keras_tensor__"; got \[\]/,
    ],
  ];
  for (const [change, pattern] of cases) {
    const input = edit(change);
    await rejectsWith(dl.io.importModel(input), pattern);
    await assert.rejects(dl.io.importModel(input), dl.io.ModelFormatError);
  }
  await rejectsWith(
    dl.io.modelFromJSON({ class_name: 'Graph', config: {} }),
    /the model's class_name is "Graph"; expected \["Sequential","Model","Functional"\]/,
  );
  const end = (await dl.engineMemory()).heapInUse;
  assert.ok(Math.abs(end - start) < 1 << 20, `heap in use went from ${start} to ${end} bytes`);
});
