// A recurrent classifier as the TensorFlow.js guides write one: an LSTM returning its
// sequence, a GRU reading it, a Dense softmax. Each sequence holds two marked tokens, A and
// B, among noise; the class says which came first. Run as is with @tensorflow/tfjs;
// recurrent.test.mjs runs it again with only the import changed.
import * as tf from '@tensorflow/tfjs';

// A small seeded generator, so that both runs see the same sequences.
let state = 7;
const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;

const STEPS = 10;
const FEATURES = 3; // noise, "A here", "B here"

function sequences(n) {
  const values = [];
  const labels = [];
  for (let i = 0; i < n; i++) {
    const steps = Array.from({ length: STEPS }, () => [random() - 0.5, 0, 0]);
    const a = Math.floor(random() * STEPS);
    let b = Math.floor(random() * (STEPS - 1));
    if (b >= a) b += 1;
    steps[a][1] = 1;
    steps[b][2] = 1;
    values.push(steps);
    labels.push(a < b ? [1, 0] : [0, 1]);
  }
  return { xs: tf.tensor3d(values), ys: tf.tensor2d(labels) };
}

const start = performance.now();
const train = sequences(512);
const test = sequences(256);
const model = tf.sequential();
model.add(tf.layers.lstm({ units: 12, returnSequences: true, inputShape: [STEPS, FEATURES] }));
model.add(tf.layers.gru({ units: 8 }));
model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
model.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const history = await model.fit(train.xs, train.ys, { epochs: 15, batchSize: 32, verbose: 0 });
const predicted = model.predict(test.xs).argMax(-1);
const accuracy = predicted.equal(test.ys.argMax(-1)).cast('float32').mean();
console.log(
  'RESULT',
  JSON.stringify({
    accuracy: (await accuracy.data())[0],
    lossFell: history.history.loss.at(-1) < history.history.loss[0] / 3,
    ms: performance.now() - start,
  }),
);
tf.dispose([train, test, predicted, accuracy]);
