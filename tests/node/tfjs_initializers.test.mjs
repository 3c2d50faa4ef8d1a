// TensorFlow.js' initializers and constraints as programs pass them to layers: each
// initializer (by name and as dl.initializers.x({...})) gives a kernel with the statistics
// TensorFlow.js' own gives (the deterministic ones the same values); each constraint's
// apply gives TensorFlow.js' values within 1e-5, and fit keeps a layer's weights within
// its constraints (as Keras does; TensorFlow.js 4.22 does not apply them in fit); bad
// arguments are refused naming the option.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import { loadApi } from './engine.mjs';

const dl = await loadApi();
const tf = createRequire(import.meta.url)('@tensorflow/tfjs');

const stats = (values) => {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  return { mean, variance, low: Math.min(...values), high: Math.max(...values) };
};

// The kernel of a Dense(200) on 300 inputs made with `initializer` by either library.
async function kernel(lib, make) {
  const model = lib.sequential({
    layers: [lib.layers.dense({ units: 200, inputShape: [300], kernelInitializer: make(lib) })],
  });
  const [w] = model.layers[0].getWeights();
  const values = Array.from(await w.data());
  model.dispose();
  return values;
}

const CASES = [
  ['leCunNormal', (lib) => 'leCunNormal'],
  ['leCunUniform', (lib) => lib.initializers.leCunUniform({})],
  [
    'varianceScaling fanOut uniform',
    (lib) => lib.initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'uniform' }),
  ],
  [
    'varianceScaling fanAvg normal',
    (lib) => lib.initializers.varianceScaling({ scale: 0.5, mode: 'fanAvg', distribution: 'normal' }),
  ],
  ['truncatedNormal', (lib) => lib.initializers.truncatedNormal({ mean: 0.5, stddev: 0.2 })],
  ['randomNormal', (lib) => lib.initializers.randomNormal({ mean: -1, stddev: 0.3 })],
  ['randomUniform', (lib) => lib.initializers.randomUniform({ minval: 1, maxval: 3 })],
  ['orthogonal gain 2', (lib) => lib.initializers.orthogonal({ gain: 2 })],
  ['heUniform by name', (lib) => 'heUniform'],
];

// Keras rescales its truncated normals (variance scaling's "normal", glorotNormal,
// heNormal, leCunNormal) so that the variance is scale / fan after the cut; TensorFlow.js
// does not, so its variance is 0.7737 of that (the variance of a unit normal cut at two
// standard deviations). Ours is Keras'.
const TRUNCATED_VARIANCE = 0.8796256610342398 ** 2;
const RESCALED = ['leCunNormal', 'varianceScaling fanAvg normal'];

test('every initializer gives a kernel with the statistics TensorFlow.js gives (Keras’ for truncated normals)', async () => {
  for (const [name, make] of CASES) {
    const ours = stats(await kernel(dl, make));
    const theirs = stats(await kernel(tf, make));
    if (RESCALED.includes(name)) theirs.variance /= TRUNCATED_VARIANCE;
    const spread = Math.sqrt(theirs.variance);
    assert.ok(Math.abs(ours.mean - theirs.mean) < 0.02 * spread + 1e-3, `${name} mean ${ours.mean} vs ${theirs.mean}`);
    assert.ok(
      Math.abs(ours.variance / theirs.variance - 1) < 0.05,
      `${name} variance ${ours.variance} vs ${theirs.variance}`,
    );
    // The same bounds where there are bounds (uniform, truncated), within 2% of the spread.
    if (/uniform|Uniform/.test(name))
      assert.ok(ours.low >= theirs.low - 0.02 * spread && ours.high <= theirs.high + 0.02 * spread, `${name} bounds`);
  }
});

test('constant and identity give TensorFlow.js’ values exactly; apply() makes a tensor of any shape', async () => {
  for (const make of [
    (lib) => lib.initializers.constant({ value: 0.3 }),
    (lib) => lib.initializers.identity({ gain: 1.5 }),
  ]) {
    const model = (lib) =>
      lib.sequential({ layers: [lib.layers.dense({ units: 4, inputShape: [4], kernelInitializer: make(lib) })] });
    const ours = await model(dl).layers[0].getWeights()[0].data();
    const theirs = model(tf).layers[0].getWeights()[0].dataSync();
    assert.deepEqual(Array.from(ours), Array.from(theirs));
  }
  const t = dl.initializers.heNormal({ seed: 7 }).apply([3, 3, 8, 16]);
  assert.deepEqual(t.shape, [3, 3, 8, 16]);
  const s = stats(Array.from(await t.data()));
  assert.ok(Math.abs(s.variance / (2 / 72) - 1) < 0.1, `heNormal over fan in 72: variance ${s.variance}`);
  assert.deepEqual(
    Array.from(await dl.initializers.heNormal({ seed: 7 }).apply([3, 3, 8, 16]).data()),
    Array.from(await t.data()),
    'seeded',
  );
});

