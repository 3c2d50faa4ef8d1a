// A sequence classifier as the TensorFlow.js guides write one: Conv1D filters slid along
// noisy signals, GlobalMaxPooling1D keeping each filter's strongest response, a Dense
// decision. Class 1 signals hide a zigzag motif somewhere, class 0 ones a step. Run as is
// with @tensorflow/tfjs; sequence_layers.test.mjs runs it again with only the import changed.
import * as tf from '@tensorflow/tfjs';

// A small seeded generator, so that both runs see the same signals.
let state = 2024;
const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;

const STEPS = 40;
const ZIGZAG = [1, -1, 1, -1, 1, -1];
const STEP = [-1, -1, -1, 1, 1, 1];

function signals(n) {
  const values = [];
  const labels = [];
  for (let i = 0; i < n; i++) {
    const k = i % 2;
    const signal = Array.from({ length: STEPS }, () => 0.4 * (random() - 0.5));
    const at = Math.floor(random() * (STEPS - ZIGZAG.length));
    (k ? ZIGZAG : STEP).forEach((v, j) => (signal[at + j] += v));
    values.push(signal.map((v) => [v]));
    labels.push(k);
  }
  return { xs: tf.tensor3d(values), ys: tf.tensor2d(labels, [n, 1]) };
}

const start = performance.now();
const train = signals(512);
const test = signals(256);
const model = tf.sequential();
model.add(tf.layers.conv1d({ filters: 8, kernelSize: 6, activation: 'relu', inputShape: [STEPS, 1] }));
model.add(tf.layers.globalMaxPooling1d());
model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
model.compile({ optimizer: tf.train.adam(0.02), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
const history = await model.fit(train.xs, train.ys, { epochs: 15, batchSize: 32, verbose: 0 });
const predicted = model.predict(test.xs).greater(0.5).cast('float32');
const accuracy = predicted.equal(test.ys).mean();
console.log(
  'RESULT',
  JSON.stringify({
    accuracy: (await accuracy.data())[0],
    lossFell: history.history.loss.at(-1) < history.history.loss[0] / 3,
    ms: performance.now() - start,
  }),
);
tf.dispose([train, test, predicted, accuracy]);
