// The JavaScript API, in Node, on the real .wasm: models, training, control of a running
// fit and introspection (its refusals are in engine_errors.test.mjs).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { blobModel, blobs, flat, loadApi, rejectsWith, xorData, xorLayers, xorModel } from './engine.mjs';

let dl;
before(async () => {
  dl = await loadApi();
});

test('ready() loads the engine once, in this thread under Node, with SIMD', async () => {
  assert.deepEqual(await dl.ready(), { mode: 'local', simd: true, workers: 1 });
  assert.deepEqual(await dl.ready(), { mode: 'local', simd: true, workers: 1 });
});

test('the build without SIMD loads, says so, and trains to the same weights within 1e-4', async () => {
  const { Core } = await import('../../web/lib/core.js');
  const { loadEngineModule, simdSupported } = await import('../../web/lib/engine_loader.js');
  assert.equal(simdSupported(), true, 'Node 20 has WebAssembly SIMD');
  const run = async (simd) => {
    const core = new Core(await loadEngineModule({ simd }));
    core.createTensor(1, [4, 2], new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]));
    core.createTensor(2, [4, 1], new Float32Array([0, 1, 1, 0]));
    core.createModel(3, { seed: 7, layers: xorLayers() });
    core.compile(3, { optimizer: dl.train.adam(0.05), loss: 'binaryCrossentropy' });
    await core.fit(3, 1, 2, { epochs: 50, batchSize: 4 });
    return { simd: core.info().simd, weights: flat(core.weights(3)) };
  };
  const plain = await run(false);
  const fast = await run(true);
  assert.equal(plain.simd, false);
  assert.equal(fast.simd, true);
  const worst = Math.max(...plain.weights.map((v, i) => Math.abs(v - fast.weights[i])));
  assert.ok(worst < 1e-4, `largest difference ${worst}`);
});

test('tensor() takes nested arrays or typed arrays with a shape, and data() reads them back', async () => {
  const a = dl.tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  assert.deepEqual(a.shape, [2, 3]);
  assert.deepEqual(Array.from(await a.data()), [1, 2, 3, 4, 5, 6]);
  const b = dl.tensor(new Float32Array([1, 2, 3, 4]), [2, 2]);
  assert.deepEqual(Array.from(await b.data()), [1, 2, 3, 4]);
  assert.equal(dl.tensor2d([1, 2], [1, 2]).size, 2);
  assert.throws(() => dl.tensor([1, 2, 3], [2, 2]), /tensor: shape \[2,2\] holds 4 values but 3 were given/);
  assert.throws(() => dl.tensor([1, 2], [2, 0.5]), /shape must be an array of whole numbers >= 1/);
  assert.throws(() => dl.tensor('abc'), /values must be a typed array or an array; got string/);
  assert.throws(() => dl.tensor([1, 'x']), /every value must be a number \(or a boolean\)/);
  a.dispose();
  a.dispose();
  await rejectsWith(() => a.data(), /data: this tensor has been disposed/);
  b.dispose();
});

test('an MLP learns XOR through fit, and fit returns a TensorFlow.js-style History', async () => {
  const model = xorModel();
  const [x, y] = xorData();
  const h = await model.fit(x, y, { epochs: 300, batchSize: 4 });
  assert.deepEqual(h.epoch.slice(0, 3), [0, 1, 2]);
  assert.equal(h.history.loss.length, 300);
  assert.ok(h.history.loss.at(-1) < 0.05, `final loss ${h.history.loss.at(-1)}`);
  const p = await model.predictValues(x);
  assert.deepEqual(p.shape, [4, 1]);
  assert.deepEqual(
    Array.from(p.values, (v) => (v > 0.5 ? 1 : 0)),
    [0, 1, 1, 0],
  );
  const e = await model.evaluateMetrics(x, y);
  assert.equal(e.metrics.accuracy, 1);
  assert.deepEqual(e.confusionMatrix, [2, 0, 0, 2]);
  assert.deepEqual(e.f1, [1, 1]);
  assert.equal(e.rocAuc, 1);
  assert.ok(e.loss < 0.05);
  await model.dispose();
  x.dispose();
  y.dispose();
});

