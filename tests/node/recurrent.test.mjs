// The recurrent layers (issue 32) against TensorFlow.js 4.22: SimpleRNN, LSTM, GRU and
// Bidirectional built in both libraries, TensorFlow.js' (seeded) weights copied into ours,
// predictions within 1e-5; the new activations through Dense, and Dense over a sequence,
// likewise. Then each recurrent layer trains on a small task (which of two tokens came
// first) and a TensorFlow.js program, LSTM -> GRU -> Dense, runs with only its import
// changed. GRU with resetAfter (Keras 3's form) has no TensorFlow.js twin: its math is held
// by the native gradient checks and a step written here with TensorFlow.js' ops.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';

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

// One model of these layers in both libraries (`make(lib)`); ours takes TensorFlow.js'
// seeded weights (scaled so that the gates are neither shut nor open); both predict 5
// seeded samples of `shape`.
async function expectSameModel(make, shape, what) {
  const theirs = make(tf);
  const ours = make(dl);
  theirs.weights.forEach((w, i) => w.write(tf.tensor(values(size(w.shape), 17 + i), w.shape).mul(0.8)));
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

const one = (type, options, shape) => (lib) =>
  lib.sequential({ layers: [lib.layers[type]({ ...options, inputShape: shape })] });

test('SimpleRNN, LSTM and GRU predict as TensorFlow.js with its weights, defaults and variants', async () => {
  for (const type of ['simpleRNN', 'lstm', 'gru']) {
    for (const options of [
      { units: 4 },
      { units: 4, returnSequences: true },
      { units: 3, returnSequences: true, goBackwards: true },
      { units: 5, activation: 'relu', useBias: false },
      ...(type === 'simpleRNN' ? [] : [{ units: 2, recurrentActivation: 'sigmoid', activation: 'softsign' }]),
    ])
      await expectSameModel(one(type, options, [7, 3]), [7, 3], `${type} ${JSON.stringify(options)}`);
  }
  // One step, and a longer sequence with one feature.
  await expectSameModel(one('lstm', { units: 3 }, [1, 2]), [1, 2], 'lstm over one step');
  await expectSameModel(one('gru', { units: 3, returnSequences: true }, [25, 1]), [25, 1], 'gru over 25 steps');
});

test('stacked recurrent layers and Dense over their sequence predict as TensorFlow.js', async () => {
  const make = (lib) =>
    lib.sequential({
      layers: [
        lib.layers.lstm({ units: 6, returnSequences: true, inputShape: [8, 2] }),
        lib.layers.gru({ units: 4, returnSequences: true }),
        lib.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
  await expectSameModel(make, [8, 2], 'lstm -> gru -> dense per step');
});

test('Bidirectional predicts as TensorFlow.js in every merge mode, weights named as TensorFlow.js names them', async () => {
  for (const mergeMode of ['concat', 'sum', 'mul', 'ave'])
    for (const returnSequences of [false, true]) {
      const make = (lib) =>
        lib.sequential({
          layers: [
            lib.layers.bidirectional({
              layer: lib.layers.lstm({ units: 3, returnSequences }),
              mergeMode,
              inputShape: [6, 2],
            }),
          ],
        });
      await expectSameModel(make, [6, 2], `bidirectional lstm ${mergeMode} returnSequences ${returnSequences}`);
    }
  const gru = (lib) =>
    lib.sequential({
      layers: [lib.layers.bidirectional({ layer: lib.layers.gru({ units: 2 }), inputShape: [5, 3] })],
    });
  await expectSameModel(gru, [5, 3], 'bidirectional gru');
  const ours = gru(dl);
  await ours.build();
  assert.deepEqual(
    ours.weights.map((w) => w.originalName.split('/').slice(1).join('/')),
    ['forward_gru/kernel', 'forward_gru/recurrent_kernel', 'forward_gru/bias'].concat([
      'backward_gru/kernel',
      'backward_gru/recurrent_kernel',
      'backward_gru/bias',
    ]),
  );
  ours.dispose();
});

test('behind Masking, padded steps keep the state and repeat the output, as TensorFlow.js', async () => {
  // Zero steps (padding) at the end of one sequence, at the start and middle of another.
  const x = values(3 * 6 * 2, 12);
  for (const [n, t] of [
    [0, 4],
    [0, 5],
    [1, 0],
    [1, 3],
    [2, 2],
  ])
    x.fill(0, (n * 6 + t) * 2, (n * 6 + t + 1) * 2);
  for (const returnSequences of [false, true])
    for (const [what, layer] of [
      ['simpleRNN', (lib) => lib.layers.simpleRNN({ units: 3, returnSequences })],
      ['lstm', (lib) => lib.layers.lstm({ units: 3, returnSequences })],
      ['gru', (lib) => lib.layers.gru({ units: 3, returnSequences, goBackwards: true })],
      ['bidirectional', (lib) => lib.layers.bidirectional({ layer: lib.layers.lstm({ units: 2, returnSequences }) })],
    ]) {
      const make = (lib) =>
        lib.sequential({ layers: [lib.layers.masking({ maskValue: 0, inputShape: [6, 2] }), layer(lib)] });
      const theirs = make(tf);
      const ours = make(dl);
      theirs.weights.forEach((w, i) => w.write(tf.tensor(values(size(w.shape), 31 + i), w.shape)));
      await ours.setWeights(theirs.getWeights().map((t) => t.dataSync()));
      const mine = await ours.predict(dl.tensor(x, [3, 6, 2])).data();
      assertClose(mine, theirs.predict(tf.tensor(x, [3, 6, 2])).dataSync(), `masked ${what} ${returnSequences}`);
      ours.dispose();
    }
});

test('GRU with resetAfter follows Keras: the reset gate after the recurrent product, bias (2, 3 units)', async () => {
  const units = 3;
  const model = dl.sequential({ layers: [dl.layers.gru({ units, resetAfter: true, inputShape: [4, 2] })] });
  await model.build();
  assert.deepEqual(
    model.weights.map((w) => w.shape),
    [
      [2, 3 * units],
      [units, 3 * units],
      [2, 3 * units],
    ],
  );
  const weights = model.weights.map((w, i) => values(size(w.shape), 5 + i).map((v) => 0.8 * v));
  await model.setWeights(weights);
  const x = values(2 * 4 * 2, 9);
  const mine = await model.predict(dl.tensor(x, [2, 4, 2])).data();
  // The same with TensorFlow.js' ops, step by step.
  const [kernel, recurrent, bias] = weights.map((w, i) => tf.tensor(w, model.weights[i].shape));
  const [inputBias, recurrentBias] = tf.unstack(bias);
  let h = tf.zeros([2, units]);
  const xs = tf.unstack(tf.tensor(x, [2, 4, 2]), 1);
  for (const xt of xs) {
    const [xz, xr, xh] = tf.split(tf.add(tf.matMul(xt, kernel), inputBias), 3, 1);
    const [rz, rr, rh] = tf.split(tf.add(tf.matMul(h, recurrent), recurrentBias), 3, 1);
    const hardSigmoid = (v) => tf.clipByValue(tf.add(tf.mul(v, 0.2), 0.5), 0, 1);
    const z = hardSigmoid(tf.add(xz, rz));
    const r = hardSigmoid(tf.add(xr, rr));
    const candidate = tf.tanh(tf.add(xh, tf.mul(r, rh)));
    h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate));
  }
  assertClose(mine, h.dataSync(), 'gru resetAfter');
  model.dispose();
});

test('the new activations and Dense over a sequence predict as TensorFlow.js', async () => {
  for (const activation of ['hardSigmoid', 'softplus', 'softsign', 'selu', 'gelu', 'gelu_new', 'swish', 'mish'])
    await expectSameModel(one('dense', { units: 4, activation }, [6]), [6], `dense ${activation}`);
  await expectSameModel(one('dense', { units: 3, activation: 'tanh' }, [5, 4]), [5, 4], 'dense over a sequence');
});

test('recurrent models go through TensorFlow.js files both ways: topology, Bidirectional weight names, predictions', async () => {
  const make = (lib) =>
    lib.sequential({
      layers: [
        lib.layers.lstm({ units: 3, returnSequences: true, inputShape: [5, 2] }),
        lib.layers.bidirectional({ layer: lib.layers.gru({ units: 2, returnSequences: true }), mergeMode: 'sum' }),
        lib.layers.simpleRNN({ units: 2 }),
        lib.layers.dense({ units: 1, activation: 'hardSigmoid' }),
      ],
    });
  const x = values(2 * 5 * 2, 8);
  const ours = make(dl);
  await ours.build();
  const theirs = await tf.loadLayersModel(tf.io.fromMemory(await dl.io.exportModel(ours)));
  assertClose(
    await ours.predict(dl.tensor(x, [2, 5, 2])).data(),
    theirs.predict(tf.tensor(x, [2, 5, 2])).dataSync(),
    'ours in TF.js',
  );
  ours.dispose();
  const original = make(tf);
  let saved;
  await original.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: {} })));
  const back = await dl.io.importModel(saved);
  assert.ok(back.weights.some((w) => /\/forward_gru_GRU\d+\/recurrent_kernel$/.test(w.originalName)));
  assertClose(
    await back.predict(dl.tensor(x, [2, 5, 2])).data(),
    original.predict(tf.tensor(x, [2, 5, 2])).dataSync(),
    'TF.js in ours',
  );
  back.dispose();
});

