// A variational autoencoder in the manner of TensorFlow.js' fashion-mnist-vae example: an
// encoder (a functional model whose sampling step is a layer written in JavaScript,
// registered for serialization), a decoder, the VAE made of both by applying them to
// symbolic tensors, and its loss (reconstruction plus the KL term) minimized over
// vae.apply with optimizer.minimize. On Fashion-MNIST from Debian's dataset-fashion-mnist.
// Run as is with @tensorflow/tfjs; tfjs_programs.test.mjs runs it again with only the
// import changed.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';

await tf.ready();
const STEPS = Number(process.env.STEPS ?? 300);
const BATCH = 64;
const ORIGINAL = 784;
const HIDDEN = 256;
const LATENT = 2;

function fashion(set, n) {
  const dir = '/usr/share/datasets/fashion-mnist/';
  const labels = gunzipSync(readFileSync(`${dir}${set}-labels-idx1-ubyte.gz`)).subarray(8, 8 + n);
  const pixels = gunzipSync(readFileSync(`${dir}${set}-images-idx3-ubyte.gz`)).subarray(16, 16 + n * ORIGINAL);
  return { pixels: Float32Array.from(pixels, (p) => p / 255), labels: Array.from(labels) };
}
const train = fashion('train', STEPS * BATCH);
const test = fashion('t10k', 1000);

// z = mean + e^(logVar / 2) * noise: a sample of the latent distribution the encoder gives.
class Sampling extends tf.layers.Layer {
  computeOutputShape(inputShape) {
    tf.util.assert(
      inputShape.length === 2 && Array.isArray(inputShape[0]),
      () => `Sampling takes [mean, logVar]; got shapes ${JSON.stringify(inputShape)}`,
    );
    return inputShape[0];
  }

  call(inputs) {
    return tf.tidy(() => {
      const [mean, logVar] = inputs;
      return mean.add(logVar.mul(0.5).exp().mul(tf.randomNormal(mean.shape)));
    });
  }

  static get className() {
    return 'Sampling';
  }
}
tf.serialization.registerClass(Sampling);

function makeEncoder() {
  const x = tf.input({ shape: [ORIGINAL], name: 'image' });
  const h = tf.layers.dense({ units: HIDDEN, activation: 'relu' }).apply(x);
  const mean = tf.layers.dense({ units: LATENT, name: 'z_mean' }).apply(h);
  const logVar = tf.layers.dense({ units: LATENT, name: 'z_log_var' }).apply(h);
  const z = new Sampling({ name: 'z' }).apply([mean, logVar]);
  return tf.model({ inputs: x, outputs: [mean, logVar, z], name: 'encoder' });
}

function makeDecoder() {
  const z = tf.input({ shape: [LATENT], name: 'code' });
  const h = tf.layers.dense({ units: HIDDEN, activation: 'relu' }).apply(z);
  const out = tf.layers.dense({ units: ORIGINAL, activation: 'sigmoid' }).apply(h);
  return tf.model({ inputs: z, outputs: out, name: 'decoder' });
}

const encoder = makeEncoder();
const decoder = makeDecoder();
const [zMean, zLogVar, z] = encoder.apply(encoder.inputs);
const vae = tf.model({ inputs: encoder.inputs, outputs: [decoder.apply(z), zMean, zLogVar], name: 'vae' });

// Per image: the pixels' binary cross-entropy, summed, and the KL divergence from N(0, I).
function reconstructionLoss(x, reconstruction) {
  const r = reconstruction.clipByValue(1e-7, 1 - 1e-7);
  return x
    .mul(r.log())
    .add(tf.scalar(1).sub(x).mul(tf.scalar(1).sub(r).log()))
    .sum(-1)
    .neg();
}

function vaeLoss(x, [reconstruction, mean, logVar]) {
  return tf.tidy(() => {
    const kl = logVar.add(1).sub(mean.square()).sub(logVar.exp()).sum(-1).mul(-0.5);
    return reconstructionLoss(x, reconstruction).add(kl).mean();
  });
}

const optimizer = tf.train.adam(1e-3);
const start = performance.now();
const costs = [];
for (let i = 0; i < STEPS; i++) {
  const batch = tf.tensor2d(train.pixels.subarray(i * BATCH * ORIGINAL, (i + 1) * BATCH * ORIGINAL), [BATCH, ORIGINAL]);
  const cost = optimizer.minimize(() => vaeLoss(batch, vae.apply(batch)), true);
  costs.push(cost.dataSync()[0]);
  tf.dispose([cost, batch]);
}
const trainMs = performance.now() - start;

// How well the test images come back, against drawing each as the training set's mean.
const testX = tf.tensor2d(test.pixels, [1000, ORIGINAL]);
const [means] = encoder.predict(testX);
const reconstructed = decoder.predict(means);
const perImage = tf.tidy(() => reconstructionLoss(testX, reconstructed).mean().dataSync()[0]);
const baseline = tf.tidy(() => {
  const average = tf.tensor2d(train.pixels, [STEPS * BATCH, ORIGINAL]).mean(0, true);
  return reconstructionLoss(testX, average.tile([1000, 1]))
    .mean()
    .dataSync()[0];
});
// The latent means separate the classes: nearest class centre (from the first half of the
// test images) on the second half.
const codes = means.arraySync();
const centres = Array.from({ length: 10 }, () => [0, 0, 0]);
codes.slice(0, 500).forEach(([a, b], i) => {
  const c = centres[test.labels[i]];
  c[0] += a;
  c[1] += b;
  c[2] += 1;
});
let right = 0;
codes.slice(500).forEach(([a, b], i) => {
  let best = -1;
  let bestDistance = Infinity;
  centres.forEach(([sa, sb, n], k) => {
    const d = (a - sa / n) ** 2 + (b - sb / n) ** 2;
    if (n && d < bestDistance) [best, bestDistance] = [k, d];
  });
  if (best === test.labels[500 + i]) right++;
});
// New images from codes drawn from N(0, I).
const generated = decoder.predict(tf.randomNormal([16, LATENT]));
const pixelRange = [generated.min().dataSync()[0], generated.max().dataSync()[0]];
console.log(
  'RESULT',
  JSON.stringify({
    accuracy: right / 500,
    reconstruction: perImage,
    baseline,
    firstCost: costs[0],
    lastCosts: costs.slice(-20).reduce((a, b) => a + b, 0) / 20,
    generatedShape: generated.shape,
    pixelRange,
    ms: trainMs,
    msPerStep: trainMs / STEPS,
  }),
);
tf.dispose([testX, means, reconstructed, generated]);
