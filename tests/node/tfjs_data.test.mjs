// TensorFlow.js' tf.data as programs use it, each pipeline run beside TensorFlow.js 4.22
// itself on the same input: array, generator, zip, csv (with columnConfigs and isLabel),
// map, filter, skip, take, repeat, batch, shuffle, concatenate, prefetch; then
// model.fitDataset and evaluateDataset on a real 2D set, with validation, callbacks,
// batchesPerEpoch and early stopping, no tensor left behind; bad input refused by name.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { loadApi } from './engine.mjs';

const dl = await loadApi();
const tf = createRequire(import.meta.url)('@tensorflow/tfjs');

// A batch (or a structure of them) as plain values, for either library.
async function plain(x) {
  if (x && typeof x.dataSync === 'function') return { shape: x.shape, values: Array.from(await x.data()) };
  if (Array.isArray(x)) return Promise.all(x.map(plain));
  if (x && typeof x === 'object')
    return Object.fromEntries(await Promise.all(Object.entries(x).map(async ([k, v]) => [k, await plain(v)])));
  return x;
}
const both = async (make) => [await plain(await make(dl).toArray()), await plain(await make(tf).toArray())];

test('pipelines give what TensorFlow.js’ give: map, filter, skip, take, repeat, batch, zip, generator, concatenate', async () => {
  const pipeline = (lib) =>
    lib.data
      .array([1, 2, 3, 4, 5, 6, 7])
      .map((x) => ({ xs: [x, x * 2], ys: x % 2 }))
      .filter((e) => e.ys === 1 || e.xs[0] > 4)
      .skip(1)
      .take(3)
      .repeat(2)
      .batch(2);
  const [ours, theirs] = await both(pipeline);
  assert.equal(ours.length, 3);
  assert.deepEqual(ours, theirs);
  assert.deepEqual(...(await both((lib) => lib.data.zip([lib.data.array([1, 2, 3]), lib.data.array([4, 5])]))));
  assert.deepEqual(
    ...(await both((lib) => lib.data.zip({ a: lib.data.array([[1, 2]]), b: lib.data.array([{ c: 3 }]) }).batch(1))),
  );
  const counter = (lib) =>
    lib.data
      .generator(function* () {
        for (let i = 0; i < 5; i++) yield [i, -i];
      })
      .concatenate(lib.data.array([[9, 9]]))
      .prefetch(2)
      .batch(4, false);
  assert.deepEqual(...(await both(counter)));
  // Tensors made in map are batched and freed; the iterator reads one at a time.
  const before = dl.memory().numTensors;
  const tensors = dl.data
    .array([1, 2, 3])
    .map((x) => dl.tensor1d([x, x]))
    .batch(3);
  const [batch] = await tensors.toArray();
  assert.deepEqual(await plain(batch), { shape: [3, 2], values: [1, 1, 2, 2, 3, 3] });
  batch.dispose();
  assert.equal(dl.memory().numTensors, before, 'no tensor left behind');
  const it = await dl.data.array(['a', 'b']).iterator();
  assert.deepEqual(
    [await it.next(), await it.next(), (await it.next()).done],
    [{ value: 'a', done: false }, { value: 'b', done: false }, true],
  );
  const seen = [];
  await dl.data.array([3, 4]).forEachAsync((x) => seen.push(x));
  assert.deepEqual(seen, [3, 4]);
});

test('shuffle is seeded: the same order for the same seed, every element once, a new order each pass', async () => {
  const items = Array.from({ length: 20 }, (_, i) => i);
  const once = await dl.data.array(items).shuffle(8, 42, false).toArray();
  assert.deepEqual(once, await dl.data.array(items).shuffle(8, 42, false).toArray());
  assert.notDeepEqual(once, items);
  assert.deepEqual(
    [...once].sort((a, b) => a - b),
    items,
  );
  const again = dl.data.array(items).shuffle(20, 7);
  assert.notDeepEqual(await again.toArray(), await again.toArray(), 'reshuffled each iteration');
});

test('csv: rows as TensorFlow.js reads them, with columnConfigs, isLabel, defaults and a delimiter', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dlp-csv-'));
  writeFileSync(join(dir, 'a.csv'), 'sepal,petal,kind,species\n5.1,1.4,x,0\n4.9,,y,1\n6.3,4.9,z,2\n');
  const url = `file://${join(dir, 'a.csv')}`;
  const options = { columnConfigs: { species: { isLabel: true }, petal: { default: 0.5 } } };
  const [ours, theirs] = [await dl.data.csv(url, options).toArray(), await tf.data.csv(url, options).toArray()];
  assert.deepEqual(ours, theirs);
  assert.deepEqual(await dl.data.csv(url).columnNames(), await tf.data.csv(url).columnNames());
  const only = { columnConfigs: { sepal: {}, species: { isLabel: true } }, configuredColumnsOnly: true };
  assert.deepEqual(await dl.data.csv(url, only).toArray(), await tf.data.csv(url, only).toArray());
  writeFileSync(join(dir, 'b.csv'), '1;2\n3;4\n');
  const headless = { hasHeader: false, columnNames: ['p', 'q'], delimiter: ';' };
  assert.deepEqual(
    await dl.data.csv(`file://${join(dir, 'b.csv')}`, headless).toArray(),
    await tf.data.csv(`file://${join(dir, 'b.csv')}`, headless).toArray(),
  );
  // As a program feeds a model from it: the features and the label as arrays, batched.
  const [first] = await dl.data
    .csv(url, options)
    .map(({ xs, ys }) => ({ xs: [xs.sepal, xs.petal], ys: [ys.species] }))
    .batch(3)
    .toArray();
  assert.deepEqual(await plain(first), {
    xs: { shape: [3, 2], values: [5.1, 1.4, 4.9, 0.5, 6.3, 4.9].map(Math.fround) },
    ys: { shape: [3, 1], values: [0, 1, 2] },
  });
  await assert.rejects(
    dl.data.csv(url, { columnConfigs: { petal: { required: true } } }).toArray(),
    /data\.csv: line 3 has no value for the required column "petal"/,
  );
  await assert.rejects(
    dl.data.csv(url, { columnConfigs: { colour: {} } }).toArray(),
    /columnConfigs name columns the file lacks: \["colour"\]; its columns are \["sepal","petal","kind","species"\]/,
  );
  await assert.rejects(
    dl.data.csv(`file://${join(dir, 'none.csv')}`).toArray(),
    /data\.csv: ".*none\.csv" cannot be read/,
  );
});

