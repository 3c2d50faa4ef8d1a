// Layers and models shared by models, as TensorFlow.js shares them: a layer used by two
// models has one set of weights whichever trains or is disposed; a GAN's combined model
// (generator and discriminator applied as layers, the discriminator frozen by
// model.trainable = false) trains the generator as TensorFlow.js does, step for step
// within 1e-5, with
// the weights written as TensorFlow.js' setWeights takes them.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import { loadApi } from './engine.mjs';

const dl = await loadApi();
const tf = createRequire(import.meta.url)('@tensorflow/tfjs');

const values = (n, seed) => Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + seed) * 0.9);
const close = (a, b, what) => {
  assert.equal(a.length, b.length, `${what}: sizes`);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-5, `${what}[${i}]: ${v} vs ${b[i]}`));
};
const data = (t) => Array.from(t.dataSync());

test('a layer shared by two models has one set of weights, whichever model trains or is disposed', async () => {
  const x = dl.input({ shape: [3] });
  const hidden = dl.layers.dense({ units: 4, activation: 'tanh', name: 'hidden' });
  const head = dl.layers.dense({ units: 2, name: 'head' });
  const whole = dl.model({ inputs: x, outputs: head.apply(hidden.apply(x)) });
  whole.compile({ optimizer: dl.train.sgd(0.3), loss: 'meanSquaredError' });
  const xs = dl.tensor(values(24, 1), [8, 3]);
  const ys = dl.tensor(values(16, 2), [8, 2]);
  await whole.fit(xs, ys, { epochs: 3, verbose: 0 });
  const before = data(whole.predict(xs));
  const again = dl.model({ inputs: x, outputs: head.apply(hidden.apply(x)) });
  close(data(again.predict(xs)), before, 'a model made after training');
  // The second model trains: the first sees its weights.
  again.compile({ optimizer: dl.train.sgd(0.3), loss: 'meanSquaredError' });
  await again.fit(xs, ys, { epochs: 3, verbose: 0 });
  const after = data(again.predict(xs));
  assert.ok(
    after.some((v, i) => Math.abs(v - before[i]) > 1e-4),
    'training changed the weights',
  );
  close(data(whole.predict(xs)), after, 'the first model after the second trained');
  close(data(hidden.getWeights()[0]), data(again.getLayer('hidden').getWeights()[0]), 'the layer reads its weights');
  // The model that holds the current weights is disposed: the other keeps them.
  await again.dispose();
  close(data(whole.predict(xs)), after, 'after the second model was disposed');
  await whole.dispose();
});

// A small GAN as mnist-acgan builds it, in either library.
function gan(lib) {
  const z = lib.input({ shape: [4] });
  const hidden = lib.layers.dense({ units: 5, activation: 'relu' }).apply(z);
  const generator = lib.model({ inputs: z, outputs: lib.layers.dense({ units: 3, activation: 'tanh' }).apply(hidden) });
  const image = lib.input({ shape: [3] });
  const discriminator = lib.model({
    inputs: image,
    outputs: lib.layers.dense({ units: 1, activation: 'sigmoid' }).apply(image),
  });
  discriminator.compile({ optimizer: lib.train.sgd(0.5), loss: 'binaryCrossentropy' });
  const latent = lib.input({ shape: [4] });
  discriminator.trainable = false;
  const combined = lib.model({ inputs: latent, outputs: discriminator.apply(generator.apply(latent)) });
  combined.compile({ optimizer: lib.train.sgd(0.5), loss: 'binaryCrossentropy' });
  return { generator, discriminator, combined };
}

test('a GAN: the combined model trains the generator, not the frozen discriminator, as in TensorFlow.js', async () => {
  const theirs = gan(tf);
  const ours = gan(dl);
  for (const part of ['generator', 'discriminator']) {
    // TensorFlow.js' getWeights gives Tensors; ours takes them in the same order.
    ours[part].setWeights(theirs[part].getWeights().map((w) => dl.tensor(w.dataSync(), w.shape)));
    const mine = ours[part].weights.map((v) => v.read());
    theirs[part].getWeights().forEach((w, k) => close(data(mine[k]), w.dataSync(), `${part} weight ${k} set`));
  }
  // Another model's getWeights() (a promise here) is taken too, as snake-dqn copies its network.
  const copy = gan(dl).generator;
  copy.setWeights(ours.generator.getWeights());
  const copied = Array.from(await copy.predict(dl.ones([2, 4])).data());
  close(copied, data(ours.generator.predict(dl.ones([2, 4]))), 'a copy');
  copy.dispose();
  const z = (lib, seed) => lib.tensor(values(8 * 4, seed), [8, 4]);
  for (let step = 0; step < 3; step++) {
    await ours.combined.trainOnBatch(z(dl, step), dl.ones([8, 1]));
    await theirs.combined.trainOnBatch(z(tf, step), tf.ones([8, 1]));
    for (const part of ['generator', 'discriminator'])
      theirs[part]
        .getWeights()
        .forEach((w, k) =>
          close(data(ours[part].weights[k].read()), w.dataSync(), `${part} weight ${k} after step ${step}`),
        );
  }
  // The discriminator, compiled before it was frozen, still trains (Keras' rule, which the
  // example follows; TensorFlow.js freezes its own layers at once), and the combined model
  // sees what it learned.
  const before = data(ours.discriminator.weights[0].read());
  const fakes = ours.generator.predict(z(dl, 20));
  await ours.discriminator.trainOnBatch(fakes, dl.zeros([8, 1]));
  assert.ok(
    data(ours.discriminator.weights[0].read()).some((v, i) => Math.abs(v - before[i]) > 1e-6),
    'the discriminator trained',
  );
  close(data(ours.combined.predict(z(dl, 20))), data(ours.discriminator.predict(fakes)), 'the combined model after');
  assert.equal(ours.discriminator.trainable, false);
  assert.deepEqual(ours.discriminator.trainableWeights, [], 'a frozen model lists no trainable weights');
  assert.throws(() => ours.generator.setWeights([dl.zeros([4, 5])]), /setWeights: the model has 4 weights/);
  assert.throws(
    () => ours.generator.setWeights([dl.zeros([4, 6]), dl.zeros([5]), dl.zeros([5, 3]), dl.zeros([3])]),
    /setWeights: weight 0 \("dense\/kernel"\) has shape \[4,5\]; got a tensor of shape \[4,6\]/,
  );
  Object.values(ours).forEach((m) => m.dispose());
});