test('every optimizer constructor and regularizer reaches the engine', async () => {
  const [x, y] = xorData();
  const optimizers = [
    [dl.train.sgd(0.1), 0.1],
    [dl.train.momentum(0.1, 0.9, true), 0.1],
    [dl.train.adam(0.01), 0.01],
    [dl.train.rmsprop(0.02), 0.02],
    [dl.train.adagrad(0.3), 0.3],
    [dl.train.adadelta(1.0), 1.0],
  ];
  for (const [optimizer, rate] of optimizers) {
    const model = dl.sequential({ seed: 1, layers: xorLayers() });
    model.compile({ optimizer, loss: 'binaryCrossentropy' });
    assert.ok(Math.abs((await model.learningRate()) - rate) < 1e-7, `${optimizer.type} learning rate`);
    const first = await model.trainOnBatch(x, y);
    for (let i = 0; i < 30; i++) await model.trainOnBatch(x, y);
    assert.ok((await model.trainOnBatch(x, y)) < first, `${optimizer.type} lowers the loss`);
    await model.dispose();
  }
  const penalised = (regularizer) => {
    const model = dl.sequential({
      seed: 1,
      layers: [dl.layers.dense({ units: 4, inputShape: [2], kernelRegularizer: regularizer })],
    });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    return model;
  };
  const x4 = dl.tensor1d([0.5, -0.5]);
  assert.deepEqual(x4.shape, [2]);
  const xs = dl.tensor([[0.5, -0.5]]);
  const ys = dl.tensor([[0, 0, 0, 0]]);
  const losses = [];
  for (const r of [
    undefined,
    dl.regularizers.l1({ l1: 0.1 }),
    dl.regularizers.l2({ l2: 0.1 }),
    dl.regularizers.l1l2(),
  ]) {
    const model = penalised(r);
    losses.push((await model.evaluateMetrics(xs, ys)).loss);
    await model.dispose();
  }
  assert.ok(
    losses.slice(1).every((l) => l > losses[0]),
    `losses ${losses}`,
  );
  [x4, xs, ys].forEach((t) => t.dispose());
});

test('callbacks run in order with loss, metrics, samples per second and batch time; async ones are awaited', async () => {
  const model = xorModel();
  const [x, y] = xorData();
  const seen = [];
  await model.fit(x, y, {
    epochs: 2,
    batchSize: 2,
    callbacks: {
      onTrainBegin: () => seen.push('train begin'),
      onEpochBegin: (epoch) => seen.push(`epoch ${epoch} begin`),
      onBatchEnd: async (batch, logs, info) => {
        await new Promise((r) => setTimeout(r, 1));
        assert.ok(Number.isFinite(logs.loss) && logs.acc >= 0 && logs.acc <= 1);
        assert.ok(info.samplesPerSecond >= 0 && info.batchMs >= 0 && info.samples === 2 && info.batches === 2);
        seen.push(`batch ${batch}`);
      },
      onEpochEnd: (epoch, logs) => seen.push(`epoch ${epoch} end ${typeof logs.loss}`),
      onTrainEnd: () => seen.push('train end'),
    },
  });
  assert.deepEqual(seen, [
    'train begin',
    'epoch 0 begin',
    'batch 0',
    'batch 1',
    'epoch 0 end number',
    'epoch 1 begin',
    'batch 0',
    'batch 1',
    'epoch 1 end number',
    'train end',
  ]);
  await model.dispose();
});

test('setting stopTraining in a callback ends fit; early stopping ends it by itself', async () => {
  const model = blobModel();
  const { x, y } = blobs(300);
  const tx = dl.tensor(x, [300, 2]);
  const ty = dl.tensor(y, [300]);
  const h = await model.fit(tx, ty, {
    epochs: 100,
    batchSize: 30,
    callbacks: {
      onEpochEnd: (epoch) => {
        if (epoch === 2) model.stopTraining = true;
      },
    },
  });
  assert.equal(h.history.loss.length, 3);
  const h2 = await model.fit(tx, ty, {
    epochs: 500,
    batchSize: 30,
    validationSplit: 0.2,
    callbacks: [dl.callbacks.earlyStopping({ monitor: 'val_loss', patience: 1, minDelta: 0.01 })],
  });
  assert.ok(h2.history.loss.length < 500, `ran ${h2.history.loss.length} epochs`);
  assert.equal(h2.history.val_acc.length, h2.history.loss.length);
  await model.dispose();
  tx.dispose();
  ty.dispose();
});

