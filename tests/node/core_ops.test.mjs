// TensorFlow.js' operations on the engine against TensorFlow.js itself (its cpu backend,
// run in the same test), as ggml's test-backend-ops runs one table of cases: values,
// shapes and dtypes with broadcasting and TensorFlow.js' dtype rules; then dl.losses with
// weights and reductions.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import { assertSame, loadApi } from './engine.mjs';

const dl = await loadApi();
const tf = createRequire(import.meta.url)('@tensorflow/tfjs');
await tf.setBackend('cpu');

// Inputs given as [values, shape, dtype], built the same way by both libraries.
const X = [
  [
    [-1.5, 0.25, 2, -0.75, 1, 3],
    [2, 3],
  ],
];
const POS = [
  [
    [0.5, 1.25, 2, 3.5, 0.1, 4],
    [2, 3],
  ],
];
const ROW = [[0.5, -2, 1.5], [3]];
const INTS = [[[7, -3, 4, 9, 0, -8], [2, 3], 'int32']];
const CASES = [
  ['add', [...X, ROW]],
  ['sub', [...X, [[2], [1]]]],
  [
    'mul',
    [
      ...X,
      [
        [[1], [-2]],
        [2, 1],
      ],
    ],
  ],
  ['div', [...X, ROW]],
  ['div', [...INTS, [[2, -3, 5], [3], 'int32']]],
  ['add', [...INTS, [[1, 2, 3], [3], 'int32']]],
  ['add', [...INTS, ROW]],
  ['pow', [...POS, [[2, 0.5, 3], [3]]]],
  ['maximum', [...X, ROW]],
  ['minimum', [...X, ROW]],
  ['squaredDifference', [...X, ROW]],
  ['atan2', [...X, ROW]],
  ['mod', [...POS, [[0.3], [1]]]],
  ['greater', [...X, ROW]],
  ['lessEqual', [...X, ROW]],
  ['equal', [...INTS, [[4], [1], 'int32']]],
  [
    'logicalAnd',
    [
      [[1, 0, 1], [3], 'bool'],
      [[1, 1, 0], [3], 'bool'],
    ],
  ],
  ...[
    'abs',
    'neg',
    'square',
    'exp',
    'expm1',
    'sigmoid',
    'tanh',
    'relu',
    'relu6',
    'elu',
    'selu',
    'softplus',
    'sin',
    'cos',
    'erf',
    'sign',
    'floor',
    'ceil',
    'round',
    'step',
  ].map((name) => [name, X]),
  ...['sqrt', 'rsqrt', 'log', 'log1p', 'reciprocal'].map((name) => [name, POS]),
  ['abs', INTS],
  ['square', INTS],
  ['leakyRelu', X, [0.1]],
  ['clipByValue', X, [-1, 1.5]],
  ['sum', X],
  ['sum', X, [1, true]],
  ['sum', X, [[]]],
  ['norm', X, [1, [0, 1]]],
  ['norm', X, [Infinity, [0, 1], true]],
  ['norm', X, ['fro', [0, 1]]],
  ['norm', X, [-Infinity, 1]],
  ['norm', X, [2, 0]],
  [
    'mul',
    [
      [[1.7, -2.5], [2], 'int32'],
      [[10, 10], [2], 'int32'],
    ],
  ],
  ['sum', [[[2, 0, 1], [3], 'bool']]],
  ['sum', INTS, [0]],
  ['mean', X, [-1]],
  ['mean', INTS],
  ['max', X, [0]],
  ['min', INTS, [1]],
  ['prod', POS, [1]],
  ['logSumExp', X, [1]],
  ['argMax', X, [1]],
  ['argMin', X, [0]],
  ['softmax', X],
  ['logSoftmax', X],
  [
    'matMul',
    [
      ...X,
      [
        [1, 2, 3, 4, 5, 6],
        [3, 2],
      ],
    ],
  ],
  [
    'matMul',
    [
      ...X,
      [
        [1, 2, 3, 4, 5, 6],
        [2, 3],
      ],
    ],
    [false, true],
  ],
  [
    'matMul',
    [
      ...X,
      [
        [1, 2, 3, 4],
        [2, 2],
      ],
    ],
    [true, false],
  ],
  ['transpose', X],
  ['transpose', [[[...Array(24).keys()], [2, 3, 4]]], [[1, 2, 0]]],
  ['reshape', X, [[3, -1]]],
  ['expandDims', X, [1]],
  [
    'squeeze',
    [
      [
        [1, 2, 3],
        [1, 3, 1],
      ],
    ],
  ],
  [
    'slice',
    X,
    [
      [0, 1],
      [2, 2],
    ],
  ],
  ['slice', X, [1]],
  ['tile', X, [[2, 1]]],
  [
    'pad',
    X,
    [
      [
        [1, 0],
        [0, 2],
      ],
      5,
    ],
  ],
  ['cast', X, ['int32']],
  ['cast', X, ['bool']],
  ['cast', INTS, ['float32']],
  ['where', [[[1, 0, 1], [3], 'bool'], ...X, ROW]],
  ['gather', [...X, [[2, 0], [2], 'int32']], [1]],
];

