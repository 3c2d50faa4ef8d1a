// Recurrent layers started from given states (TensorFlow.js' apply(x, {initialState})),
// as sequence-to-sequence models use them: an encoder's final states start a decoder.
// The same graph in both libraries, with TensorFlow.js' weights copied into ours, gives
// TensorFlow.js' predictions within 1e-5 and, after SGD steps on the same batch, its
// weights within 1e-5 (the gradients reach the encoder through the states); bad states
// are refused by name.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import { loadApi } from './engine.mjs';

const dl = await loadApi();
const tf = createRequire(import.meta.url)('@tensorflow/tfjs');

const STEPS = 5;
const FEATURES = 3;
const UNITS = 6;
const N = 4;

// encoder(x) -> states -> decoder(y, initialState) -> dense softmax, in either library.
function seq2seq(lib, kind) {
  const layer = kind === 'lstm' ? lib.layers.lstm : kind === 'gru' ? lib.layers.gru : lib.layers.simpleRNN;
  const encoderInput = lib.input({ shape: [STEPS, FEATURES], name: 'source' });
  const decoderInput = lib.input({ shape: [STEPS, FEATURES], name: 'target' });
  const [, ...states] = layer({ units: UNITS, returnState: true, name: 'encoder' }).apply(encoderInput);
  const decoded = layer({ units: UNITS, returnSequences: true, name: 'decoder' }).apply(decoderInput, {
    initialState: states,
  });
  const output = lib.layers
    .timeDistributed({ layer: lib.layers.dense({ units: 4, activation: 'softmax' }), name: 'head' })
    .apply(decoded);
  return lib.model({ inputs: [encoderInput, decoderInput], outputs: output });
}

const values = (n, seed) => Array.from({ length: n }, (_, i) => Math.sin(i * 1.3 + seed) * 0.8);
const inputs = (lib) => [
  lib.tensor(values(N * STEPS * FEATURES, 1), [N, STEPS, FEATURES]),
  lib.tensor(values(N * STEPS * FEATURES, 2), [N, STEPS, FEATURES]),
];
const targets = (lib) =>
  lib
    .oneHot(
      lib.tensor1d(
        Array.from({ length: N * STEPS }, (_, i) => (i * 7) % 4),
        'int32',
      ),
      4,
    )
    .reshape([N, STEPS, 4]);

async function copyWeights(ours, theirs) {
  for (const name of ['encoder', 'decoder', 'head']) {
    const ws = theirs.getLayer(name).getWeights();
    ours.getLayer(name).setWeights(ws.map((w) => dl.tensor(w.dataSync(), w.shape)));
  }
}

const close = (a, b, what) =>
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-5, `${what}[${i}]: ${v} vs ${b[i]}`));

test('an encoder’s states start a decoder as in TensorFlow.js: predictions and SGD steps', async () => {
  for (const kind of ['lstm', 'gru', 'simpleRNN']) {
    const theirs = seq2seq(tf, kind);
    const ours = seq2seq(dl, kind);
    await copyWeights(ours, theirs);
    close(ours.predict(inputs(dl)).dataSync(), theirs.predict(inputs(tf)).dataSync(), `${kind} predict`);
    for (const [model, lib] of [
      [ours, dl],
      [theirs, tf],
    ])
      model.compile({ optimizer: lib.train.sgd(0.5), loss: 'categoricalCrossentropy' });
    for (let step = 0; step < 3; step++) {
      await ours.trainOnBatch(inputs(dl), targets(dl));
      await theirs.trainOnBatch(inputs(tf), targets(tf));
    }
    for (const name of ['encoder', 'decoder']) {
      const mine = ours.getLayer(name).getWeights();
      const expected = theirs.getLayer(name).getWeights();
      for (let k = 0; k < expected.length; k++)
        close(await mine[k].data(), expected[k].dataSync(), `${kind} ${name} weight ${k}`);
    }
    ours.dispose();
  }
});

test('initial states of the wrong count or shape are refused, naming the layer', async () => {
  const x = dl.input({ shape: [STEPS, FEATURES] });
  const h = dl.input({ shape: [UNITS + 1] });
  const run = (layer) => {
    const model = dl.model({ inputs: [x, h], outputs: layer.apply(x, { initialState: [h] }) });
    return model.predict([dl.zeros([2, STEPS, FEATURES]), dl.zeros([2, UNITS + 1])]);
  };
  assert.throws(
    () => run(dl.layers.lstm({ units: UNITS, name: 'decoder' })),
    /decoder \(LSTM\) takes its input, or its input and its initial states \[h, c\]; it was given 2 inputs/,
  );
  assert.throws(
    () => run(dl.layers.gru({ units: UNITS, name: 'g' })),
    /g \(GRU\): initial state 1 must have shape \(None, 6\), one value per unit; got \(None, 7\)/,
  );
  assert.throws(
    () => dl.layers.dense({ units: 2 }).apply(x, { initialState: [h] }),
    /initialState is for the recurrent layers/,
  );
});
