// The 2D classifier of two_moons.mjs written with TensorFlow.js' functional API
// (tf.input, layer.apply, tf.model), as its guide on models and layers teaches it. Run as
// is with @tensorflow/tfjs; tfjs_programs.test.mjs runs it again with only the import changed.
// Reads are asynchronous (data()), as in a browser, where the engine runs in a worker.
import * as tf from '@tensorflow/tfjs';

// A small seeded generator, so that both runs see the same points.
let state = 12345;
const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;

function moons(n) {
  const points = [];
  const labels = [];
  for (let i = 0; i < n; i++) {
    const k = i % 2;
    const t = Math.PI * random();
    const x = k === 0 ? Math.cos(t) : 1 - Math.cos(t);
    const y = k === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
    points.push([x + 0.1 * (random() - 0.5), y + 0.1 * (random() - 0.5)]);
    labels.push(k);
  }
  return { xs: tf.tensor2d(points), ys: tf.tensor2d(labels, [n, 1]) };
}

const start = performance.now();
const train = moons(600);
const test = moons(400);
// The functional API: a residual block (the block's output added to its input) and a
// branch joined back by concatenation.
const input = tf.input({ shape: [2] });
const stem = tf.layers.dense({ units: 16, activation: 'tanh' }).apply(input);
const block = tf.layers.dense({ units: 16, activation: 'tanh' }).apply(stem);
const residual = tf.layers.add().apply([stem, block]);
const branch = tf.layers.dense({ units: 4, activation: 'relu' }).apply(input);
const joined = tf.layers.concatenate().apply([residual, branch]);
const output = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(joined);
const model = tf.model({ inputs: input, outputs: output });
model.compile({ optimizer: tf.train.adam(0.02), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
const history = await model.fit(train.xs, train.ys, {
  epochs: 40,
  batchSize: 32,
  validationData: [test.xs, test.ys],
  verbose: 0,
});
const evaluation = model.evaluate(test.xs, test.ys);
const predicted = model.predict(test.xs).greater(0.5).cast('float32');
const accuracy = predicted.equal(test.ys).mean();
console.log(
  'RESULT',
  JSON.stringify({
    accuracy: (await accuracy.data())[0],
    evaluated: await Promise.all(evaluation.map(async (t) => (await t.data())[0])),
    lossFell: history.history.loss.at(-1) < history.history.loss[0],
    epochs: history.epoch.length,
    layers: model.layers.length,
    ms: performance.now() - start,
  }),
);
tf.dispose([train, test, evaluation, predicted, accuracy]);