test('bad recurrent layers are refused at build, naming the layer and what was expected', async () => {
  const refused = async (layers, pattern) => {
    const model = dl.sequential({ layers });
    await rejectsWith(model.build(), pattern);
  };
  await refused(
    [dl.layers.lstm({ units: 4, inputShape: [8] })],
    /lstm.*\(LSTM\) expects a sequence of shape \(None, steps, features\); got \(None, 8\)/,
  );
  await refused([dl.layers.gru({ units: 0, inputShape: [3, 2] })], /units must be a whole number from 1/);
  await refused([dl.layers.lstm({ units: 4, stateful: true, inputShape: [3, 2] })], /stateful true is not supported/);
  await refused(
    [dl.layers.bidirectional({ layer: dl.layers.lstm({ units: 2 }), mergeMode: 'max', inputShape: [3, 2] })],
    /mergeMode must be one of concat, sum, mul, ave, null/,
  );
});

// Sequences of noise with two marked tokens: class 1 when A comes before B.
function tokenOrder(n, steps, seed) {
  const noise = values(n * steps, seed);
  const where = values(2 * n, seed + 1);
  const x = new Float32Array(n * steps * 3);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.floor(((where[2 * i] + 1) / 2) * steps);
    let b = Math.floor(((where[2 * i + 1] + 1) / 2) * (steps - 1));
    if (b >= a) b += 1;
    for (let t = 0; t < steps; t++) x[(i * steps + t) * 3] = noise[i * steps + t];
    x[(i * steps + a) * 3 + 1] = 1;
    x[(i * steps + b) * 3 + 2] = 1;
    y[i] = a < b ? 1 : 0;
  }
  return { x: dl.tensor(x, [n, steps, 3]), y: dl.tensor(y, [n, 1]) };
}