// Images (batch, height, width, channels) and a filter (height, width, in, out).
const IMAGES = [[[...Array(2 * 5 * 4 * 3)].map((_, i) => Math.sin(i * 1.3)), [2, 5, 4, 3]]];
const FILTER = [[...Array(3 * 2 * 3 * 2)].map((_, i) => Math.cos(i * 0.7)), [3, 2, 3, 2]];
CASES.push(
  ['conv2d', [...IMAGES, FILTER], [1, 'valid']],
  ['conv2d', [...IMAGES, FILTER], [[2, 1], 'same']],
  ['maxPool', IMAGES, [2, 2, 'same']],
  ['maxPool', IMAGES, [[3, 2], 1, 'valid']],
  ['avgPool', IMAGES, [[2, 3], [1, 2], 'same']],
  ['conv2d', [[IMAGES[0][0].slice(0, 60), [5, 4, 3]], FILTER], [1, 'same']],
);

const build = (lib) => (input) => lib.tensor(input[0], input[1], input[2]);

test('every op of the table gives TensorFlow.js’ values, shape and dtype, with broadcasting and dtype rules', () => {
  for (const [name, inputs, args = []] of CASES) {
    const what = `${name}(${inputs.map((i) => JSON.stringify(i[1])).join(', ')}${args.length ? `, ${JSON.stringify(args)}` : ''})`;
    const ours = name === 'where' ? dl.where(...inputs.map(build(dl))) : dl[name](...inputs.map(build(dl)), ...args);
    const theirs = name === 'where' ? tf.where(...inputs.map(build(tf))) : tf[name](...inputs.map(build(tf)), ...args);
    assertSame(ours, theirs, what);
  }
  // A number as the second input, and ops TensorFlow.js builds from others.
  const x = () => build(dl)(X[0]);
  const y = () => build(tf)(X[0]);
  assertSame(x().mul(2.5), y().mul(2.5), 'mul by a number');
  assertSame(x().toInt().div(2), y().toInt().div(2), 'int32 div by a whole number');
  assertSame(dl.stack([x(), x()], 1), tf.stack([y(), y()], 1), 'stack');
  dl.unstack(x(), 1).forEach((t, i) => assertSame(t, tf.unstack(y(), 1)[i], `unstack ${i}`));
  dl.split(x(), [1, -1], 1).forEach((t, i) => assertSame(t, tf.split(y(), [1, 2], 1)[i], `split ${i}`));
  assertSame(dl.dot(dl.tensor([1, 2, 3]), x().transpose()), tf.dot(tf.tensor([1, 2, 3]), y().transpose()), 'dot');
  const ours = dl.moments(x(), 1);
  const theirs = tf.moments(y(), 1);
  assertSame(ours.mean, theirs.mean, 'moments mean');
  assertSame(ours.variance, theirs.variance, 'moments variance');
  assertSame(dl.norm(x()), tf.norm(y()), 'norm');
  assertSame(dl.addN([x(), x(), x()]), tf.addN([y(), y(), y()]), 'addN');
  assertSame(dl.oneHot(dl.tensor([2, 0], [2], 'int32'), 3), tf.oneHot(tf.tensor([2, 0], [2], 'int32'), 3), 'oneHot');
  assertSame(dl.range(1, 7, 2), tf.range(1, 7, 2), 'range');
  assertSame(dl.linspace(0, 1, 5), tf.linspace(0, 1, 5), 'linspace');
});

