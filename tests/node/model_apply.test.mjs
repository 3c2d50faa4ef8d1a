// model.apply(x, {training}) with the core API: a model's output on the tape, so that
// grad, variableGrads and minimize reach through it to its input and its weights (as
// snake-dqn and fashion-mnist-vae train); against TensorFlow.js itself (its cpu backend,
// the same weights, in the same test). Also a model applied to symbolic tensors (a model
// inside a model), errors, and memory.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import { assertSame, loadApi, values } from './engine.mjs';

const dl = await loadApi();
const tf = createRequire(import.meta.url)('@tensorflow/tfjs');
await tf.setBackend('cpu');

// The same network in both libraries, TensorFlow.js' weights set to ours layer by layer.
function twin(layers, lib = dl) {
  const ours = dl.sequential({ layers: layers(dl) });
  ours.wait('twin');
  const theirs = tf.sequential({ layers: layers(tf) });
  ours.layers.forEach((layer, i) => {
    const weights = layer.getWeights?.() ?? [];
    if (weights.length) theirs.layers[i].setWeights(weights.map((w) => tf.tensor(w.dataSync(), w.shape)));
    dl.dispose(weights);
  });
  return lib === dl ? ours : { ours, theirs };
}

const dense = (lib) => [
  lib.layers.dense({ units: 6, activation: 'tanh', inputShape: [4] }),
  lib.layers.dense({ units: 3, activation: 'softmax' }),
];
const conv = (lib) => [
  lib.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', inputShape: [5, 5, 2] }),
  lib.layers.batchNormalization(),
  lib.layers.flatten(),
  lib.layers.dense({ units: 2 }),
];

const pair = (shape, seed) => {
  const v = values(
    shape.reduce((a, b) => a * b, 1),
    seed,
  );
  return [dl.tensor(v, shape), tf.tensor(v, shape)];
};

// The loss both libraries take the gradients of: the model's outputs against targets.
const lossOf = (lib, model, x, y, training) => () => lib.losses.meanSquaredError(y, model.apply(x, { training }));

for (const [name, layers, xShape, yShape] of [
  ['dense layers', dense, [5, 4], [5, 3]],
  ['conv2d, batch normalization (training) and dense', conv, [4, 5, 5, 2], [4, 2]],
]) {
  test(`model.apply on Tensors, ${name}: the output, and the gradients of variableGrads and grad, as TensorFlow.js gives them`, () => {
    const { ours, theirs } = twin(layers, null);
    const [x, tx] = pair(xShape, 3);
    const [y, ty] = pair(yShape, 4);
    const training = layers === conv;
    assertSame(ours.apply(x), theirs.apply(tx), 'apply');
    assertSame(ours.apply(x), ours.predict(x), 'apply as predict');
    const mine = dl.variableGrads(lossOf(dl, ours, x, y, training));
    const theirsGrads = tf.variableGrads(lossOf(tf, theirs, tx, ty, training));
    assertSame(mine.value, theirsGrads.value, 'loss');
    const names = Object.keys(mine.grads);
    const trainable = theirs.trainableWeights.map((w) => w.name);
    assert.equal(names.length, trainable.length, `one gradient per trainable weight: ${names}`);
    names.forEach((n, i) => assertSame(mine.grads[n], theirsGrads.grads[trainable[i]], `d loss / d ${n}`));
    const dx = dl.grad((t) => ours.apply(t).square().sum())(x);
    const tdx = tf.grad((t) => theirs.apply(t).square().sum())(tx);
    assertSame(dx, tdx, 'd / dx');
    ours.dispose();
  });
}

test('minimize over a model’s weights (model.apply inside): five SGD steps as TensorFlow.js takes them, and predict sees them', () => {
  const { ours, theirs } = twin(dense, null);
  const [x, tx] = pair([8, 4], 5);
  const [y, ty] = pair([8, 3], 6);
  const [o1, o2] = [dl.train.sgd(0.5), tf.train.sgd(0.5)];
  for (let i = 0; i < 5; i++) {
    const a = o1.minimize(lossOf(dl, ours, x, y, false), true);
    const b = o2.minimize(lossOf(tf, theirs, tx, ty, false), true);
    assertSame(a, b, `loss at step ${i}`);
  }
  assertSame(ours.predict(x), theirs.predict(tx), 'predict after the steps');
  assertSame(ours.layers[0].getWeights()[0], theirs.layers[0].getWeights()[0], 'the first kernel');
  ours.dispose();
});