test('each recurrent layer learns which of two tokens came first: the loss falls 4x', async (t) => {
  const steps = 8;
  const { x, y } = tokenOrder(256, steps, 41);
  for (const [what, layer] of [
    ['simpleRNN', () => dl.layers.simpleRNN({ units: 12, inputShape: [steps, 3] })],
    ['lstm', () => dl.layers.lstm({ units: 12, inputShape: [steps, 3] })],
    ['gru', () => dl.layers.gru({ units: 12, inputShape: [steps, 3] })],
    ['gru resetAfter', () => dl.layers.gru({ units: 12, resetAfter: true, inputShape: [steps, 3] })],
    [
      'bidirectional lstm',
      () => dl.layers.bidirectional({ layer: dl.layers.lstm({ units: 8 }), inputShape: [steps, 3] }),
    ],
  ]) {
    const model = dl.sequential({ seed: 3, layers: [layer(), dl.layers.dense({ units: 1, activation: 'sigmoid' })] });
    model.compile({ optimizer: dl.train.adam(0.02), loss: 'binaryCrossentropy' });
    const history = await model.fit(x, y, { epochs: 20, batchSize: 32 });
    const loss = history.history.loss;
    t.diagnostic(`${what}: loss ${loss[0].toFixed(4)} -> ${loss.at(-1).toFixed(4)}`);
    assert.ok(loss.at(-1) < loss[0] / 4, `${what}: loss ${loss[0]} -> ${loss.at(-1)}`);
    model.dispose();
  }
  x.dispose();
  y.dispose();
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

test('a TensorFlow.js LSTM -> GRU -> Dense program runs with only the import changed', async (t) => {
  const original = join(projectRoot, 'tests/node/tfjs_programs/token_order.mjs');
  const source = readFileSync(original, 'utf8');
  const swapped = source.replace("from '@tensorflow/tfjs'", "from '../../web/lib/index.js'");
  assert.equal(source.split('\n').filter((line, i) => line !== swapped.split('\n')[i]).length, 1, 'one line differs');
  mkdirSync(join(projectRoot, 'build/tfjs_programs'), { recursive: true });
  const copy = join(projectRoot, 'build/tfjs_programs/token_order.mjs');
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
