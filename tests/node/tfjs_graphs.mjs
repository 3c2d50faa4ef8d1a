// Helpers of the graph-file tests: seeded data for TensorFlow.js and us, TensorFlow.js
// models trained and saved in memory, predictions compared within 1e-5, the Keras
// fixtures (tests/fixtures/keras), and the TensorFlow.js twin of the Keras 2 fixture.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { loadApi, projectRoot, values } from './engine.mjs';

export const dl = await loadApi();
export const tf = createRequire(join(projectRoot, 'package.json'))('@tensorflow/tfjs');
await tf.setBackend('cpu');

const size = (shape) => shape.reduce((a, b) => a * b, 1);
// n samples for each input shape, as TensorFlow.js tensors and as ours.
export function batch(shapes, n, seed) {
  const data = shapes.map((shape, i) => values(n * size(shape), seed + i));
  return {
    tf: data.map((v, i) => tf.tensor(v, [n, ...shapes[i]])),
    dl: data.map((v, i) => dl.tensor(v, [n, ...shapes[i]])),
  };
}
// A graph description without the options an import fills in at their defaults.
export const structure = (d, options = true) => ({
  inputs: d.inputs,
  outputs: d.outputs,
  layers: d.layers.map((l) => [
    l.apply ?? l.name,
    l.type,
    l.inputs,
    ...(options ? [l.units, l.activation, l.axes ?? l.axis, l.normalize] : []),
  ]),
});
export const fixture = (name) => readFileSync(join(projectRoot, 'tests/fixtures/keras', name), 'utf8');

// The artifacts TensorFlow.js' model.save hands to a save handler.
export async function tfArtifacts(model) {
  let saved;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return saved;
}

// Trains a TensorFlow.js model a little on seeded data (so that its weights are not the
// initial ones) and returns its artifacts.
export async function trainAndSave(model, shapes, units, loss) {
  const x = batch(shapes, 32, 11).tf;
  const y = tf.tensor(values(32 * units, 99), [32, units]);
  model.compile({ optimizer: tf.train.adam(0.05), loss });
  const history = await model.fit(x.length === 1 ? x[0] : x, loss === 'meanSquaredError' ? y : tf.softmax(y), {
    epochs: 4,
    batchSize: 8,
    verbose: 0,
  });
  assert.ok(history.history.loss[3] < history.history.loss[0], `TensorFlow.js trained: ${history.history.loss}`);
  return tfArtifacts(model);
}

// Our predictions against TensorFlow.js' on fresh inputs, within 1e-5 (each output's, for
// a model of several).
export async function expectSamePredictions(ours, theirs, shapes, what) {
  const x = batch(shapes, 9, 5);
  const mine = [ours.predict(x.dl.length === 1 ? x.dl[0] : x.dl)].flat();
  const expected = [theirs.predict(x.tf.length === 1 ? x.tf[0] : x.tf)].flat();
  assert.equal(mine.length, expected.length, `${what}: ${mine.length} outputs, TensorFlow.js ${expected.length}`);
  for (const [k, tensor] of mine.entries()) {
    assert.deepEqual(tensor.shape, expected[k].shape, `${what}: output ${k}'s shape`);
    const [a, b] = [await tensor.data(), expected[k].dataSync()];
    const worst = Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
    assert.ok(worst < 1e-5, `${what}: output ${k}'s largest difference from TensorFlow.js ${worst}`);
  }
}

// The model of tests/fixtures/keras/keras2_functional.json, made by TensorFlow.js.
function keras2Twin() {
  const a = tf.input({ shape: [4], name: 'a' });
  const b = tf.input({ shape: [3], name: 'b' });
  const shared = tf.layers.dense({ units: 4, activation: 'tanh', name: 'shared' });
  const first = shared.apply(a);
  const second = shared.apply(tf.layers.add({ name: 'skip' }).apply([first, a]));
  const proj = tf.layers.dense({ units: 4, name: 'proj' }).apply(b);
  const cat = tf.layers.concatenate({ axis: -1, name: 'cat' }).apply([second, proj]);
  const sim = tf.layers.dot({ axes: -1, normalize: true, name: 'sim' }).apply([first, proj]);
  const joined = tf.layers.concatenate({ axis: -1, name: 'join' }).apply([cat, sim]);
  const out = tf.layers.dense({ units: 2, activation: 'softmax', name: 'out' }).apply(joined);
  return tf.model({ inputs: [a, b], outputs: out });
}
let twin;
export const keras2Reference = async () => {
  if (!twin) {
    const model = keras2Twin();
    twin = { model, artifacts: await trainAndSave(model, [[4], [3]], 2, 'categoricalCrossentropy') };
  }
  return twin;
};

export { values };
