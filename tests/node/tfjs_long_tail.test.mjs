// Smaller pieces of TensorFlow.js' API that its examples use, each beside TensorFlow.js
// 4.22 itself: layers.inputLayer in a Sequential, the layer names' aliases
// (globalMaxPool1d, maxPool2d, avgPool1d...), Callback and CustomCallback, IO routers
// (registerSaveRouter / registerLoadRouter), multinomial with a null seed.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import { loadApi } from './engine.mjs';

const dl = await loadApi();
const tf = createRequire(import.meta.url)('@tensorflow/tfjs');

const VALUES = Array.from({ length: 2 * 6 * 3 }, (_, i) => Math.sin(i * 0.9) * 2);

test('inputLayer gives the next layer its shape (TensorFlow.js lists it in model.layers; we do not)', async () => {
  const make = (lib) => {
    const model = lib.sequential();
    model.add(lib.layers.inputLayer({ inputShape: [6, 3] }));
    model.add(lib.layers.flatten());
    model.add(lib.layers.dense({ units: 2, kernelInitializer: 'ones' }));
    return model;
  };
  const ours = make(dl);
  const theirs = make(tf);
  assert.equal(ours.layers.length, theirs.layers.length - 1);
  const x = (lib) => lib.tensor(VALUES, [2, 6, 3]);
  const expected = theirs.predict(x(tf)).dataSync();
  ours
    .predict(x(dl))
    .dataSync()
    .forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-5, `output ${i}: ${v} vs ${expected[i]}`));
  const batch = dl.sequential();
  batch.add(dl.layers.inputLayer({ batchInputShape: [null, 4] }));
  batch.add(dl.layers.dense({ units: 1 }));
  assert.deepEqual(batch.predict(dl.zeros([3, 4])).shape, [3, 1]);
  assert.throws(
    () => dl.layers.inputLayer({ shape: [3] }),
    /layers.inputLayer: unknown option "shape"; expected inputShape or batchInputShape/,
  );
  const late = dl.sequential({ layers: [dl.layers.dense({ units: 1, inputShape: [2] })] });
  assert.throws(() => late.add(dl.layers.inputLayer({ inputShape: [2] })), /an inputLayer must come first/);
});

test('layers.input is input, as in TensorFlow.js', () => {
  const x = dl.layers.input({ shape: [4], name: 'features' });
  assert.deepEqual([x.shape, x.name], [tf.layers.input({ shape: [4] }).shape, 'features']);
  const model = dl.model({ inputs: x, outputs: dl.layers.dense({ units: 2 }).apply(x) });
  assert.deepEqual(model.predict(dl.zeros([3, 4])).shape, [3, 2]);
});

test('TensorFlow.js’ other names of pooling layers give the same outputs', async () => {
  for (const [alias, config] of [
    ['globalMaxPool1d', {}],
    ['maxPool1d', { poolSize: 2 }],
    ['avgPool1d', { poolSize: 3 }],
    ['avgPooling1d', { poolSize: 2 }],
  ]) {
    const run = (lib) =>
      lib
        .sequential({ layers: [lib.layers[alias]({ ...config, inputShape: [6, 3] })] })
        .predict(lib.tensor(VALUES, [2, 6, 3]))
        .dataSync();
    const ours = run(dl);
    const theirs = run(tf);
    assert.equal(ours.length, theirs.length, alias);
    ours.forEach((v, i) => assert.ok(Math.abs(v - theirs[i]) < 1e-5, `${alias}[${i}]`));
  }
  const image = (lib) =>
    lib.tensor(
      Array.from({ length: 32 }, (_, i) => (i * 7) % 11),
      [1, 4, 4, 2],
    );
  for (const alias of ['maxPool2d', 'avgPool2d', 'avgPooling2d', 'globalMaxPool2d']) {
    const run = (lib) =>
      Array.from(
        lib
          .sequential({ layers: [lib.layers[alias]({ inputShape: [4, 4, 2] })] })
          .predict(image(lib))
          .dataSync(),
      );
    assert.deepEqual(run(dl), run(tf), alias);
  }
});

test('Callback and CustomCallback hooks are called as TensorFlow.js calls them', async () => {
  const hooks = async (lib) => {
    const seen = [];
    class Counter extends lib.Callback {
      async onEpochEnd(epoch) {
        seen.push(`class epoch ${epoch}`);
      }
    }
    const model = lib.sequential({ layers: [lib.layers.dense({ units: 1, inputShape: [2] })] });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await model.fit(lib.zeros([4, 2]), lib.zeros([4, 1]), {
      epochs: 2,
      batchSize: 2,
      verbose: 0,
      callbacks: [
        new lib.CustomCallback({
          onTrainBegin: () => seen.push('train begin'),
          onEpochEnd: (epoch, logs) => seen.push(`epoch ${epoch} ${Object.keys(logs)}`),
          onBatchEnd: (batch) => seen.push(`batch ${batch}`),
          onTrainEnd: () => seen.push('train end'),
        }),
        new Counter(),
      ],
    });
    return seen;
  };
  const ours = await hooks(dl);
  assert.deepEqual(ours, await hooks(tf));
  assert.ok(ours.includes('class epoch 1') && ours.includes('epoch 0 loss'), JSON.stringify(ours));
});

