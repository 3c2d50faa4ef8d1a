// Layers written in JavaScript (a class that extends dl.layers.Layer, as TensorFlow.js'
// guides write them): trained inside a Sequential by fit, against TensorFlow.js itself
// (its cpu backend, the same classes, the same starting weights, in the same test); saved
// and loaded both ways between the two libraries; errors and memory.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import { classesFor, data } from './custom_layer_classes.mjs';
import { assertSame, loadApi, values } from './engine.mjs';

const dl = await loadApi();
const tf = createRequire(import.meta.url)('@tensorflow/tfjs');
await tf.setBackend('cpu');

const OURS = classesFor(dl);
const THEIRS = classesFor(tf);

function build(lib, classes) {
  const model = lib.sequential();
  model.add(lib.layers.dense({ units: 6, activation: 'tanh', inputShape: [5] }));
  model.add(new classes.ChannelScale({ startScale: 0.5 }));
  model.add(new classes.MeanSplit());
  model.add(lib.layers.dense({ units: 3, activation: 'softmax' }));
  return model;
}

// Ours and TensorFlow.js' with our starting weights, layer by layer.
function twins() {
  const ours = build(dl, OURS);
  const theirs = build(tf, THEIRS);
  ours.weights; // (builds it)
  ours.layerConfigs.forEach((layer, i) => {
    const w = layer.getWeights();
    theirs.layers[i].setWeights(w.map((t) => tf.tensor(t.dataSync(), t.shape)));
    dl.dispose(w);
  });
  return { ours, theirs };
}

test('a Sequential of engine and JavaScript layers: its output, and the losses and accuracies of fit, as TensorFlow.js gives them', async () => {
  const { ours, theirs } = twins();
  const [x, y] = data(dl, 48);
  const [tx, ty] = data(tf, 48);
  assertSame(ours.predict(x), theirs.predict(tx), 'predict before training');
  const options = { epochs: 4, batchSize: 16, shuffle: false, validationSplit: 0.25 };
  for (const m of [ours, theirs])
    m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const mine = await ours.fit(x, y, options);
  const want = await theirs.fit(tx, ty, options);
  for (const key of ['loss', 'acc', 'val_loss', 'val_acc'])
    want.history[key].forEach((v, epoch) =>
      assert.ok(
        Math.abs(mine.history[key][epoch] - v) <= 1e-5 * Math.max(1, Math.abs(v)),
        `${key} at epoch ${epoch}: ${mine.history[key][epoch]}; TensorFlow.js ${v}`,
      ),
    );
  assertSame(ours.predict(x), theirs.predict(tx), 'predict after training');
  const scale = ours.layerConfigs[1].getWeights()[0];
  assertSame(scale, theirs.layers[1].getWeights()[0], 'the trained scale');
  assert.notDeepEqual(Array.from(scale.dataSync()), [1, 1, 1, 1, 1, 1], 'the JavaScript layer’s weight trained');
  ours.dispose();
});

test('saved by either library, loaded by the other: the same outputs, and the custom option back from getConfig', async () => {
  const { ours, theirs } = twins();
  const [x] = data(dl, 8);
  const [tx] = data(tf, 8);
  let saved = null;
  await ours.save(dl.io.withSaveHandler(async (artifacts) => void (saved = artifacts)));
  const intoTheirs = await tf.loadLayersModel(tf.io.fromMemory(saved));
  assert.equal(intoTheirs.layers[1].startScale, 0.5);
  assertSame(ours.predict(x), intoTheirs.predict(tx), 'ours loaded in TensorFlow.js');
  let theirsSaved = null;
  await theirs.save(tf.io.withSaveHandler(async (artifacts) => void (theirsSaved = artifacts)));
  const intoOurs = await dl.loadLayersModel(dl.io.fromMemory(theirsSaved));
  assert.equal(intoOurs.layerConfigs[1].startScale, 0.5);
  assertSame(intoOurs.predict(x), theirs.predict(tx), 'TensorFlow.js’ loaded in ours');
  // Our own file loaded while the model it came from lives: the same outputs.
  const again = await dl.loadLayersModel(dl.io.fromMemory(saved));
  assertSame(again.predict(x), ours.predict(x), 'ours loaded beside the original');
  again.dispose();
  // And trained again after loading.
  intoOurs.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  const [bx, by] = data(dl, 32);
  const h = await intoOurs.fit(bx, by, { epochs: 3, batchSize: 8 });
  assert.ok(h.history.loss[2] < h.history.loss[0], `loss ${h.history.loss}`);
  for (const m of [ours, intoOurs]) m.dispose();
});

