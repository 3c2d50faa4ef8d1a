// Models of several outputs through the JavaScript API: the same two-output model in our
// library and in TensorFlow.js, from the same weights, gives the same evaluate() values
// and the same weights after SGD steps with per-output losses and loss weights; fit logs
// TensorFlow.js' keys; losses, loss weights, metrics and targets may be given by output
// name; bad arguments are refused by name and leave the engine's heap flat.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import { loadApi, rejectsWith, values } from './engine.mjs';

const dl = await loadApi();
const tf = createRequire(import.meta.url)('@tensorflow/tfjs');
await tf.setBackend('cpu');

// x -> h (tanh) -> cls (3 classes, softmax) and reg (2 values, linear).
function build(lib) {
  const x = lib.input({ shape: [4], name: 'x' });
  const h = lib.layers.dense({ units: 5, activation: 'tanh', name: 'h' }).apply(x);
  const cls = lib.layers.dense({ units: 3, activation: 'softmax', name: 'cls' }).apply(h);
  const reg = lib.layers.dense({ units: 2, name: 'reg' }).apply(h);
  return lib.model({ inputs: x, outputs: [cls, reg] });
}

// Our model with TensorFlow.js' initial weights.
async function twins() {
  const theirs = build(tf);
  const ours = build(dl);
  const order = await ours.weightEntries();
  await ours.setWeights(
    order.map((w) => theirs.getLayer(w.layer).getWeights()[w.name === 'kernel' ? 0 : 1].dataSync()),
  );
  return { ours, theirs };
}

const n = 12;
const xValues = values(n * 4, 3);
const classes = Array.from({ length: n }, (_, i) => (i * 7) % 3);
const oneHot = classes.flatMap((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)));
const regValues = values(n * 2, 11);
const data = (lib) => ({
  x: lib.tensor(xValues, [n, 4]),
  cls: lib.tensor(oneHot, [n, 3]),
  reg: lib.tensor(regValues, [n, 2]),
});

const close = (a, b, what) =>
  assert.ok(
    Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b)),
    `${what}: ours ${a}, TensorFlow.js ${b} (difference ${Math.abs(a - b)})`,
  );
const read = async (scalars) => Promise.all(scalars.map(async (t) => (await t.data())[0]));

test('evaluate gives TensorFlow.js values: [loss, each output loss, each output metric] (within 1e-5)', async () => {
  const { ours, theirs } = await twins();
  const weights = [0.3, 2.5];
  await ours.compile({
    optimizer: 'sgd',
    loss: ['categoricalCrossentropy', 'meanSquaredError'],
    lossWeights: weights,
    metrics: { cls: ['accuracy'] },
  });
  theirs.compile({
    optimizer: 'sgd',
    loss: ['categoricalCrossentropy', 'meanSquaredError'],
    metrics: { cls: ['accuracy'] },
  });
  const d = data(dl);
  const t = data(tf);
  const mine = await read(ours.evaluate(d.x, [d.cls, d.reg]));
  // TensorFlow.js 4.22 returns [first output's loss, sum of losses, cls_loss, reg_loss,
  // cls_acc]: its metricsNames with one more value in front; it ignores lossWeights.
  const expected = theirs.evaluate(t.x, [t.cls, t.reg]).map((s) => s.dataSync()[0]);
  assert.deepEqual(theirs.metricsNames, ['loss', 'cls_loss', 'reg_loss', 'cls_acc']);
  assert.equal(mine.length, 4);
  close(mine[1], expected[2], 'cls_loss');
  close(mine[2], expected[3], 'reg_loss');
  close(mine[3], expected[4], 'cls_accuracy');
  close(mine[0], weights[0] * expected[2] + weights[1] * expected[3], 'loss (weighted sum)');
  // Without loss weights the total is TensorFlow.js' own.
  await ours.compile({ optimizer: 'sgd', loss: ['categoricalCrossentropy', 'meanSquaredError'] });
  const plain = await read(ours.evaluate(d.x, { reg: d.reg, cls: d.cls }));
  assert.equal(plain.length, 3);
  close(plain[0], expected[1], 'loss');
  await ours.dispose();
});