test('fit takes validation data, shuffle and class weights', async () => {
  const model = xorModel();
  const [x, y] = xorData();
  const h = await model.fit(x, y, {
    epochs: 3,
    batchSize: 4,
    shuffle: false,
    validationData: [x, y],
    classWeight: { 0: 1, 1: 2 },
  });
  assert.equal(h.history.val_loss.length, 3);
  assert.equal(h.history.val_acc.length, 3);
  await rejectsWith(model.fit(x, y, { validationData: [x] }), /validationData must be \[x, y\]/);
  await rejectsWith(
    model.fit(x, y, { classWeight: { 5: 1 } }),
    /classWeight names class 5 but the model has 2 classes/,
  );
  await model.dispose();
});

test('a running fit can be paused, stepped one batch at a time, given a new learning rate, resumed and stopped', async () => {
  const model = blobModel();
  const { x, y } = blobs(600);
  const tx = dl.tensor(x, [600, 2]);
  const ty = dl.tensor(y, [600]);
  let batches = 0;
  let firstBatch;
  const started = new Promise((resolve) => (firstBatch = resolve));
  const fitting = model.fit(tx, ty, {
    epochs: 100000,
    batchSize: 10,
    callbacks: {
      onBatchEnd: () => {
        batches += 1;
        firstBatch();
      },
    },
  });
  await started;
  await model.pause();
  await new Promise((r) => setTimeout(r, 20));
  const atPause = batches;
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(batches, atPause, 'no batch runs while paused');
  const event = await model.step();
  assert.equal(batches, atPause + 1, 'step runs exactly one batch');
  assert.ok(Number.isFinite(event.logs.loss));

  await model.setLearningRate(0);
  assert.equal(await model.learningRate(), 0);
  const frozen = flat(await model.getWeights());
  await model.step();
  await model.step();
  assert.deepEqual(flat(await model.getWeights()), frozen, 'learning rate 0 leaves the weights as they are');
  await model.setLearningRate(0.05);
  await model.step();
  assert.notDeepEqual(flat(await model.getWeights()), frozen, 'a new learning rate takes effect at the next batch');

  await model.resume();
  const resumedAt = batches;
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(batches > resumedAt + 5, 'training goes on after resume');
  model.stop();
  const h = await fitting;
  assert.ok(h.history.loss.length >= 1 && h.history.loss.length < 100000);
  await rejectsWith(model.pause(), /pause: the model is not training; start fit first/);
  await rejectsWith(model.step(), /step: the model is not training/);
  await model.dispose();
  tx.dispose();
  ty.dispose();
});

test('step and a second fit are refused while training runs; data disposed mid-fit lives until the fit ends', async () => {
  const model = blobModel();
  const { x, y } = blobs(600);
  const tx = dl.tensor(x, [600, 2]);
  const ty = dl.tensor(y, [600]);
  let batches = 0;
  const fitting = model.fit(tx, ty, { epochs: 100000, batchSize: 10, callbacks: { onBatchEnd: () => (batches += 1) } });
  await new Promise((r) => setTimeout(r, 20));
  await rejectsWith(model.step(), /step: training is running; pause it before stepping one batch/);
  await rejectsWith(model.fit(tx, ty, { epochs: 1 }), /fit: this model is already training/);
  tx.dispose();
  ty.dispose();
  const atDispose = batches;
  await new Promise((r) => setTimeout(r, 30));
  assert.ok(batches > atDispose, 'the fit goes on with the data it holds');
  model.stop();
  await fitting;
  await rejectsWith(() => model.predict(tx), /predict: x: this tensor has been disposed/);
  await model.dispose();
});