test('a JavaScript layer’s addWeight takes the same initializers', async () => {
  class Scale extends dl.layers.Layer {
    build() {
      this.w = this.addWeight('w', [5, 2], 'float32', dl.initializers.constant({ value: 2 }));
      this.v = this.addWeight('v', [5, 2], 'float32', 'lecun_uniform');
    }
    call(x) {
      return x;
    }
    static get className() {
      return 'Scale';
    }
  }
  const layer = new Scale({});
  layer.build([null, 5]);
  const [w, v] = layer.getWeights();
  assert.deepEqual(Array.from(await w.data()), new Array(10).fill(2));
  const s = stats(Array.from(await v.data()));
  assert.ok(s.low >= -Math.sqrt(3 / 5) && s.high <= Math.sqrt(3 / 5));
  layer.dispose();
});

test('each constraint’s apply gives TensorFlow.js’ values within 1e-5', async () => {
  const values = Array.from({ length: 24 }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 5)));
  const cases = [
    ['maxNorm', { maxValue: 2 }],
    ['maxNorm', { maxValue: 1, axis: 1 }],
    ['unitNorm', {}],
    ['nonNeg', undefined],
    ['minMaxNorm', { minValue: 1, maxValue: 3, rate: 0.5 }],
  ];
  for (const [name, config] of cases) {
    const ours = dl.constraints[name](config).apply(dl.tensor(values, [6, 4]));
    const theirs = tf.constraints[name](config)
      .apply(tf.tensor(values, [6, 4]))
      .dataSync();
    Array.from(await ours.data()).forEach((v, i) =>
      assert.ok(Math.abs(v - theirs[i]) < 1e-5, `${name} [${i}] ${v} vs ${theirs[i]}`),
    );
    ours.dispose();
  }
  assert.throws(
    () => dl.constraints.maxNorm({ max: 3 }),
    /constraints.maxNorm: unknown argument "max"; expected maxValue, axis/,
  );
});

test('fit keeps weights within their constraints (Keras’ behaviour), the same as apply() after each update', async () => {
  const model = dl.sequential({
    layers: [
      dl.layers.dense({
        units: 3,
        inputShape: [4],
        kernelConstraint: dl.constraints.nonNeg(),
        biasConstraint: dl.constraints.maxNorm({ maxValue: 0.2 }),
        kernelInitializer: dl.initializers.randomNormal({ stddev: 1 }),
      }),
      dl.layers.dense({ units: 1, kernelConstraint: 'unitNorm' }),
    ],
  });
  model.compile({ optimizer: dl.train.sgd(0.3), loss: 'meanSquaredError' });
  const x = dl.randomNormal([32, 4], 0, 1, 'float32', 1);
  const y = dl.randomNormal([32, 1], -3, 1, 'float32', 2);
  const before = await model.layers[0].getWeights()[0].data();
  assert.ok(Math.min(...before) < 0, 'the initializer drew negative weights');
  await model.fit(x, y, { epochs: 3, batchSize: 8 });
  const [k1, b1] = model.layers[0].getWeights();
  assert.ok(Math.min(...(await k1.data())) >= 0, 'nonNeg kernel');
  assert.ok(Math.hypot(...(await b1.data())) <= 0.2 + 1e-6, 'maxNorm bias');
  const [k2] = model.layers[1].getWeights();
  assert.ok(Math.abs(Math.hypot(...(await k2.data())) - 1) < 1e-5, 'unitNorm kernel column');
  model.dispose();
});

test('bad initializers and constraints are refused, naming the option and what was expected', async () => {
  const build = (options) => {
    const model = dl.sequential({ layers: [dl.layers.dense({ units: 2, inputShape: [3], ...options })] });
    return model.predict(dl.zeros([1, 3]));
  };
  assert.throws(
    () => build({ kernelInitializer: dl.initializers.varianceScaling({ scale: 2, mode: 'fanMiddle' }) }),
    /kernelInitializer \(VarianceScaling\) config: mode: unknown mode "fanMiddle"; expected one of fan_in, fan_out, fan_avg/,
  );
  assert.throws(
    () => build({ kernelInitializer: 'heNormally' }),
    /unknown initializer "heNormally"; expected one of glorot_uniform/,
  );
  assert.throws(
    () => build({ kernelConstraint: 'maxNormal' }),
    /unknown constraint "maxNormal"; expected one of max_norm, unit_norm, non_neg, min_max_norm/,
  );
  assert.throws(
    () => build({ kernelInitializer: dl.initializers.randomUniform({ minval: 2, maxval: 1 }) }),
    /minval 2 is above maxval 1/,
  );
  assert.throws(() => dl.initializers.identity().apply([2, 2, 2]), /identity initializer is for 2D weights/);
});