test('dl.losses give TensorFlow.js’ tf.losses with weights and every reduction, and their gradients', () => {
  const labels = [
    [
      [1, 0, 0, 0, 1, 0],
      [2, 3],
    ],
  ];
  const predictions = [
    [
      [0.7, 0.2, 0.1, 0.3, 0.6, 0.1],
      [2, 3],
    ],
  ];
  const logits = [
    [
      [2, -1, 0.5, -0.3, 1.2, 3],
      [2, 3],
    ],
  ];
  const weights = [
    [2, 0],
    [2, 1],
  ];
  const cases = [
    ['absoluteDifference', predictions, []],
    ['meanSquaredError', predictions, []],
    ['hingeLoss', logits, []],
    ['huberLoss', logits, [undefined, 0.5]],
    ['logLoss', predictions, []],
    ['cosineDistance', predictions, [1]],
    ['sigmoidCrossEntropy', logits, [undefined, 0.1]],
    ['softmaxCrossEntropy', logits, [undefined, 0.2]],
  ];
  for (const [name, input, extra] of cases)
    for (const reduction of [undefined, 0, 1, 2, 3])
      for (const withWeights of [false, true]) {
        const args = (lib) => {
          const rest = [...extra];
          // The weights' place: after axis for cosineDistance, else third.
          const at = name === 'cosineDistance' ? 1 : 0;
          const shape =
            {
              softmaxCrossEntropy: [[2, 0.5], [2]],
              cosineDistance: [
                [2, 0.5],
                [2, 1],
              ],
            }[name] ?? weights;
          const w = withWeights ? lib.tensor(...shape) : undefined;
          rest[at] = w;
          const last = name === 'huberLoss' || name === 'logLoss' || name.endsWith('CrossEntropy') ? 2 : at + 1;
          rest[last] = reduction;
          return [lib.tensor(...labels[0]), lib.tensor(...input[0]), ...rest];
        };
        const what = `${name} reduction ${reduction} weights ${withWeights}`;
        assertSame(dl.losses[name](...args(dl)), tf.losses[name](...args(tf)), what);
      }
  // A loss's gradient by the tape equals TensorFlow.js'.
  const f = (lib) => (x) => lib.losses.softmaxCrossEntropy(lib.tensor(...labels[0]), x, undefined, 0.1);
  assertSame(
    dl.grad(f(dl))(dl.tensor(...logits[0])),
    tf.grad(f(tf))(tf.tensor(...logits[0])),
    'softmaxCrossEntropy grad',
  );
  assert.throws(
    () => dl.losses.meanSquaredError(dl.zeros([2, 3]), dl.zeros([3, 2])),
    /losses.meanSquaredError: labels have shape \[2,3\] and predictions \[3,2\]; they must match/,
  );
});

test('random tensors and multinomial: seeded, of the shape and dtype asked, refused when the settings are wrong', () => {
  const a = dl.randomNormal([200, 50], 1, 2, 'float32', 5);
  const b = dl.randomNormal([200, 50], 1, 2, 'float32', 5);
  assert.deepEqual(a.dataSync(), b.dataSync(), 'the same seed gives the same numbers');
  const { mean, variance } = dl.moments(a);
  assert.ok(Math.abs(mean.dataSync()[0] - 1) < 0.1, `mean ${mean.dataSync()[0]}`);
  assert.ok(Math.abs(Math.sqrt(variance.dataSync()[0]) - 2) < 0.1, `std ${Math.sqrt(variance.dataSync()[0])}`);
  const whole = dl.randomUniform([1000], 0, 10, 'int32', 1);
  assert.equal(whole.dtype, 'int32');
  assert.ok(
    whole.dataSync().every((v) => Number.isInteger(v) && v >= 0 && v < 10),
    'int32 values are whole, in [0, 10)',
  );
  assert.ok(
    dl
      .truncatedNormal([1000], 0, 1, undefined, 2)
      .dataSync()
      .every((v) => Math.abs(v) <= 2),
  );
  assert.notDeepEqual(dl.randomUniform([8]).dataSync(), dl.randomUniform([8]).dataSync(), 'unseeded: new numbers');
  const draws = dl.multinomial(dl.tensor([[0, 0, 10]]), 20, 4);
  assert.deepEqual([draws.shape, draws.dtype], [[1, 20], 'int32']);
  assert.ok(draws.dataSync().every((k) => k === 2));
  assert.deepEqual(dl.multinomial(dl.tensor([0.5, 0.5, 0]), 6, 1, true).shape, [6]);
  assert.throws(
    () => dl.randomUniform([2, 0]),
    /randomUniform: shape must be an array of whole numbers >= 1; got \[2,0\]/,
  );
  assert.throws(() => dl.randomUniform([2], 1, 1), /random uniform: minval must be below maxval; got 1 and 1/);
  assert.throws(
    () => dl.multinomial(dl.zeros([2, 2, 2]), 1),
    /multinomial: expected logits of rank 1 or 2; got shape \[2,2,2\]/,
  );
});