test('trainOnBatch, getWeights, layerInfo and summary', async () => {
  const model = xorModel();
  const [x, y] = xorData();
  const before = await model.getWeights();
  assert.deepEqual(
    before.map((w) => [w.layer, w.name, w.shape]),
    [
      ['dense', 'kernel', [2, 8]],
      ['dense', 'bias', [8]],
      ['dense_1', 'kernel', [8, 1]],
      ['dense_1', 'bias', [1]],
    ],
  );
  const [loss, accuracy] = await model.trainOnBatch(x, y);
  assert.ok(Number.isFinite(loss) && accuracy >= 0 && accuracy <= 1, 'trainOnBatch gives [loss, acc]');
  assert.notDeepEqual(flat(await model.getWeights()), flat(before));
  assert.deepEqual(await model.layerInfo(), [
    { name: 'dense', type: 'Dense', outputShape: [8], parameters: 24 },
    { name: 'dense_1', type: 'Dense', outputShape: [1], parameters: 9 },
  ]);
  const printed = [];
  const text = await model.summary({ printFn: (line) => printed.push(line) });
  assert.equal(printed.join('\n'), text);
  assert.ok(printed.length > 5, 'printed line by line, as TensorFlow.js');
  // TensorFlow.js' positional form, printed at once (the engine runs in this thread).
  const lines = [];
  model.summary(undefined, undefined, (line) => lines.push(line));
  assert.deepEqual(lines, printed);
  assert.match(text, /dense_1 \(Dense\)\s+\(None, 1\)\s+9/);
  await model.dispose();
});

test('activations give every layer output; saliency matches finite differences of predict', async () => {
  const model = dl.sequential({
    seed: 5,
    layers: [
      dl.layers.dense({ units: 6, activation: 'tanh', inputShape: [3] }),
      dl.layers.dropout({ rate: 0.5 }),
      dl.layers.dense({ units: 4, activation: 'softmax' }),
    ],
  });
  const point = [0.3, -0.7, 0.9];
  const x = dl.tensor([point]);
  const acts = await model.activations(x);
  assert.deepEqual(
    acts.map((a) => [a.layer, a.shape]),
    [
      ['dense', [1, 6]],
      ['dropout', [1, 6]],
      ['dense_1', [1, 4]],
    ],
  );
  assert.deepEqual(Array.from(acts[1].values), Array.from(acts[0].values), 'dropout is off in inference');
  const output = 2;
  const grad = await model.saliency(x, output);
  assert.deepEqual(grad.shape, [1, 3]);
  const eps = 1e-2;
  for (let i = 0; i < 3; i++) {
    const up = point.slice();
    const down = point.slice();
    up[i] += eps;
    down[i] -= eps;
    const tu = dl.tensor([up]);
    const td = dl.tensor([down]);
    const numeric = ((await model.predict(tu).data())[output] - (await model.predict(td).data())[output]) / (2 * eps);
    assert.ok(Math.abs(numeric - grad.values[i]) < 1e-3, `input ${i}: saliency ${grad.values[i]}, numeric ${numeric}`);
    tu.dispose();
    td.dispose();
  }
  await rejectsWith(model.saliency(x, 4), /saliency: output index 4 is outside the model's 4 outputs \(0 to 3\)/);
  await model.dispose();
});

test('layer statistics describe weights and gradients', async () => {
  const model = xorModel();
  const [x, y] = xorData();
  await model.trainOnBatch(x, y);
  const stats = await model.layerStatistics({ bins: 5 });
  const weights = await model.getWeights();
  assert.equal(stats.length, 4);
  for (let i = 0; i < stats.length; i++) {
    const values = Array.from(weights[i].values);
    const s = stats[i].weights;
    assert.equal(stats[i].layer, weights[i].layer);
    assert.ok(Math.abs(s.min - Math.min(...values)) < 1e-6 && Math.abs(s.max - Math.max(...values)) < 1e-6);
    assert.ok(Math.abs(s.mean - values.reduce((a, b) => a + b, 0) / values.length) < 1e-6);
    assert.equal(
      s.histogram.reduce((a, b) => a + b, 0),
      values.length,
    );
    assert.ok(stats[i].gradients.max >= stats[i].gradients.min);
  }
  assert.ok(stats[0].gradients.std > 0, 'the last batch left non-zero gradients');
  await rejectsWith(model.layerStatistics({ bins: 0 }), /bins must be from 1 to 4096; got 0/);
  await model.dispose();
});
