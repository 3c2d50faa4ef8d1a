// Graph models through the JavaScript API (dl.input, layer.apply, dl.model): every merge
// layer gives TensorFlow.js' outputs for the same weights; skips, shared layers and two
// inputs train; bad graphs are refused by name and leave the engine's heap flat.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import { loadApi, rejectsWith, values } from './engine.mjs';

const dl = await loadApi();
const tf = createRequire(import.meta.url)('@tensorflow/tfjs');
await tf.setBackend('cpu');

// Two inputs, a dense layer on each, the merge, a dense head: built in both libraries with
// the same names, our weights copied into TensorFlow.js' layers by name.
async function compareMerge(type, config, shapes) {
  const build = (lib) => {
    const [p, q] = shapes.map((shape, i) => lib.input({ shape, name: `in${i}` }));
    // Sequences go to the merge as they are (Dense on each step is the sequence issue's).
    const flat = shapes[0].length === 1;
    const a = flat ? lib.layers.dense({ units: 4, activation: 'tanh', name: 'a' }).apply(p) : p;
    const b = flat ? lib.layers.dense({ units: 4, activation: 'tanh', name: 'b' }).apply(q) : q;
    // TensorFlow.js has no Subtract layer: there a - b is a + (-b), with b's weights
    // negated below (tanh is odd, so b's outputs are negated).
    const made = lib === tf && type === 'subtract' ? 'add' : type;
    const merged = lib.layers[made]({ ...config, name: 'merged' }).apply([a, b]);
    // (TensorFlow.js refuses Flatten on what is flat already.)
    const joined = flat ? merged : lib.layers.flatten({ name: 'flat' }).apply(merged);
    const out = lib.layers.dense({ units: 3, name: 'out' }).apply(joined);
    return lib.model({ inputs: [p, q], outputs: out });
  };
  const ours = build(dl);
  const theirs = build(tf);
  for (const w of await ours.getWeights()) {
    const layer = theirs.getLayer(w.layer);
    const index = w.name === 'kernel' ? 0 : 1;
    const current = layer.getWeights();
    const negate = type === 'subtract' && w.layer === 'b';
    current[index] = tf.tensor(negate ? w.values.map((v) => -v) : w.values, w.shape);
    layer.setWeights(current);
  }
  const n = 5;
  const xs = shapes.map((shape, i) => values(n * shape.reduce((a, b) => a * b), 7 + i));
  const mine = await ours.predict(xs.map((v, i) => dl.tensor(v, [n, ...shapes[i]]))).data();
  const expected = theirs.predict(xs.map((v, i) => tf.tensor(v, [n, ...shapes[i]]))).dataSync();
  assert.equal(mine.length, expected.length, `${type}: ${mine.length} outputs, TensorFlow.js ${expected.length}`);
  const worst = Math.max(...Array.from(mine, (v, i) => Math.abs(v - expected[i])));
  assert.ok(worst < 1e-5, `${type} ${JSON.stringify(config)}: largest difference from TensorFlow.js ${worst}`);
  await ours.dispose();
}

test('every merge layer gives TensorFlow.js outputs for the same weights (within 1e-5)', async () => {
  for (const type of ['add', 'subtract', 'multiply', 'average', 'maximum', 'minimum', 'concatenate'])
    await compareMerge(type, {}, [[3], [2]]);
  await compareMerge('dot', { axes: 1 }, [[3], [2]]);
  await compareMerge('dot', { axes: 1, normalize: true }, [[3], [2]]);
  // Sequences of vectors: Dot over the feature axis of both gives a matrix of dot
  // products, over the steps axis another.
  await compareMerge('dot', { axes: 2 }, [
    [5, 3],
    [6, 3],
  ]);
  await compareMerge('dot', { axes: [1, 1] }, [
    [5, 3],
    [5, 2],
  ]);
  await compareMerge('concatenate', { axis: 1 }, [
    [5, 3],
    [6, 3],
  ]);
  await compareMerge('multiply', {}, [
    [5, 3],
    [5, 3],
  ]);
});