test('registerSaveRouter and registerLoadRouter route a scheme of the program’s own', async () => {
  const store = new Map();
  const route = (lib) => {
    lib.io.registerSaveRouter((url) =>
      url.startsWith('memo://') ? { save: async (a) => (store.set(url, a), { modelArtifactsInfo: {} }) } : null,
    );
    lib.io.registerLoadRouter((url) => (url.startsWith('memo://') ? { load: async () => store.get(url) } : null));
  };
  route(dl);
  route(tf);
  const model = dl.sequential({ layers: [dl.layers.dense({ units: 2, inputShape: [3], kernelInitializer: 'ones' })] });
  await model.save('memo://ours');
  assert.ok(store.get('memo://ours').modelTopology, 'saved through the router');
  // Each library loads what the other saved through its router.
  const inTf = await tf.loadLayersModel('memo://ours');
  assert.deepEqual(Array.from(inTf.predict(tf.ones([1, 3])).dataSync()), [3, 3]);
  await inTf.save('memo://theirs');
  const back = await dl.loadLayersModel('memo://theirs');
  assert.deepEqual(Array.from(back.predict(dl.ones([1, 3])).dataSync()), [3, 3]);
  assert.equal(dl.io.getLoadHandlers('memo://x').length, 1);
  assert.equal(dl.io.getSaveHandlers('indexeddb://x').length, 0);
});

test('multinomial takes a null seed as no seed, as TensorFlow.js does', () => {
  const logits = dl.tensor2d([[0, 0, 20]]);
  assert.equal(dl.multinomial(logits, 1, null, false).dataSync()[0], 2);
  assert.throws(() => dl.multinomial(logits, 1, -1), /multinomial: seed must be a whole number >= 0; got -1/);
});

test('print and toString write a tensor as TensorFlow.js does, for every rank and the long axes', async () => {
  const cases = [
    [[-2, 1, 0, 5], [4]],
    [
      [1, 2.5, 30, 4],
      [2, 2],
    ],
    [[3.14159], []],
    [
      [1, 2, 3],
      [1, 3],
    ],
    [
      [1, 2, 3],
      [3, 1],
    ],
    [
      [1, 2, 3, 4],
      [2, 1, 2],
    ],
    [Array.from({ length: 50 }, (_, i) => i * 1.5), [25, 2]],
    [Array.from({ length: 50 }, (_, i) => i - 7), [2, 25]],
    [Array.from({ length: 48 }, (_, i) => i / 3), [2, 3, 2, 4]],
    [[Number.NaN, Infinity, -1e-8, 1234567.891], [4]],
  ];
  for (const [values, shape] of cases) {
    for (const verbose of [false, true]) {
      const ours = dl.tensor(values, shape).toString(verbose);
      assert.equal(ours, tf.tensor(values, shape).toString(verbose), `${JSON.stringify(shape)} verbose ${verbose}`);
    }
  }
  assert.equal(dl.tensor([1, 2], [2], 'int32').toString(), tf.tensor([1, 2], [2], 'int32').toString());
  assert.equal(dl.tensor([1, 0], [2], 'bool').toString(), tf.tensor([1, 0], [2], 'bool').toString());
  const logged = [];
  const log = console.log;
  console.log = (line) => logged.push(line);
  try {
    dl.tensor([
      [1, 2],
      [3, 4],
    ]).print();
  } finally {
    console.log = log;
  }
  assert.deepEqual(
    logged,
    [
      tf
        .tensor([
          [1, 2],
          [3, 4],
        ])
        .toString(),
    ],
    'printed at once, as TensorFlow.js prints',
  );
});

test('booleans make bool tensors and asScalar a scalar, as in TensorFlow.js', async () => {
  const flags = [true, false, true];
  const ours = dl.tensor1d(flags);
  const theirs = tf.tensor1d(flags);
  assert.deepEqual([ours.dtype, Array.from(await ours.data())], [theirs.dtype, Array.from(theirs.dataSync())]);
  assert.deepEqual(Array.from(await ours.asType('float32').data()), [1, 0, 1]);
  assert.equal(dl.tensor1d(flags, 'float32').dtype, 'float32');
  assert.equal(dl.scalar(true).dtype, 'bool');
  const one = dl.tensor([[7]]).asScalar();
  assert.deepEqual([one.shape, (await one.data())[0]], [[], 7]);
  assert.throws(() => dl.tensor([1, 2]).asScalar(), /asScalar: the tensor must hold one value; its shape is \[2\]/);
});

test('dispose finds tensors under an array’s named members, as TensorFlow.js does (cart-pole keys one)', () => {
  const before = dl.memory().numTensors;
  const record = [];
  record['dense/kernel'] = [[dl.ones([2]), dl.ones([2])], [dl.ones([1])]];
  record.push(dl.ones([3]));
  dl.dispose(record);
  assert.equal(dl.memory().numTensors, before);
});

test('predict inside a gradient is differentiable, and a Sequential with an input shape has variables at once', () => {
  const net = dl.sequential();
  net.add(dl.layers.dense({ units: 3, activation: 'elu', inputShape: [4] }));
  net.add(dl.layers.dense({ units: 1 }));
  const x = dl.ones([2, 4]);
  const { value, grads } = dl.variableGrads(() => net.predict(x).square().mean());
  assert.deepEqual(Object.keys(grads).sort(), ['dense/bias', 'dense/kernel', 'dense_1/bias', 'dense_1/kernel']);
  const viaApply = dl.variableGrads(() => net.apply(x).square().mean());
  for (const k of Object.keys(grads))
    assert.deepEqual(Array.from(grads[k].dataSync()), Array.from(viaApply.grads[k].dataSync()));
  dl.dispose([value, grads, viaApply]);
});