test('trainOnBatch with SGD, two losses and loss weights gives TensorFlow.js weights (within 1e-5)', async () => {
  const { ours, theirs } = await twins();
  const weights = { cls: 0.4, reg: 1.7 };
  await ours.compile({
    optimizer: dl.train.sgd(0.2),
    loss: { reg: 'meanSquaredError', cls: 'categoricalCrossentropy' },
    lossWeights: weights,
  });
  // TensorFlow.js 4.22 leaves lossWeights out (a TODO in its training code): the weighted
  // losses as functions give it Keras' total, sum_k w_k * loss_k.
  theirs.compile({
    optimizer: tf.train.sgd(0.2),
    loss: [
      (y, p) => tf.mul(tf.metrics.categoricalCrossentropy(y, p), weights.cls),
      (y, p) => tf.mul(tf.losses.meanSquaredError(y, p), weights.reg),
    ],
  });
  const d = data(dl);
  const t = data(tf);
  for (let step = 0; step < 4; step++) {
    // [loss, cls_loss, reg_loss] (metricsNames' order); TF.js' output losses are weighted.
    const mine = await ours.trainOnBatch(d.x, { cls: d.cls, reg: d.reg });
    const [loss, clsLoss, regLoss] = await theirs.trainOnBatch(t.x, [t.cls, t.reg]);
    assert.equal(mine.length, 3);
    close(mine[0], loss, `step ${step} loss`);
    close(mine[1] * weights.cls, clsLoss, `step ${step} cls_loss`);
    close(mine[2] * weights.reg, regLoss, `step ${step} reg_loss`);
  }
  for (const w of await ours.weightEntries()) {
    const expected = theirs.getLayer(w.layer).getWeights()[w.name === 'kernel' ? 0 : 1].dataSync();
    w.values.forEach((v, i) => close(v, expected[i], `${w.layer}/${w.name}[${i}]`));
  }
  // predict gives one Tensor per output, as TensorFlow.js does.
  const mine = ours.predict(d.x);
  const theirsOut = theirs.predict(t.x);
  assert.equal(mine.length, 2);
  for (let k = 0; k < 2; k++) {
    assert.deepEqual(mine[k].shape, theirsOut[k].shape);
    const expected = theirsOut[k].dataSync();
    (await mine[k].data()).forEach((v, i) => close(v, expected[i], `output ${k} value ${i}`));
  }
  const [cls, reg] = await ours.predictValues(d.x);
  assert.deepEqual(
    [cls.shape, reg.shape],
    [
      [n, 3],
      [n, 2],
    ],
  );
  close(reg.values[5], theirsOut[1].dataSync()[5], 'predictValues');
  await ours.dispose();
});

test("fit logs TensorFlow.js' keys (cls_acc, val_reg_acc), and sparse targets take one column", async () => {
  const { ours, theirs } = await twins();
  const compile = (lib) => ({
    optimizer: 'adam',
    loss: { cls: 'sparseCategoricalCrossentropy', reg: 'meanSquaredError' },
    metrics: ['accuracy'],
  });
  await ours.compile(compile(dl));
  theirs.compile(compile(tf));
  const labels = (lib) => lib.tensor(classes, [n]);
  const d = data(dl);
  const t = data(tf);
  const fit = (lib, model, v) =>
    model.fit(v.x, [labels(lib), v.reg], { epochs: 3, batchSize: 5, validationData: [v.x, [labels(lib), v.reg]] });
  const mine = await fit(dl, ours, d);
  const expected = await fit(tf, theirs, t);
  const keys = (h) => Object.keys(h.history).sort();
  assert.deepEqual(keys(mine), keys(expected));
  assert.ok(keys(mine).includes('val_reg_acc') && keys(mine).includes('cls_loss'));
  assert.equal(mine.history.loss.length, 3);
  assert.ok(mine.history.loss[2] < mine.history.loss[0], `loss went ${mine.history.loss}`);
  // evaluateMetrics reports every output's loss and metrics.
  const report = await ours.evaluateMetrics(d.x, { cls: labels(dl), reg: d.reg });
  assert.deepEqual(Object.keys(report.metrics).sort(), ['cls_accuracy', 'cls_loss', 'reg_accuracy', 'reg_loss']);
  await ours.dispose();
});