test('a residual model with a shared layer trains, counts shared weights once and takes inputs by name', async () => {
  const x = dl.input({ shape: [2], name: 'point' });
  const extra = dl.input({ shape: [1], name: 'bias' });
  const shared = dl.layers.dense({ units: 8, activation: 'tanh' });
  const h = dl.layers.dense({ units: 8, activation: 'tanh' }).apply(x);
  const once = shared.apply(h);
  const twice = shared.apply(dl.layers.add().apply([h, once]));
  const joined = dl.layers.concatenate().apply([twice, extra]);
  const model = dl.model({
    inputs: [x, extra],
    outputs: dl.layers.dense({ units: 1, activation: 'sigmoid' }).apply(joined),
  });
  assert.deepEqual(
    model.layers.map((l) => l.name),
    ['dense', 'dense_1', 'add', 'concatenate', 'dense_2'],
  );
  assert.equal(model.getLayer(1).name, 'dense_1');
  assert.equal(model.getLayer('add').type, 'add');
  model.compile({ optimizer: dl.train.adam(0.05), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const text = await model.summary({ printFn: null });
  assert.match(text, /Connected to/);
  assert.match(text, /dense_1:1 \(Dense\)\s+\(None, 8\)\s+0\s+add/);
  assert.match(text, /Total params: 106\n/); // 24 + 72 + 10: the shared layer once
  const n = 128;
  const pts = values(2 * n, 3);
  const labels = Float32Array.from({ length: n }, (_, i) => (pts[2 * i] * pts[2 * i + 1] > 0 ? 1 : 0));
  const xs = dl.tensor(pts, [n, 2]);
  const bias = dl.ones([n, 1]);
  const ys = dl.tensor(labels, [n, 1]);
  const history = await model.fit({ point: xs, bias }, ys, { epochs: 80, batchSize: 32 });
  assert.ok(history.history.loss.at(-1) < 0.5 * history.history.loss[0], `loss ${history.history.loss}`);
  const byList = await model.predict([xs, bias]).data();
  const byName = await model.predict({ bias, point: xs }).data();
  assert.deepEqual(Array.from(byList), Array.from(byName));
  await rejectsWith(
    async () => model.predict([xs]),
    /predict: x must be 2 Tensors, one per input \(\["point","bias"\]\)/,
  );
  await rejectsWith(async () => model.predict({ point: xs }), /no tensor for input \["bias"\]/);
  dl.dispose([xs, bias, ys]);
  await model.dispose();
});

test('a layer applied to Tensors runs once on them, with the same weights each time', async () => {
  const layer = dl.layers.dense({ units: 2 });
  const x = dl.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
  const first = await layer.apply(x).array();
  const again = await layer.apply(x).array();
  assert.deepEqual(first, again);
  // Another batch size: the same weights.
  const three = dl.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3]);
  assert.deepEqual((await layer.apply(three).array()).slice(0, 2), first);
  three.dispose();
  assert.equal(first.length, 2);
  const sum = await dl.layers.add().apply([x, x]).array();
  assert.deepEqual(sum, [
    [2, 4, 6],
    [8, 10, 12],
  ]);
  x.dispose();
});

test('names: inputs and layers never collide; applications of a shared layer are numbered in apply order', async () => {
  const x = dl.input({ shape: [3], name: 'dense' });
  const shared = dl.layers.dense({ units: 3, activation: 'tanh' });
  const first = shared.apply(x);
  const other = dl.layers.dense({ units: 3 }).apply(x);
  const second = shared.apply(other); // applied after "other" was made, listed after it
  const model = dl.model({ inputs: x, outputs: dl.layers.add().apply([second, first]) });
  const text = await model.summary({ printFn: null });
  assert.match(text, /dense_1:1 \(Dense\)\s+\(None, 3\)\s+0\s+dense_2/);
  assert.deepEqual(
    model.layers.map((l) => l.name),
    ['dense_1', 'dense_2', 'add'],
  );
  await model.dispose();
});

