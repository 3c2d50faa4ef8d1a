// Sequences and attention through the JavaScript API: Embedding and LayerNormalization give
// TensorFlow.js' outputs for the same weights; an Embedding trains (TensorFlow.js' wasm
// backend cannot: it lacks the scatter-add of the embedding gradient); MultiHeadAttention,
// which TensorFlow.js lacks, matches a reference written here in plain JavaScript from the
// same weights; a tiny causal transformer block trains on a next-token task.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import { flat, loadApi, values } from './engine.mjs';

const dl = await loadApi();
const tf = createRequire(import.meta.url)('@tensorflow/tfjs');
await tf.setBackend('cpu');

const worst = (a, b) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
// n whole ids in [0, vocabulary), seeded.
const ids = (n, vocabulary, seed) => Float32Array.from(values(n, seed), (v) => Math.floor(((v + 1) / 2) * vocabulary));

test('Embedding and LayerNormalization give TensorFlow.js outputs for the same weights (within 1e-5)', async () => {
  const build = (lib) =>
    lib.sequential({
      layers: [
        lib.layers.embedding({ inputDim: 7, outputDim: 4, inputShape: [5], name: 'embedding' }),
        lib.layers.layerNormalization({ name: 'norm' }),
      ],
    });
  const ours = build(dl);
  const theirs = build(tf);
  const weights = await ours.getWeights();
  assert.deepEqual(
    weights.map((w) => `${w.layer}/${w.name} ${w.shape}`),
    ['embedding/embeddings 7,4', 'norm/gamma 4', 'norm/beta 4'],
  );
  // Our gamma and beta start at 1 and 0: other values make the comparison mean something.
  const gamma = values(4, 5).map((v) => 1 + v / 2);
  const beta = values(4, 6);
  await ours.setWeights([weights[0].values, gamma, beta]);
  theirs.getLayer('embedding').setWeights([tf.tensor(weights[0].values, [7, 4])]);
  theirs.getLayer('norm').setWeights([tf.tensor(gamma), tf.tensor(beta)]);
  const x = ids(6 * 5, 7, 11);
  const mine = await ours.predict(dl.tensor(x, [6, 5])).data();
  const expected = theirs.predict(tf.tensor(x, [6, 5])).dataSync();
  assert.equal(mine.length, 6 * 5 * 4);
  assert.ok(worst(mine, expected) < 1e-5, `largest difference from TensorFlow.js ${worst(mine, expected)}`);
  await ours.dispose();
});

test('an Embedding trains, and an id out of range is refused naming it', async (t) => {
  // Each sample's label is whether its ids include 3: the model must learn id 3's row.
  const n = 64;
  const x = ids(n * 4, 6, 21);
  const y = Float32Array.from({ length: n }, (_, i) => (x.slice(4 * i, 4 * i + 4).includes(3) ? 1 : 0));
  const model = dl.sequential({
    seed: 4,
    layers: [
      dl.layers.embedding({ inputDim: 6, outputDim: 3, inputShape: [4] }),
      dl.layers.flatten(),
      dl.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: dl.train.adam(0.05), loss: 'binaryCrossentropy' });
  const history = await model.fit(dl.tensor(x, [n, 4]), dl.tensor(y, [n, 1]), { epochs: 40, batchSize: 16 });
  const loss = history.history.loss;
  t.diagnostic(`embedding loss ${loss[0].toFixed(4)} -> ${loss.at(-1).toFixed(4)}`);
  assert.ok(loss.at(-1) < 0.3 * loss[0], `loss ${loss[0]} -> ${loss.at(-1)}`);
  const bad = dl.tensor([0, 1, 2, 6], [1, 4]);
  await assert.rejects(async () => model.predict(bad).data(), /the id 6 at step 3 of row 0 of the batch .*\[0, 6\)/);
  // In fit the forward refuses the batch before any update: the weights stay as they were.
  const before = flat(await model.getWeights());
  const fractional = dl.tensor([0, 1, 2, 3, 4, 5, 0.5, 1], [2, 4]);
  await assert.rejects(
    model.fit(fractional, dl.tensor([0, 1], [2, 1]), { epochs: 1, batchSize: 2 }),
    /the id 0.5 at step 2 of row \d of the batch/,
  );
  assert.deepEqual(flat(await model.getWeights()), before);
  await model.dispose();
});

// Keras' MultiHeadAttention in plain JavaScript: weights as getWeights gives them.
function attentionReference(w, q, v, n, tq, tv, heads, keyDim, causal) {
  const [wq, bq, wk, bk, wv, bv, wo, bo] = w.map((x) => x.values);
  const dq = w[0].shape[0];
  const dv = w[4].shape[0];
  const out = w[6].shape[2];
  const hk = heads * keyDim;
  const project = (x, rows, d, kernel, bias, cols) =>
    Array.from({ length: rows * cols }, (_, i) => {
      const r = Math.floor(i / cols);
      const c = i % cols;
      let s = bias[c];
      for (let p = 0; p < d; p++) s += x[r * d + p] * kernel[p * cols + c];
      return s;
    });
  const Q = project(q, n * tq, dq, wq, bq, hk);
  const K = project(v, n * tv, dv, wk, bk, hk);
  const V = project(v, n * tv, dv, wv, bv, hk);
  const O = new Array(n * tq * hk).fill(0);
  for (let b = 0; b < n; b++)
    for (let h = 0; h < heads; h++)
      for (let i = 0; i < tq; i++) {
        const scores = [];
        for (let j = 0; j < tv; j++) {
          let s = 0;
          for (let k = 0; k < keyDim; k++)
            s += Q[(b * tq + i) * hk + h * keyDim + k] * K[(b * tv + j) * hk + h * keyDim + k];
          scores.push(causal && j > i ? -Infinity : s / Math.sqrt(keyDim));
        }
        const max = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - max));
        const sum = e.reduce((a, c) => a + c, 0);
        for (let j = 0; j < tv; j++)
          for (let k = 0; k < keyDim; k++)
            O[(b * tq + i) * hk + h * keyDim + k] += (e[j] / sum) * V[(b * tv + j) * hk + h * keyDim + k];
      }
  return project(O, n * tq, hk, wo, bo, out);
}