test('a functional model of two inputs and two outputs on Tensors: a list of outputs, a gradient to each input', () => {
  const build = (lib) => {
    const a = lib.input({ shape: [3] });
    const b = lib.input({ shape: [2] });
    const h = lib.layers.dense({ units: 4, activation: 'relu' }).apply(lib.layers.concatenate().apply([a, b]));
    const m = lib.model({
      inputs: [a, b],
      outputs: [
        lib.layers.dense({ units: 2 }).apply(h),
        lib.layers.dense({ units: 1, activation: 'sigmoid' }).apply(h),
      ],
    });
    return m;
  };
  const ours = build(dl);
  const theirs = build(tf);
  ours.wait('test');
  // (TensorFlow.js lists the input layers among a functional model's layers; ours does not.)
  const weighted = theirs.layers.filter((l) => l.weights.length);
  ours.layers
    .filter((l) => l.type === 'dense')
    .forEach((layer, i) => weighted[i].setWeights(layer.getWeights().map((t) => tf.tensor(t.dataSync(), t.shape))));
  const [a, ta] = pair([3, 3], 7);
  const [b, tb] = pair([3, 2], 8);
  const outs = ours.apply([a, b]);
  assert.equal(outs.length, 2);
  const touts = theirs.apply([ta, tb]);
  outs.forEach((o, i) => assertSame(o, touts[i], `output ${i}`));
  const f = (lib) => (p, q) => {
    const [u, v] = (lib === dl ? ours : theirs).apply([p, q]);
    return u.square().sum().add(v.sum());
  };
  const g = dl.grads(f(dl))([a, b]);
  const tg = tf.grads(f(tf))([ta, tb]);
  g.forEach((t, i) => assertSame(t, tg[i], `d / d input ${i}`));
  ours.dispose();
});

test('a model applied to symbolic tensors is its layers applied in turn: a Sequential inside a functional model', async () => {
  const inner = dl.sequential({
    layers: [dl.layers.dense({ units: 3, activation: 'relu', inputShape: [4] }), dl.layers.dense({ units: 2 })],
  });
  const x = dl.input({ shape: [4] });
  const y = inner.apply(x);
  const outer = dl.model({ inputs: x, outputs: dl.layers.dense({ units: 1 }).apply(y) });
  await outer.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  assert.deepEqual(
    outer.layers.map((l) => l.type),
    ['dense', 'dense', 'dense'],
  );
  const out = outer.predict(dl.ones([2, 4]));
  assert.deepEqual(out.shape, [2, 1]);
  dl.dispose([out]);
  outer.dispose();
});

test('model.apply refuses what it cannot take, naming apply, the shapes and what was expected', () => {
  const model = twin(dense);
  assert.throws(() => model.apply(dl.ones([2, 5])), /apply: input 0 has shape \[2,5\]; the model takes \[null,4\]/);
  assert.throws(
    () => model.apply([dl.input({ shape: [4] }), dl.ones([2, 4])]),
    /apply: expected symbolic tensors or Tensors, not a mix/,
  );
  assert.throws(() => model.apply('x'), /apply: expected a Tensor; got \["String"\]/);
  assert.throws(() => model.apply(dl.tensor([[1, Number.NaN, 0, 0]])), /apply/);
  model.dispose();
  assert.throws(() => model.apply(dl.ones([1, 4])), /apply: this model has been disposed/);
});

test('10,000 minimize steps over a model’s weights by model.apply: no tensor left behind, the engine’s heap flat', async () => {
  const model = twin(dense);
  const [x] = pair([16, 4], 9);
  // Targets a softmax can reach.
  const y = dl
    .oneHot(
      dl.tensor1d(
        [...Array(16)].map((_, i) => i % 3),
        'int32',
      ),
      3,
    )
    .toFloat();
  const optimizer = dl.train.adam(0.01);
  const step = () => optimizer.minimize(lossOf(dl, model, x, y, true));
  for (let i = 0; i < 200; i++) step();
  const before = dl.memory().numTensors;
  const heap = (await dl.engineMemory()).heapInUse;
  const first = dl.tidy(() => lossOf(dl, model, x, y, false)().dataSync()[0]);
  for (let i = 0; i < 10000; i++) step();
  assert.equal(dl.memory().numTensors, before, 'no tensor left behind');
  const after = (await dl.engineMemory()).heapInUse;
  assert.ok(after <= heap + 4096, `the engine's heap stayed flat: ${heap} -> ${after} bytes`);
  const last = dl.tidy(() => lossOf(dl, model, x, y, false)().dataSync()[0]);
  assert.ok(last < first / 2, `the loss fell: ${first} -> ${last}`);
  optimizer.dispose();
  model.dispose();
});