test('graphs that cannot be built are refused by name, and refusals leave the heap flat', async () => {
  const start = (await dl.engineMemory()).heapInUse;
  for (let round = 0; round < 20; round++) {
    const a = dl.input({ shape: [4], name: 'a' });
    const b = dl.input({ shape: [3], name: 'b' });
    const d = dl.layers.dense({ units: 2, name: 'd' });
    const bad = dl.model({ inputs: [a, b], outputs: dl.layers.add({ name: 'sum' }).apply([a, b]) });
    await rejectsWith(
      () => bad.build(),
      /layers\[0\] \(add\): sum \(Add\): inputs of shapes \(None, 4\), \(None, 3\) do not broadcast/,
    );
    const shared = dl.model({ inputs: [a, b], outputs: dl.layers.add().apply([d.apply(a), d.apply(b)]) });
    await rejectsWith(
      () => shared.build(),
      /d \(Dense\) is applied again to \(None, 3\) but was built for \(None, 4\)/,
    );
    const tooMany = dl.model({ inputs: a, outputs: dl.layers.subtract().apply([a, a, a]) });
    await rejectsWith(() => tooMany.build(), /Subtract\) takes 2 inputs; it was given 3/);
    await Promise.all([bad, shared, tooMany].map((m) => m.dispose()));
  }
  assert.throws(
    () =>
      dl.model({
        inputs: dl.input({ shape: [2] }),
        outputs: dl.layers.dense({ units: 1 }).apply(dl.input({ shape: [2], name: 'other' })),
      }),
    /depend on input "other", which is not among the model's inputs/,
  );
  assert.throws(() => dl.input({ shape: [0] }), /input: shape must be an array of positive whole numbers/);
  assert.throws(() => dl.model({ inputs: [], outputs: [] }), /model: inputs must be symbolic tensors/);
  const end = (await dl.engineMemory()).heapInUse;
  assert.ok(Math.abs(end - start) < 1 << 20, `heap in use went from ${start} to ${end} bytes`);
});

test("the seeds' techniques on a graph: class weights, a schedule, early stopping, a huge fan-in", async () => {
  const build = () => {
    const x = dl.input({ shape: [4] });
    const h = dl.layers.dense({ units: 8, activation: 'relu' }).apply(x);
    const n = dl.layers.batchNormalization().apply(dl.layers.dense({ units: 8 }).apply(h));
    const skip = dl.layers.add().apply([h, dl.layers.dropout({ rate: 0.2 }).apply(n)]);
    const model = dl.model({
      inputs: x,
      outputs: dl.layers.dense({ units: 1, activation: 'sigmoid' }).apply(skip),
      seed: 3,
    });
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    return model;
  };
  const xs = values(160, 11);
  const x = dl.tensor(xs, [40, 4]);
  const y = dl.tensor(
    Float32Array.from({ length: 40 }, (_, i) => (xs[4 * i] + xs[4 * i + 1] > 0.6 ? 1 : 0)),
    [40, 1],
  );
  const plain = build();
  const weighted = build();
  const a = await plain.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false });
  const b = await weighted.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, classWeight: { 1: 5 } });
  assert.notEqual(a.history.loss[0], b.history.loss[0], 'class weights change the loss');
  const scheduled = build();
  const c = await scheduled.fit(x, y, {
    epochs: 4,
    batchSize: 8,
    validationSplit: 0.25,
    schedule: dl.schedules.cosineDecay({ decaySteps: 8 }),
    callbacks: [
      dl.callbacks.earlyStopping({ monitor: 'val_loss', patience: 0, minDelta: 10, restoreBestWeights: true }),
    ],
  });
  assert.equal(
    c.history.loss.length,
    2,
    'early stopping ends the run after the first epoch that does not improve by 10',
  );
  assert.ok(c.history.lr[1] < c.history.lr[0], `the schedule lowers the rate: ${c.history.lr}`);
  // A merge of 500 tensors (one input 500 times): the output is 500 x, and so is the
  // gradient that reaches x through every edge.
  const input = dl.input({ shape: [3] });
  const wide = dl.model({ inputs: input, outputs: dl.layers.add().apply(Array(500).fill(input)) });
  const point = dl.tensor([1, -2, 0.5], [1, 3]);
  assert.deepEqual(Array.from(wide.predict(point).dataSync()), [500, -1000, 250]);
  assert.deepEqual(Array.from((await wide.saliency(point, 1)).values), [0, 500, 0]);
  for (const m of [plain, weighted, scheduled, wide]) await m.dispose();
  dl.dispose([x, y, point]);
});