test('a JavaScript layer applied on its own, and its gradients by the tape against central differences', () => {
  const layer = new OURS.ChannelScale({ startScale: 2 });
  const x = dl.tensor(values(12, 13), [3, 4]);
  const y = layer.apply(x);
  assert.deepEqual(y.shape, [3, 4]);
  const [scale] = layer.weights;
  const f = () => layer.apply(x).square().sum();
  const { grads } = dl.variableGrads(f, [scale.val]);
  const g = grads[scale.name].dataSync();
  const base = scale.val.dataSync();
  for (let i = 0; i < base.length; i++) {
    const at = (d) => {
      const moved = Float32Array.from(base);
      moved[i] += d;
      scale.write(dl.tensor(moved));
      return dl.tidy(() => f().dataSync()[0]);
    };
    const numeric = (at(1e-2) - at(-1e-2)) / 2e-2;
    scale.write(dl.tensor(base));
    assert.ok(
      Math.abs(g[i] - numeric) <= 1e-3 * Math.max(1, Math.abs(numeric)),
      `d/dscale[${i}]: ${g[i]} vs ${numeric}`,
    );
  }
  layer.dispose();
});

test('JavaScript layers refuse what they cannot do, naming the layer and what was expected', async () => {
  class Bad extends dl.layers.Layer {
    build() {
      this.addWeight('w', [0, 2]);
    }

    static get className() {
      return 'Bad';
    }
  }
  const model = dl.sequential();
  model.add(new Bad({ inputShape: [2] }));
  assert.throws(
    () => model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' }),
    /bad\.addWeight: shape must be an array of positive whole numbers; got \[0,2\]/,
  );
  assert.throws(
    () => dl.serialization.registerClass(class NotALayer {}),
    /registerClass: expected a class that extends dl\.layers\.Layer/,
  );
  const first = dl.sequential();
  first.add(new OURS.MeanSplit());
  assert.throws(() => first.predict(dl.ones([1, 3])), /the first layer \("mean_split(_\d+)?"\) needs its input shape/);
  const unknown = build(dl, OURS);
  let saved = null;
  await unknown.save(dl.io.withSaveHandler(async (a) => void (saved = a)));
  saved.modelTopology.config.layers[1].class_name = 'Unregistered';
  await assert.rejects(dl.loadLayersModel(dl.io.fromMemory(saved)), /Unregistered/);
  unknown.dispose();
});

test('fit of a model with JavaScript layers leaves no tensor behind and the engine’s heap flat', async () => {
  const model = build(dl, OURS);
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const [x, y] = data(dl, 64);
  await model.fit(x, y, { epochs: 2, batchSize: 16 });
  const before = dl.memory().numTensors;
  const heap = (await dl.engineMemory()).heapInUse;
  await model.fit(x, y, { epochs: 20, batchSize: 16, validationSplit: 0.25 });
  assert.equal(dl.memory().numTensors, before, 'no tensor left behind');
  const after = (await dl.engineMemory()).heapInUse;
  assert.ok(after <= heap + 4096, `the engine's heap stayed flat: ${heap} -> ${after} bytes`);
  model.dispose();
});