test('MultiHeadAttention matches a plain reference from the same weights (within 1e-5), causal too', async () => {
  for (const causal of [false, true]) {
    const [n, tq, tv, heads, keyDim] = [3, 4, causal ? 4 : 5, 2, 3];
    const q = dl.input({ shape: [tq, 3] });
    const v = dl.input({ shape: [tv, 2] });
    const layer = dl.layers.multiHeadAttention({ numHeads: heads, keyDim, useCausalMask: causal });
    const model = dl.model({ inputs: [q, v], outputs: layer.apply([q, v]) });
    const weights = await model.getWeights();
    assert.deepEqual(
      weights.map((w) => `${w.name} ${w.shape}`),
      [
        'query/kernel 3,2,3',
        'query/bias 2,3',
        'key/kernel 2,2,3',
        'key/bias 2,3',
        'value/kernel 2,2,3',
        'value/bias 2,3',
        'attention_output/kernel 2,3,3',
        'attention_output/bias 3',
      ],
    );
    // Biases start at 0: give them values so that they count.
    const set = weights.map((w, i) => (w.name.endsWith('bias') ? values(w.values.length, 30 + i) : w.values));
    await model.setWeights(set);
    const given = weights.map((w, i) => ({ ...w, values: set[i] }));
    const xq = values(n * tq * 3, 1);
    const xv = values(n * tv * 2, 2);
    const mine = await model.predict([dl.tensor(xq, [n, tq, 3]), dl.tensor(xv, [n, tv, 2])]).data();
    const expected = attentionReference(given, xq, xv, n, tq, tv, heads, keyDim, causal);
    assert.equal(mine.length, n * tq * 3);
    assert.ok(worst(mine, expected) < 1e-5, `causal ${causal}: largest difference ${worst(mine, expected)}`);
    await model.dispose();
  }
});

test('a tiny causal transformer block builds from Embedding, PositionEmbedding and attention, and trains', async (t) => {
  // Next token of counting sequences mod 8 with a step of 1 to 3: the step is seen only by
  // comparing tokens, so the block must attend. The loss over every step is the lead's
  // work in progress: here a Dense after Flatten predicts the token after the last step.
  const [T, V, D] = [6, 8, 16];
  const tokens = dl.input({ shape: [T] });
  const embedded = dl.layers.embedding({ inputDim: V, outputDim: D }).apply(tokens);
  const positions = dl.layers.positionEmbedding({ sequenceLength: T }).apply(embedded);
  const h = dl.layers.add().apply([embedded, positions]);
  const normed = dl.layers.layerNormalization().apply(h);
  const attended = dl.layers
    .multiHeadAttention({ numHeads: 2, keyDim: 8, useCausalMask: true })
    .apply([normed, normed]);
  const residual = dl.layers.add().apply([h, attended]);
  const head = dl.layers.dense({ units: V, activation: 'softmax' }).apply(dl.layers.flatten().apply(residual));
  const model = dl.model({ inputs: tokens, outputs: head });
  model.compile({ optimizer: dl.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
  const n = 96;
  const x = new Float32Array(n * T);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const start = i % V;
    const step = 1 + (Math.floor(i / V) % 3);
    for (let t = 0; t < T; t++) x[i * T + t] = (start + step * t) % V;
    y[i] = (start + step * T) % V;
  }
  const history = await model.fit(dl.tensor(x, [n, T]), dl.tensor(y, [n]), { epochs: 60, batchSize: 16 });
  const loss = history.history.loss;
  t.diagnostic(`transformer loss ${loss[0].toFixed(4)} -> ${loss.at(-1).toFixed(4)}`);
  assert.ok(loss.at(-1) < 0.1 * loss[0], `loss ${loss[0]} -> ${loss.at(-1)}: expected a tenth`);
  await model.dispose();
});
