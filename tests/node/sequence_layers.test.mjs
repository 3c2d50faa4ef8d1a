// The layers over sequences and the shape layers (issue 32) against TensorFlow.js 4.22:
// each model built in both libraries, TensorFlow.js' (seeded) weights copied into ours,
// predictions within 1e-5. Causal Conv1D (which TensorFlow.js lacks) and the layers it
// has no factory for (upSampling1d, cropping1d, zeroPadding1d) are held to what its ops
// compute: zero padding then a valid convolution, slices, pads and tiles. Then a small
// model of each family trains on real-ish data (noisy signals, MNIST digits), and a
// TensorFlow.js program of Conv1D -> GlobalMaxPooling1D -> Dense runs with only its
// import changed.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';

import { loadApi, projectRoot, rejectsWith, values } from './engine.mjs';

const dl = await loadApi();
const tf = createRequire(import.meta.url)('@tensorflow/tfjs');
await tf.setBackend('cpu');

const size = (shape) => shape.reduce((a, b) => a * b, 1);

function assertClose(mine, expected, what) {
  assert.equal(mine.length, expected.length, `${what}: ${mine.length} values, TensorFlow.js ${expected.length}`);
  const worst = Math.max(0, ...Array.from(mine, (v, i) => Math.abs(v - expected[i])));
  assert.ok(worst < 1e-5, `${what}: largest difference from TensorFlow.js ${worst}`);
}

// One layer (with these options) after an input of `shape`, in both libraries; ours takes
// TensorFlow.js' seeded weights; both predict 5 seeded samples.
async function expectSameLayer(type, options, shape, what = `${type} ${JSON.stringify(options)}`) {
  const make = (lib) => lib.sequential({ layers: [lib.layers[type]({ ...options, inputShape: shape })] });
  const theirs = make(tf);
  const ours = make(dl);
  theirs.weights.forEach((w, i) => w.write(tf.tensor(values(size(w.shape), 17 + i), w.shape)));
  assert.deepEqual(
    ours.weights.map((w) => [w.originalName.split('/').at(-1), w.shape]),
    theirs.weights.map((w) => [w.originalName.split('/').at(-1), w.shape]),
    `${what}: the weights' names and shapes`,
  );
  await ours.setWeights(theirs.getWeights().map((t) => t.dataSync()));
  const x = values(5 * size(shape), 3);
  const mine = ours.predict(dl.tensor(x, [5, ...shape]));
  const expected = theirs.predict(tf.tensor(x, [5, ...shape]));
  assert.deepEqual(mine.shape, expected.shape, `${what}: output shape`);
  assertClose(await mine.data(), expected.dataSync(), what);
  ours.dispose();
}

