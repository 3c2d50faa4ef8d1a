// Inputs of any length (dl.input({shape: [null, tokens]})), as TensorFlow.js'
// translation example uses them: a seq2seq model trained on padded sequences, then an
// encoder model and a one-step decoder model made from its layers (shared_models.test.mjs
// has more of layers shared by models). The same graphs in both libraries, TensorFlow.js' weights copied into ours,
// give TensorFlow.js' predictions at several lengths and, after momentum steps at one length
// and then another, its weights (within 1e-5); the inference models predict with the
// trained weights; the file keeps null; bad shapes are refused by name.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import { loadApi } from './engine.mjs';

const dl = await loadApi();
const tf = createRequire(import.meta.url)('@tensorflow/tfjs');

const IN = 5;
const OUT = 4;
const UNITS = 6;
const N = 3;

// The translation example's training model, and its layers for the inference models.
function seq2seq(lib) {
  const encoderInputs = lib.layers.input({ shape: [null, IN], name: 'encoderInputs' });
  const encoder = lib.layers.lstm({ units: UNITS, returnState: true, name: 'encoderLstm' });
  const [, stateH, stateC] = encoder.apply(encoderInputs);
  const decoderInputs = lib.layers.input({ shape: [null, OUT], name: 'decoderInputs' });
  const decoderLstm = lib.layers.lstm({ units: UNITS, returnSequences: true, returnState: true, name: 'decoderLstm' });
  const [decoderOutputs] = decoderLstm.apply([decoderInputs, stateH, stateC]);
  const decoderDense = lib.layers.dense({ units: OUT, activation: 'softmax', name: 'decoderDense' });
  const model = lib.model({
    inputs: [encoderInputs, decoderInputs],
    outputs: decoderDense.apply(decoderOutputs),
    name: 'seq2seqModel',
  });
  return { encoderInputs, states: [stateH, stateC], decoderInputs, decoderLstm, decoderDense, model };
}

// The inference models, made after training from the trained layers.
function inference(lib, parts) {
  const encoderModel = lib.model({ inputs: parts.encoderInputs, outputs: parts.states });
  const h = lib.layers.input({ shape: [UNITS], name: 'h' });
  const c = lib.layers.input({ shape: UNITS, name: 'c' }); // (a number: TensorFlow.js takes it)
  const [outputs, stateH, stateC] = parts.decoderLstm.apply([parts.decoderInputs, h, c]);
  const decoderModel = lib.model({
    inputs: [parts.decoderInputs, h, c],
    outputs: [parts.decoderDense.apply(outputs), stateH, stateC],
  });
  return { encoderModel, decoderModel };
}

const values = (n, seed) => Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + seed) * 0.9);
const batch = (lib, steps, seed) => [
  lib.tensor(values(N * steps * IN, seed), [N, steps, IN]),
  lib.tensor(values(N * steps * OUT, seed + 1), [N, steps, OUT]),
];
const targets = (lib, steps) =>
  lib
    .oneHot(
      lib.tensor1d(
        Array.from({ length: N * steps }, (_, i) => (i * 3) % OUT),
        'int32',
      ),
      OUT,
    )
    .reshape([N, steps, OUT]);

const LAYERS = ['encoderLstm', 'decoderLstm', 'decoderDense'];
const close = (a, b, what) => {
  assert.equal(a.length, b.length, `${what}: sizes`);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-5, `${what}[${i}]: ${v} vs ${b[i]}`));
};
const data = (t) => Array.from(t.dataSync());

