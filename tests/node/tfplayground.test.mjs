// A TensorFlow Playground address becomes this page's settings: the same data, features,
// hidden layers, activation, rate, batch size, regularization and view, with what cannot
// be taken over named.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { decodeState } from '../../web/src/playground/state.js';
import { fromTensorflowPlayground, isTensorflowPlaygroundHash } from '../../web/src/playground/tfplayground.js';
import * as dl from '../../web/lib/index.js';

await dl.ready();

// An address as TensorFlow Playground writes it (every key, in its order).
const THEIRS =
  '#activation=relu&batchSize=25&dataset=spiral&regDataset=reg-plane&learningRate=0.01&regularizationRate=0.003' +
  '&noise=15&networkShape=6,5,3&seed=0.83917&showTestData=true&discretize=false&percTrainData=70&x=true&y=true' +
  '&xTimesY=true&xSquared=false&ySquared=false&cosX=false&sinX=true&cosY=false&sinY=false&collectStats=false' +
  '&problem=classification&initZero=false&hideText=false&regularization=L2';

test('a TensorFlow Playground hash turns into the same network, data and training settings', () => {
  assert.equal(isTensorflowPlaygroundHash(THEIRS), true);
  assert.equal(isTensorflowPlaygroundHash('#section-2'), false);
  const { query, problems } = fromTensorflowPlayground(THEIRS);
  assert.deepEqual(problems, []);
  const decoded = decodeState(query);
  assert.deepEqual(decoded.problems, []);
  const s = decoded.state;
  assert.equal(s.data, 'spiral');
  assert.equal(s.noise, 0.15);
  assert.equal(s.ratio, 70);
  assert.deepEqual(s.features, ['x1', 'x2', 'x1*x2', 'sin(x1)']);
  assert.deepEqual(
    s.layers.map((l) => [l.type, l.units, l.activation]),
    [
      ['dense', 6, 'relu'],
      ['dense', 5, 'relu'],
      ['dense', 3, 'relu'],
      ['dense', 1, 'sigmoid'],
    ],
  );
  assert.equal(s.learningRate, 0.01);
  assert.equal(s.batchSize, 25);
  assert.equal(s.optimizer, 'sgd');
  assert.equal(s.loss, 'binaryCrossentropy');
  assert.equal(s.l2, 0.003);
  assert.equal(s.l1, 0);
  assert.equal(s.showTest, true);
  assert.equal(s.discretize, false);
  // Their text seed becomes a whole number, the same one each time.
  assert.ok(Number.isInteger(s.seed));
  assert.equal(decodeState(fromTensorflowPlayground(THEIRS).query).state.seed, s.seed);
  // A 2D set: until paused, at a watchable speed.
  assert.equal(s.epochs, 0);
  assert.equal(s.speed, '300');
});

test('their regression sets, defaults for missing keys, and what cannot come over is named', () => {
  const regression = fromTensorflowPlayground('#problem=regression&regDataset=reg-gauss&networkShape=3');
  const r = decodeState(regression.query).state;
  assert.equal(r.data, 'gaussianMixture');
  assert.deepEqual(
    r.layers.map((l) => `${l.units}-${l.activation}`),
    ['3-tanh', '1-linear'],
  );
  assert.equal(r.loss, 'meanSquaredError');
  assert.equal(r.learningRate, 0.03);
  assert.equal(r.batchSize, 10);
  // No hidden layer at all: straight from the inputs to the output.
  const none = decodeState(fromTensorflowPlayground('#dataset=gauss&networkShape=').query).state;
  assert.deepEqual(
    none.layers.map((l) => l.units),
    [1],
  );
  const odd = fromTensorflowPlayground('#dataset=moons&activation=swish&initZero=true&noise=abc&colour=red');
  assert.deepEqual(odd.problems, [
    'dataset="moons": expected one of circle, xor, gauss, spiral',
    'noise="abc": expected a number from 0 to 100',
    'activation="swish": expected one of relu, tanh, sigmoid, linear; tanh is used',
    'initZero: weights here always start random (Glorot uniform)',
    '"colour": not a TensorFlow Playground setting',
  ]);
  assert.deepEqual(decodeState(odd.query).problems, []);
});