test('bad losses, loss weights and targets are refused by output name; refusals leave the heap flat', async () => {
  const d = data(dl);
  const start = (await dl.engineMemory()).heapInUse;
  for (let round = 0; round < 10; round++) {
    const model = build(dl);
    assert.throws(
      () => model.compile({ optimizer: 'sgd', loss: ['meanSquaredError'] }),
      /compile: 1 losses were given for a model of 2 outputs \(\["cls","reg"\]\); expected one per output/,
    );
    assert.throws(
      () => model.compile({ optimizer: 'sgd', loss: 'meanSquaredError', lossWeights: [1, 2, 3] }),
      /compile: 3 loss weights were given for a model of 2 outputs \(\["cls","reg"\]\)/,
    );
    assert.throws(
      () => model.compile({ optimizer: 'sgd', loss: { cls: 'meanSquaredError', head: 'meanSquaredError' } }),
      /compile: losses names output "head", which the model does not have; its outputs are \["cls","reg"\]/,
    );
    assert.throws(
      () => model.compile({ optimizer: 'sgd', loss: { cls: 'meanSquaredError' } }),
      /compile: loss has no entry for output "reg"; every output needs a loss/,
    );
    assert.throws(
      () => model.compile({ optimizer: 'sgd', loss: 'meanSquaredError', lossWeights: { cls: -1 } }),
      /lossWeights must be finite numbers >= 0/,
    );
    await rejectsWith(() => model.trainOnBatch(d.x, [d.cls, d.reg]), /trainOnBatch: the model is not compiled/);
    await model.compile({ optimizer: 'sgd', loss: ['categoricalCrossentropy', 'meanSquaredError'] });
    const before = await model.weightEntries();
    await rejectsWith(
      () => model.trainOnBatch(d.x, [d.cls]),
      /trainOnBatch: y must be 2 Tensors, one per output \(\["cls","reg"\]\), as a list or an object by output name; got 1 values/,
    );
    await rejectsWith(
      () => model.trainOnBatch(d.x, { cls: d.cls, head: d.reg }),
      /trainOnBatch: y: no output is named "head"; the model's outputs are \["cls","reg"\]/,
    );
    await rejectsWith(
      () => model.fit(d.x, [d.reg, d.cls]),
      /fit: y: output "cls" takes targets of shape \[null,3\]; got \[12,2\]/,
    );
    await rejectsWith(
      () => model.fit(d.x, [d.cls, d.reg], { validationData: [d.x, [d.cls, d.cls]] }),
      /fit: validation y: output "reg" takes targets of shape \[null,2\]; got \[12,3\]/,
    );
    assert.throws(() => model.evaluate(d.x, { cls: d.cls }), /evaluate: y: no tensor for output "reg"/);
    await rejectsWith(
      () => model.fit(d.x, [d.cls, d.reg], { classWeight: { 0: 2 } }),
      /fit: classWeight is not supported for a model of several outputs \(2 outputs\)/,
    );
    await rejectsWith(
      () => model.fit(d.x, [d.cls, d.reg], { callbacks: [dl.callbacks.earlyStopping({ monitor: 'cls_acc' })] }),
      /fit: earlyStopping monitors "cls_acc", which this model does not report; expected one of loss, cls_loss, reg_loss/,
    );
    assert.deepEqual(await model.weightEntries(), before);
    await model.dispose();
  }
  const end = (await dl.engineMemory()).heapInUse;
  assert.ok(Math.abs(end - start) < 1 << 20, `heap in use went from ${start} to ${end} bytes`);
});