test('fitDataset trains from a dataset with validation, callbacks, batchesPerEpoch and early stopping; evaluateDataset scores', async () => {
  const toy = dl.data.toyDataset('circle', { points: 400, noise: 0.1, seed: 4 });
  const rows = (part) =>
    Array.from({ length: part.n }, (_, i) => ({ xs: [part.x[2 * i], part.x[2 * i + 1]], ys: [part.y[i]] }));
  const train = dl.data.array(rows(toy.train)).shuffle(200, 1).batch(20);
  const validation = dl.data.array(rows(toy.test)).batch(50);
  const makeModel = () => {
    const model = dl.sequential({
      seed: 1,
      layers: [
        dl.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }),
        dl.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    model.compile({ optimizer: dl.train.adam(0.05), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    return model;
  };
  const model = makeModel();
  const before = dl.memory().numTensors;
  const events = [];
  const history = await model.fitDataset(train, {
    epochs: 12,
    validationData: validation,
    callbacks: {
      onTrainBegin: () => events.push('begin'),
      onEpochEnd: (epoch, logs) => events.push(`epoch ${epoch} ${logs.val_acc > 0 ? 'scored' : 'unscored'}`),
      onBatchEnd: (batch, logs) => batch === 0 && events.push(`batch of ${logs.size}`),
      onTrainEnd: () => events.push('end'),
    },
  });
  assert.equal(dl.memory().numTensors, before, 'every batch freed');
  assert.deepEqual(history.epoch, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  assert.deepEqual(Object.keys(history.history).sort(), ['acc', 'loss', 'val_acc', 'val_loss']);
  assert.ok(history.history.val_acc.at(-1) > 0.9, `val accuracy ${history.history.val_acc}`);
  assert.ok(history.history.loss.at(-1) < history.history.loss[0]);
  assert.deepEqual([events[0], events[1], events[2], events.at(-1)], ['begin', 'batch of 20', 'epoch 0 scored', 'end']);
  // evaluateDataset agrees with evaluate on the same rows.
  const [loss, accuracy] = await model.evaluateDataset(validation);
  const x = dl.tensor(toy.test.x, [toy.test.n, 2]);
  const y = dl.tensor(toy.test.y, [toy.test.n, 1]);
  const [loss2, accuracy2] = model.evaluate(x, y, { batchSize: toy.test.n });
  assert.ok(Math.abs((await loss.data())[0] - (await loss2.data())[0]) < 1e-5);
  assert.equal((await accuracy.data())[0], (await accuracy2.data())[0]);
  dl.dispose([loss, accuracy, loss2, accuracy2]);
  // batchesPerEpoch over an endless stream, validation as [x, y], early stopping.
  const endless = dl.data.array(rows(toy.train)).repeat().shuffle(100, 2).batch(10);
  const stopped = await makeModel().fitDataset(endless, {
    epochs: 50,
    batchesPerEpoch: 5,
    validationData: [x, y],
    callbacks: [dl.callbacks.earlyStopping({ monitor: 'val_loss', patience: 1, minDelta: 0.05 })],
  });
  assert.ok(stopped.epoch.length < 50, `early stopping ended the run after ${stopped.epoch.length} epochs`);
  assert.ok(stopped.history.val_loss.length === stopped.epoch.length);
  dl.dispose([x, y]);
});

test('bad datasets and arguments are refused by name', async () => {
  assert.throws(() => dl.data.array([1]).batch(0), /dataset\.batch: expected a whole number >= 1; got 0/);
  assert.throws(() => dl.data.array([1]).take(-1), /dataset\.take: expected a whole number >= 0; got -1/);
  assert.throws(() => dl.data.array('abc'), /data\.array: expected an array; got "abc"/);
  assert.throws(() => dl.data.zip([dl.data.array([1]), [2]]), /data\.zip: expected an array or an object of Datasets/);
  await assert.rejects(dl.data.array([1]).repeat().toArray(), /dataset\.toArray: this dataset never ends/);
  await assert.rejects(
    dl.data
      .array([[1, 2], [3]])
      .batch(2)
      .toArray(),
    /dataset\.batch: elements must have the same shape; got \[2\] and \[1\]/,
  );
  const model = dl.sequential({ layers: [dl.layers.dense({ units: 1, inputShape: [2] })] });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  await assert.rejects(model.fitDataset([1, 2]), /fitDataset: expected a Dataset; got \[1,2\]/);
  await assert.rejects(
    model.fitDataset(dl.data.array([{ a: 1 }]).batch(1)),
    /fitDataset: each element must be \{xs, ys\} or \[xs, ys\] of tensors \(batch\(\) makes them\); got \{"a":/,
  );
  await assert.rejects(
    model.fitDataset(dl.data.array([]), { epochs: 1 }),
    /fitDataset: the dataset gave no batch in epoch 1/,
  );
  await assert.rejects(
    model.fitDataset(dl.data.array([]), { epochs: 0 }),
    /fitDataset: epochs must be a whole number >= 1; got 0/,
  );
});