test('Conv1D predicts as TensorFlow.js with its weights: valid, same, strides, dilation, no bias', async () => {
  await expectSameLayer('conv1d', { filters: 4, kernelSize: 3 }, [11, 3]);
  await expectSameLayer(
    'conv1d',
    { filters: 3, kernelSize: 4, strides: 2, padding: 'same', activation: 'relu' },
    [11, 3],
  );
  await expectSameLayer(
    'conv1d',
    { filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same', useBias: false },
    [9, 2],
  );
  await expectSameLayer('conv1d', { filters: 5, kernelSize: 2, dilationRate: 3, activation: 'tanh' }, [10, 1]);
  await expectSameLayer('conv1d', { filters: 2, kernelSize: 1, strides: 3 }, [17, 4]);
});

test('causal Conv1D equals zero padding before the sequence, then a valid convolution (TensorFlow.js ops)', async () => {
  for (const [kernelSize, dilationRate, strides] of [
    [3, 1, 1],
    [3, 2, 1],
    [2, 4, 1],
    [4, 1, 2],
  ]) {
    const shape = [13, 3];
    const ours = dl.sequential({
      layers: [
        dl.layers.conv1d({ filters: 4, kernelSize, dilationRate, strides, padding: 'causal', inputShape: shape }),
      ],
    });
    const kernel = tf.tensor(values(kernelSize * 3 * 4, 5), [kernelSize, 3, 4]);
    const bias = tf.tensor(values(4, 6), [4]);
    await ours.setWeights([kernel.dataSync(), bias.dataSync()]);
    const x = tf.tensor(values(4 * 13 * 3, 7), [4, ...shape]);
    const padded = tf.pad(x, [
      [0, 0],
      [(kernelSize - 1) * dilationRate, 0],
      [0, 0],
    ]);
    const expected = tf.conv1d(padded, kernel, strides, 'valid', 'NWC', dilationRate).add(bias);
    const mine = ours.predict(dl.tensor(x.dataSync(), x.shape));
    assert.deepEqual(mine.shape, expected.shape, `causal k ${kernelSize} d ${dilationRate}: output shape`);
    assertClose(await mine.data(), expected.dataSync(), `causal k ${kernelSize} d ${dilationRate} s ${strides}`);
    ours.dispose();
  }
});

test('1D pooling and global pooling predict as TensorFlow.js', async () => {
  await expectSameLayer('maxPooling1d', { poolSize: 3, strides: 2, padding: 'same' }, [11, 3]);
  await expectSameLayer('maxPooling1d', {}, [9, 2]);
  await expectSameLayer('averagePooling1d', { poolSize: 2 }, [9, 2]);
  await expectSameLayer('averagePooling1d', { poolSize: 3, strides: 2, padding: 'same' }, [10, 2]);
  await expectSameLayer('globalMaxPooling1d', {}, [7, 4]);
  await expectSameLayer('globalAveragePooling1d', {}, [7, 4]);
  await expectSameLayer('globalMaxPooling2d', {}, [5, 4, 3]);
});

test('Conv2DTranspose predicts as TensorFlow.js with its (kh, kw, filters, channels) kernel', async () => {
  await expectSameLayer('conv2dTranspose', { filters: 3, kernelSize: 3, strides: 2, padding: 'same' }, [5, 4, 2]);
  await expectSameLayer('conv2dTranspose', { filters: 2, kernelSize: [3, 2], strides: [2, 1] }, [4, 5, 3]);
  await expectSameLayer('conv2dTranspose', { filters: 2, kernelSize: 2, strides: 3, activation: 'relu' }, [3, 3, 2]);
  await expectSameLayer('conv2dTranspose', { filters: 4, kernelSize: 4, strides: 2, padding: 'same' }, [3, 5, 1]);
  await expectSameLayer('conv2dTranspose', { filters: 2, kernelSize: 3, useBias: false }, [4, 4, 2]);
});

test('UpSampling2D and Cropping2D predict as TensorFlow.js', async () => {
  await expectSameLayer('upSampling2d', { size: [2, 3] }, [3, 4, 2]);
  await expectSameLayer('upSampling2d', {}, [2, 2, 1]);
  await expectSameLayer(
    'cropping2D',
    {
      cropping: [
        [1, 0],
        [2, 1],
      ],
    },
    [6, 6, 2],
  );
  await expectSameLayer('cropping2D', { cropping: 1 }, [4, 5, 1]);
});

test('UpSampling1D, Cropping1D and ZeroPadding1D (not in TensorFlow.js 4.22) equal its tile, slice and pad', async () => {
  const shape = [6, 3];
  const x = tf.tensor(values(4 * 18, 9), [4, ...shape]);
  const cases = [
    ['upSampling1d', { size: 3 }, x.expandDims(2).tile([1, 1, 3, 1]).reshape([4, 18, 3])],
    ['upSampling1d', {}, x.expandDims(2).tile([1, 1, 2, 1]).reshape([4, 12, 3])],
    ['cropping1d', { cropping: [2, 1] }, x.slice([0, 2, 0], [4, 3, 3])],
    ['cropping1d', {}, x.slice([0, 1, 0], [4, 4, 3])],
    [
      'zeroPadding1d',
      { padding: [1, 3] },
      tf.pad(x, [
        [0, 0],
        [1, 3],
        [0, 0],
      ]),
    ],
    [
      'zeroPadding1d',
      {},
      tf.pad(x, [
        [0, 0],
        [1, 1],
        [0, 0],
      ]),
    ],
  ];
  for (const [type, options, expected] of cases) {
    const ours = dl.sequential({ layers: [dl.layers[type]({ ...options, inputShape: shape })] });
    const mine = ours.predict(dl.tensor(x.dataSync(), x.shape));
    assert.deepEqual(mine.shape, expected.shape, `${type}: output shape`);
    assertClose(await mine.data(), expected.dataSync(), `${type} ${JSON.stringify(options)}`);
    ours.dispose();
  }
});

test('bad sequence layers are refused when the model is built, naming the layer, option and shape', async () => {
  const build = (layer) => dl.sequential({ layers: [layer] }).build();
  await rejectsWith(
    build(dl.layers.conv1d({ filters: 2, kernelSize: 3, inputShape: [12] })),
    /conv1d.*\(Conv1D\) expects sequences of shape \(None, steps, channels\); got \(None, 12\)/,
  );
  await rejectsWith(
    build(dl.layers.conv1d({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2, inputShape: [12, 1] })),
    /strides 2 with dilationRate 2 is not supported/,
  );
  await rejectsWith(
    build(dl.layers.cropping1d({ cropping: [3, 3], inputShape: [6, 1] })),
    /cropping 3 \+ 3 steps from sequences of 6 leaves nothing/,
  );
  await rejectsWith(
    build(dl.layers.upSampling2d({ interpolation: 'bilinear', inputShape: [4, 4, 1] })),
    /bilinear" is not supported yet/,
  );
});

// Noisy sinusoids: class 0 slow, class 1 fast, each with a random phase and amplitude.
function sinusoids(n, steps, seed) {
  const noise = values(n * (steps + 2), seed);
  const x = new Float32Array(n * steps);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    const phase = 3 * (noise[i * (steps + 2)] + 1);
    const amplitude = 0.6 + 0.3 * noise[i * (steps + 2) + 1];
    const frequency = y[i] ? 0.9 : 0.35;
    for (let t = 0; t < steps; t++)
      x[i * steps + t] = amplitude * Math.sin(frequency * t + phase) + 0.3 * noise[i * (steps + 2) + 2 + t];
  }
  return { x: dl.tensor(x, [n, steps, 1]), y: dl.tensor(y, [n]) };
}