test('a seq2seq model with inputs of any length predicts and trains as in TensorFlow.js', async () => {
  const theirs = seq2seq(tf);
  const ours = seq2seq(dl);
  for (const name of LAYERS)
    ours.model.getLayer(name).setWeights(
      theirs.model
        .getLayer(name)
        .getWeights()
        .map((w) => dl.tensor(w.dataSync(), w.shape)),
    );
  for (const [steps, seed] of [
    [7, 1],
    [2, 3],
    [7, 5],
  ])
    close(
      data(ours.model.predict(batch(dl, steps, seed))),
      data(theirs.model.predict(batch(tf, steps, seed))),
      `predict over ${steps} steps`,
    );
  // Momentum at one length, then another: the velocities go on across the change. (Adam
  // is Keras' here, whose epsilon TensorFlow.js scales otherwise.)
  ours.model.compile({ optimizer: dl.train.momentum(0.5, 0.9), loss: 'categoricalCrossentropy' });
  theirs.model.compile({ optimizer: tf.train.momentum(0.5, 0.9), loss: 'categoricalCrossentropy' });
  for (const steps of [6, 6, 3, 6]) {
    const mine = await ours.model.trainOnBatch(batch(dl, steps, steps), targets(dl, steps));
    const expected = await theirs.model.trainOnBatch(batch(tf, steps, steps), targets(tf, steps));
    assert.ok(Math.abs(mine - expected) < 1e-5, `loss over ${steps} steps: ${mine} vs ${expected}`);
  }
  for (const name of LAYERS) {
    const mine = ours.model.getLayer(name).getWeights();
    theirs.model
      .getLayer(name)
      .getWeights()
      .forEach((w, k) => close(data(mine[k]), w.dataSync(), `${name} weight ${k} after training`));
  }
  // fit over padded sequences, as the example trains.
  const [x, y] = [batch(dl, 4, 9), targets(dl, 4)];
  const history = await ours.model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0 });
  assert.equal(history.history.loss.length, 2);

  // The inference models, made from the trained layers, predict with their weights.
  const mine = inference(dl, ours);
  for (const name of LAYERS)
    theirs.model.getLayer(name).setWeights(
      ours.model
        .getLayer(name)
        .getWeights()
        .map((w) => tf.tensor(w.dataSync(), w.shape)),
    );
  const expected = inference(tf, theirs);
  const source = batch(dl, 5, 11)[0];
  const states = mine.encoderModel.predict(source);
  const theirStates = expected.encoderModel.predict(tf.tensor(source.dataSync(), source.shape));
  states.forEach((s, k) => close(data(s), theirStates[k].dataSync(), `encoder state ${k}`));
  // One step at a time, as decodeSequence does.
  let step = [dl.oneHot(dl.tensor1d([0, 1, 2], 'int32'), OUT).reshape([N, 1, OUT]), ...states];
  let theirStep = [tf.oneHot(tf.tensor1d([0, 1, 2], 'int32'), OUT).reshape([N, 1, OUT]), ...theirStates];
  for (let t = 0; t < 3; t++) {
    const [probabilities, h, c] = mine.decoderModel.predict(step);
    const [theirProbabilities, th, tc] = expected.decoderModel.predict(theirStep);
    close(data(probabilities), theirProbabilities.dataSync(), `decoder step ${t}`);
    assert.deepEqual(probabilities.shape, [N, 1, OUT]);
    step = [dl.oneHot(probabilities.squeeze([1]).argMax(-1), OUT).reshape([N, 1, OUT]), h, c];
    theirStep = [tf.oneHot(theirProbabilities.squeeze([1]).argMax(-1), OUT).reshape([N, 1, OUT]), th, tc];
  }
  // The training model still predicts as before: the layers' weights are one.
  close(
    data(ours.model.predict(batch(dl, 4, 2))),
    data(theirs.model.predict(batch(tf, 4, 2))),
    'the trained model after',
  );
  [ours.model, mine.encoderModel, mine.decoderModel].forEach((m) => m.dispose());
});

test('a model with inputs of any length shows null, saves it, and loads in TensorFlow.js', async () => {
  const { model } = seq2seq(dl);
  const lines = [];
  await model.summary({ printFn: (line) => lines.push(line) });
  assert.match(lines.join('\n'), /Model: "seq2seqModel"/);
  assert.match(lines.join('\n'), /encoderInputs \(InputLayer\)\s+\(None, None, 5\)/);
  assert.match(lines.join('\n'), /decoderDense \(Dense\)\s+\(None, None, 4\)/);
  let saved;
  await model.save(dl.io.withSaveHandler(async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: {} })));
  const inputs = saved.modelTopology.config.layers.filter((l) => l.class_name === 'InputLayer');
  assert.deepEqual(
    inputs.map((l) => l.config.batch_input_shape),
    [
      [null, null, IN],
      [null, null, OUT],
    ],
  );
  const x = batch(dl, 3, 4);
  const theirs = await tf.loadLayersModel(tf.io.fromMemory(saved));
  close(
    data(model.predict(x)),
    theirs.predict(x.map((t) => tf.tensor(t.dataSync(), t.shape))).dataSync(),
    'loaded in TensorFlow.js',
  );
  const back = await dl.loadLayersModel(dl.io.fromMemory(saved));
  close(data(back.predict(batch(dl, 8, 4))), data(model.predict(batch(dl, 8, 4))), 'loaded here');
  [model, back].forEach((m) => m.dispose());
});

test('inputs of any length: shapes that do not fit, and weights that would depend on the length, are refused', async () => {
  const { model } = seq2seq(dl);
  assert.throws(
    () => model.predict([dl.zeros([2, 3, IN + 1]), dl.zeros([2, 3, OUT])]),
    /predict: x: input "encoderInputs" has shape \[2,3,6\]; expected \[null,null,5\]/,
  );
  assert.throws(() => model.predict([dl.zeros([2, IN]), dl.zeros([2, 3, OUT])]), /expected \[null,null,5\]/);
  assert.throws(() => dl.input({ shape: [null, 0] }), /shape must be an array of positive whole numbers \(or null/);
  // A dense layer after a flatten: its kernel's size depends on the length.
  const x = dl.input({ shape: [null, 2] });
  const flat = dl.model({ inputs: x, outputs: dl.layers.dense({ units: 1 }).apply(dl.layers.flatten().apply(x)) });
  assert.deepEqual(flat.predict(dl.zeros([1, 1, 2])).shape, [1, 1]);
  assert.throws(
    () => flat.predict(dl.zeros([1, 3, 2])),
    /predict: x: the model cannot take inputs of shapes \[\[null,3,2\]\]: its weights would change shape \(.*\): setWeights: "dense\/kernel" holds 6 values/,
  );
  // It still works at the length it had.
  assert.deepEqual(flat.predict(dl.zeros([4, 1, 2])).shape, [4, 1]);
  [model, flat].forEach((m) => m.dispose());
});
