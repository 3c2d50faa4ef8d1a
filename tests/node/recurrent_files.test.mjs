// Recurrent models through files and graphs (issue 32): layers of several outputs (an
// LSTM's states, Bidirectional's halves) as TensorFlow.js 4.22 gives them, its files both
// ways, and what a TensorFlow.js program may pass that is refused rather than ignored.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import { loadApi, rejectsWith, values } from './engine.mjs';

const dl = await loadApi();
const tf = createRequire(import.meta.url)('@tensorflow/tfjs');
await tf.setBackend('cpu');

const size = (shape) => shape.reduce((a, b) => a * b, 1);

function assertClose(mine, expected, what) {
  assert.equal(mine.length, expected.length, `${what}: ${mine.length} values, TensorFlow.js ${expected.length}`);
  const worst = Math.max(0, ...Array.from(mine, (v, i) => Math.abs(v - expected[i])));
  assert.ok(worst < 1e-5, `${what}: largest difference from TensorFlow.js ${worst}`);
}

test('outputs of several parts: an LSTM’s states and Bidirectional halves as TensorFlow.js gives them, through files both ways', async () => {
  const make = (lib) => {
    const x = lib.input({ shape: [5, 2] });
    const [seq, h, c] = lib.layers.lstm({ units: 3, returnSequences: true, returnState: true }).apply(x);
    const halves = lib.layers.bidirectional({ layer: lib.layers.gru({ units: 2 }), mergeMode: null }).apply(seq);
    const joined = lib.layers.concatenate().apply([h, c, ...halves]);
    return lib.model({ inputs: x, outputs: [lib.layers.dense({ units: 2 }).apply(joined), h, seq] });
  };
  const theirs = make(tf);
  theirs.weights.forEach((w, i) => w.write(tf.tensor(values(size(w.shape), 31 + i), w.shape).mul(0.8)));
  const ours = make(dl);
  assert.deepEqual(ours.outputNames, ['dense', 'lstm_1', 'lstm']);
  await ours.setWeights(theirs.getWeights().map((t) => t.dataSync()));
  assert.deepEqual(
    ours.outputs.map((t) => t.shape),
    theirs.outputs.map((t) => t.shape),
  );
  const x = values(3 * 5 * 2, 4);
  const expected = theirs.predict(tf.tensor(x, [3, 5, 2]));
  const check = async (model, what) => {
    const mine = model.predict(dl.tensor(x, [3, 5, 2]));
    assert.equal(mine.length, 3, `${what}: three outputs`);
    for (const [k, t] of mine.entries()) {
      assert.deepEqual(t.shape, expected[k].shape, `${what}: output ${k}'s shape`);
      assertClose(await t.data(), expected[k].dataSync(), `${what}: output ${k}`);
    }
  };
  await check(ours, 'built here');
  // Ours in TensorFlow.js: its inbound nodes name the states as tensors 1 and 2.
  const artifacts = await dl.io.exportModel(ours);
  const lstmNode = artifacts.modelTopology.config.layers.find((l) => l.class_name === 'Concatenate').inbound_nodes[0];
  assert.deepEqual(
    lstmNode.map((ref) => ref.slice(0, 3)),
    [
      ['lstm', 0, 1],
      ['lstm', 0, 2],
      ['bidirectional', 0, 0],
      ['bidirectional', 0, 1],
    ],
  );
  const inTf = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  const again = inTf.predict(tf.tensor(x, [3, 5, 2]));
  for (const [k, t] of again.entries()) assertClose(t.dataSync(), expected[k].dataSync(), `ours in TF.js: output ${k}`);
  ours.dispose();
  // TensorFlow.js' file here.
  let saved;
  await theirs.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: {} })));
  const back = await dl.io.importModel(saved);
  await check(back, 'TF.js in ours');
  back.dispose();
  // A reference to an output the layer does not give is refused by name.
  const broken = structuredClone(saved);
  broken.modelTopology.config.output_layers[1] = [broken.modelTopology.config.output_layers[1][0], 0, 7];
  await rejectsWith(
    dl.io.importModel(broken),
    /takes output 7 of "lstm\w*", which gives 3 outputs; expected a tensor index from 0 to 2/,
  );
});

test('an Embedding -> Conv1D -> Bidirectional LSTM -> GRU model with TensorFlow.js’ defaults goes through files both ways', async () => {
  const make = (lib) =>
    lib.sequential({
      layers: [
        lib.layers.embedding({ inputDim: 20, outputDim: 6, inputShape: [9] }),
        lib.layers.conv1d({ filters: 5, kernelSize: 3, padding: 'same', activation: 'relu' }),
        lib.layers.bidirectional({ layer: lib.layers.lstm({ units: 4, returnSequences: true }) }),
        lib.layers.gru({ units: 3 }),
        lib.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
  const ids = Float32Array.from({ length: 4 * 9 }, (_, i) => (i * 7 + 3) % 20);
  // TensorFlow.js' file (its own seeded weights) read here.
  const original = make(tf);
  original.weights.forEach((w, i) => w.write(tf.tensor(values(size(w.shape), 51 + i), w.shape).mul(0.8)));
  const expected = original.predict(tf.tensor(ids, [4, 9])).dataSync();
  let saved;
  await original.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: {} })));
  const back = await dl.io.importModel(saved);
  assertClose(await back.predict(dl.tensor(ids, [4, 9])).data(), expected, 'TF.js in ours');
  // Ours written for TensorFlow.js: the same predictions there.
  const inTf = await tf.loadLayersModel(tf.io.fromMemory(await dl.io.exportModel(back)));
  assertClose(inTf.predict(tf.tensor(ids, [4, 9])).dataSync(), expected, 'back in TF.js');
  back.dispose();
});

test('an unawaited summary of a model that cannot build leaves no unhandled rejection; its fit names the fault', async () => {
  const x = dl.input({ shape: [4, 3] });
  // States given as inputs (TensorFlow.js' apply([x, h, c])), here of the wrong width.
  // Written as TensorFlow.js programs do: compile and summary not awaited, fit in a try.
  const [, h, c] = dl.layers.lstm({ units: 5, returnState: true }).apply(x);
  const decoder = dl.input({ shape: [4, 3] });
  const model = dl.model({ inputs: [x, decoder], outputs: dl.layers.lstm({ units: 4 }).apply([decoder, h, c]) });
  const unhandled = [];
  const hear = (error) => unhandled.push(error.message);
  process.on('unhandledRejection', hear);
  try {
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    model.summary(0, 0, () => {});
    await assert.rejects(
      model.fit([dl.zeros([2, 4, 3]), dl.zeros([2, 4, 3])], dl.zeros([2, 4]), { epochs: 1 }),
      /lstm_1 \(LSTM\): initial state 1 must have shape \(None, 4\), one value per unit; got \(None, 5\)/,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    process.off('unhandledRejection', hear);
  }
  assert.deepEqual(unhandled, []);
});