test('a loss and a metric written as functions of tensors train any model, as TensorFlow.js’ custom losses do', async () => {
  const make = (lib) =>
    lib.sequential({ layers: [lib.layers.dense({ units: 3, activation: 'softmax', inputShape: [5] })] });
  const ours = make(dl);
  const theirs = make(tf);
  ours.wait('test');
  // Weights set before compile stay when compile switches the model to the custom loss.
  const start = [dl.tensor(values(15, 21), [5, 3]), dl.tensor(values(3, 22))];
  ours.layers[0].setWeights(start);
  theirs.layers[0].setWeights(start.map((t) => tf.tensor(t.dataSync(), t.shape)));
  // A cross-entropy that weighs class 2 double, and the mean largest probability.
  const lossOf = (lib) => (yTrue, yPred) =>
    yTrue
      .mul(lib.tensor1d([1, 1, 2]))
      .mul(yPred.clipByValue(1e-7, 1).log())
      .sum(-1)
      .neg()
      .mean();
  const confidence = (lib) => {
    const f = (yTrue, yPred) => yPred.max(-1).mean();
    Object.defineProperty(f, 'name', { value: 'confidence' });
    return f;
  };
  ours.compile({ optimizer: dl.train.sgd(0.3), loss: lossOf(dl), metrics: [confidence(dl)] });
  theirs.compile({ optimizer: tf.train.sgd(0.3), loss: lossOf(tf), metrics: [confidence(tf)] });
  const [x, y] = data(dl, 40);
  const [tx, ty] = data(tf, 40);
  const options = { epochs: 3, batchSize: 8, shuffle: false };
  const mine = await ours.fit(x, y, options);
  const want = await theirs.fit(tx, ty, options);
  for (const key of ['loss', 'confidence'])
    want.history[key].forEach((v, epoch) =>
      assert.ok(
        Math.abs(mine.history[key][epoch] - v) <= 1e-5 * Math.max(1, Math.abs(v)),
        `${key} at epoch ${epoch}: ${mine.history[key][epoch]}; TensorFlow.js ${v}`,
      ),
    );
  assertSame(ours.predict(x), theirs.predict(tx), 'predict after training');
  ours.dispose();
});

test('a graph with a JavaScript layer shares its engine layers with the models that hold them: a decoder trained inside a VAE', () => {
  class Noise extends dl.layers.Layer {
    computeOutputShape(shapes) {
      return shapes[0];
    }
    call([mean, logVar]) {
      return dl.tidy(() => mean.add(logVar.mul(0.5).exp().mul(dl.randomNormal(mean.shape))));
    }
    static get className() {
      return 'Noise';
    }
  }
  const x = dl.input({ shape: [6] });
  const h = dl.layers.dense({ units: 4, activation: 'relu' }).apply(x);
  const mean = dl.layers.dense({ units: 2 }).apply(h);
  const logVar = dl.layers.dense({ units: 2 }).apply(h);
  const encoder = dl.model({ inputs: x, outputs: [mean, logVar, new Noise().apply([mean, logVar])] });
  const code = dl.input({ shape: [2] });
  const decoder = dl.model({ inputs: code, outputs: dl.layers.dense({ units: 6, activation: 'sigmoid' }).apply(code) });
  const [m, v, z] = encoder.apply(encoder.inputs);
  const vae = dl.model({ inputs: encoder.inputs, outputs: [decoder.apply(z), m, v] });
  const [wm, wv] = [encoder.getLayer(1), encoder.getLayer(2)].map((l) => l.getWeights()[0].dataSync());
  assert.notDeepEqual(Array.from(wm), Array.from(wv), 'two dense layers of one shape start apart');
  const before = decoder.getWeights()[0].dataSync().slice();
  const batch = dl.tensor(
    values(48, 23).map((t) => (t + 1) / 2),
    [8, 6],
  );
  const optimizer = dl.train.adam(0.05);
  for (let i = 0; i < 5; i++)
    optimizer.minimize(() => {
      const [out] = vae.apply(batch);
      return out.sub(batch).square().mean();
    });
  const after = decoder.getWeights()[0].dataSync();
  assert.notDeepEqual(Array.from(after), Array.from(before), 'the decoder holds the weights the VAE trained');
  assert.equal(vae.weights.length, 8, 'the VAE’s weights: four dense layers’ kernels and biases');
  const [decoded] = vae.predict(batch);
  assert.deepEqual(decoded.shape, [8, 6]);
  for (const model of [vae, encoder, decoder]) model.dispose();
});

test('a graph of JavaScript, engine and JavaScript layers in turn: shapes through all three, and fit', async () => {
  const x = dl.input({ shape: [5] });
  const split = new OURS.MeanSplit().apply(x);
  assert.deepEqual(split.shape, [null, 10]);
  const h = dl.layers.dense({ units: 4, activation: 'tanh' }).apply(split);
  const scaled = new OURS.ChannelScale().apply(h);
  assert.deepEqual(scaled.shape, [null, 4]);
  const model = dl.model({ inputs: x, outputs: dl.layers.dense({ units: 3, activation: 'softmax' }).apply(scaled) });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const [bx, by] = data(dl, 32);
  const h1 = await model.fit(bx, by, { epochs: 5, batchSize: 8 });
  assert.ok(h1.history.loss[4] < h1.history.loss[0], `loss ${h1.history.loss}`);
  assert.deepEqual(model.predict(bx).shape, [32, 3]);
  model.dispose();
});