test('a sequence model of the 1D layers learns to tell slow from fast noisy sinusoids (loss falls 10x)', async (t) => {
  const steps = 32;
  const model = dl.sequential({
    seed: 5,
    layers: [
      dl.layers.zeroPadding1d({ padding: 2, inputShape: [steps, 1] }),
      dl.layers.conv1d({ filters: 8, kernelSize: 5, activation: 'relu' }),
      dl.layers.maxPooling1d({ poolSize: 2 }),
      dl.layers.conv1d({ filters: 8, kernelSize: 3, dilationRate: 2, padding: 'causal', activation: 'relu' }),
      dl.layers.upSampling1d({ size: 2 }),
      dl.layers.cropping1d({ cropping: [2, 2] }),
      dl.layers.averagePooling1d({ poolSize: 2 }),
      dl.layers.globalAveragePooling1d(),
      dl.layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: dl.train.adam(0.01), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const train = sinusoids(256, steps, 1);
  const history = await model.fit(train.x, train.y, { epochs: 25, batchSize: 32 });
  const loss = history.history.loss;
  t.diagnostic(
    `loss ${loss[0].toFixed(3)} -> ${loss.at(-1).toFixed(3)}, accuracy ${(history.history.acc ?? history.history.accuracy).at(-1)}`,
  );
  assert.ok(loss.at(-1) < loss[0] / 10, `loss ${loss[0]} -> ${loss.at(-1)}`);
  model.dispose();
});

test('an image model of Conv2DTranspose, UpSampling2D and Cropping2D learns to rebuild MNIST digits (loss falls 5x)', async (t) => {
  const dir = join(projectRoot, 'web/public/data/mnist-subset');
  const images = new Uint8Array(gunzipSync(readFileSync(join(dir, 'train-images-u8.gz.bin')))).subarray(0, 512 * 784);
  const x = dl.tensorFromBytes(images, [512, 28, 28, 1]);
  const model = dl.sequential({
    seed: 3,
    layers: [
      dl.layers.conv2d({
        filters: 8,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'relu',
        inputShape: [28, 28, 1],
      }),
      dl.layers.maxPooling2d({ poolSize: 2 }),
      dl.layers.upSampling2d({ size: 2 }),
      dl.layers.conv2dTranspose({ filters: 8, kernelSize: 3, strides: 2, activation: 'relu' }),
      dl.layers.cropping2D({
        cropping: [
          [0, 1],
          [0, 1],
        ],
      }),
      dl.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: dl.train.adam(0.005), loss: 'meanSquaredError' });
  const history = await model.fit(x, x, { epochs: 8, batchSize: 32 });
  const loss = history.history.loss;
  t.diagnostic(`loss ${loss[0].toFixed(4)} -> ${loss.at(-1).toFixed(4)}`);
  assert.ok(loss.at(-1) < loss[0] / 5, `loss ${loss[0]} -> ${loss.at(-1)}`);
  model.dispose();
});

function run(file) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [file], { cwd: projectRoot, timeout: 600000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${file} failed: ${error.message}\n${stderr}`));
      const result = stdout.match(/^RESULT (.*)$/m);
      if (!result) return reject(new Error(`${file} printed no RESULT:\n${stdout}\n${stderr}`));
      resolve(JSON.parse(result[1]));
    });
  });
}

test('a TensorFlow.js Conv1D -> GlobalMaxPooling1D -> Dense program runs with only the import changed', async (t) => {
  const original = join(projectRoot, 'tests/node/tfjs_programs/sequence_motifs.mjs');
  const source = readFileSync(original, 'utf8');
  const swapped = source.replace("from '@tensorflow/tfjs'", "from '../../web/lib/index.js'");
  assert.equal(source.split('\n').filter((line, i) => line !== swapped.split('\n')[i]).length, 1, 'one line differs');
  mkdirSync(join(projectRoot, 'build/tfjs_programs'), { recursive: true });
  const copy = join(projectRoot, 'build/tfjs_programs/sequence_motifs.mjs');
  writeFileSync(copy, swapped);
  const [theirs, ours] = await Promise.all([run(original), run(copy)]);
  t.diagnostic(
    `accuracy ${ours.accuracy} in ${(ours.ms / 1000).toFixed(1)} s here; ${theirs.accuracy} in ${(theirs.ms / 1000).toFixed(1)} s with TF.js`,
  );
  for (const r of [theirs, ours]) {
    assert.ok(r.accuracy > 0.9, `accuracy ${JSON.stringify(r)}`);
    assert.ok(r.lossFell, `the loss fell 3x: ${JSON.stringify(r)}`);
  }
});