test('a model of one output keeps returning one Tensor, and takes its loss by output name', async () => {
  const x = dl.input({ shape: [4], name: 'x' });
  const out = dl.layers.dense({ units: 2, name: 'out' }).apply(x);
  const model = dl.model({ inputs: x, outputs: out });
  await model.compile({ optimizer: 'sgd', loss: { out: 'meanSquaredError' }, metrics: { out: ['mae'] } });
  const d = data(dl);
  const scalars = model.evaluate(d.x, d.reg);
  assert.equal(scalars.length, 2);
  const prediction = model.predict(d.x);
  assert.deepEqual(prediction.shape, [n, 2]);
  const p = await prediction.data();
  let mse = 0;
  for (let i = 0; i < p.length; i++) mse += (p[i] - regValues[i]) ** 2 / p.length;
  close((await read(scalars))[0], mse, 'loss');
  await model.dispose();
});

test('a compiled model of several outputs keeps its losses, loss weights and metrics through a file; TF.js loads it without weights other than 1', async () => {
  const { ours, theirs } = await twins();
  ours.compile({
    optimizer: 'sgd',
    loss: ['categoricalCrossentropy', 'meanSquaredError'],
    lossWeights: [1, 0.5],
    metrics: { cls: ['accuracy'], reg: ['mae'] },
  });
  const x = dl.tensor(values(24, 3), [6, 4]);
  const y = [dl.oneHot(dl.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 3), dl.tensor(values(12, 4), [6, 2])];
  const artifacts = await dl.io.exportModel(ours);
  assert.deepEqual(artifacts.trainingConfig.loss, ['categorical_crossentropy', 'mean_squared_error']);
  assert.deepEqual(artifacts.trainingConfig.loss_weights, [1, 0.5]);
  assert.deepEqual(artifacts.trainingConfig.metrics, { cls: ['accuracy'], reg: ['mae'] });
  const copy = await dl.io.importModel(artifacts);
  const a = ours.evaluate(x, y).map((t) => t.dataSync()[0]);
  const b = copy.evaluate(x, y).map((t) => t.dataSync()[0]);
  assert.deepEqual(b, a, 'the same losses, weights and metrics after the trip');
  assert.equal(a.length, 5, 'loss, two output losses, two metrics');

  ours.compile({ optimizer: 'sgd', loss: ['categoricalCrossentropy', 'meanSquaredError'], metrics: ['mae'] });
  const plain = await dl.io.exportModel(ours);
  assert.deepEqual(plain.trainingConfig.metrics, ['mae']);
  assert.equal(plain.trainingConfig.loss_weights, undefined);
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(plain));
  assert.deepEqual(loaded.loss, ['categoricalCrossentropy', 'meanSquaredError']);
  theirs.dispose();
  loaded.dispose();
  for (const m of [ours, copy]) await m.dispose();
  dl.dispose([x, ...y]);
});

test('a model of one output takes a loss weight of 1 (as a list or by name) and refuses another by name', async () => {
  const x = dl.input({ shape: [3] });
  const model = dl.model({ inputs: x, outputs: dl.layers.dense({ units: 1, name: 'out' }).apply(x) });
  await model.compile({ optimizer: 'sgd', loss: 'meanSquaredError', lossWeights: { out: 1 } });
  await model.compile({ optimizer: 'sgd', loss: 'meanSquaredError', lossWeights: [1] });
  assert.throws(
    () => model.compile({ optimizer: 'sgd', loss: 'meanSquaredError', lossWeights: [2] }),
    /a model of one output takes a loss weight of 1 only \(scale the learning rate instead\); got \[2\]/,
  );
  await model.dispose();
});
