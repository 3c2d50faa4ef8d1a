// The WebAssembly build through its bindings, in Node: learning, results, and errors
// arriving as JavaScript Error objects with the engine's message.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';

import { loadEngine, projectRoot } from './engine.mjs';

let engine;
before(async () => {
  engine = await loadEngine();
});

const xorModel = {
  seed: 7,
  layers: [
    { type: 'dense', units: 8, activation: 'tanh', inputShape: [2] },
    { type: 'dense', units: 1, activation: 'sigmoid' },
  ],
  compile: { optimizer: { type: 'adam', learningRate: 0.05 }, loss: 'binary_crossentropy', metrics: ['accuracy'] },
};
const xorX = new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]);
const xorY = new Float32Array([0, 1, 1, 0]);

function flatWeights(model) {
  return model.weights().flatMap((w) => Array.from(w.values));
}

test('the .wasm learns XOR through the bindings', () => {
  const model = new engine.Model(JSON.stringify(xorModel));
  const history = model.fit(
    xorX,
    [4, 2],
    xorY,
    [4, 1],
    JSON.stringify({ epochs: 300, batchSize: 4 }),
    null,
    null,
    null,
  );
  assert.ok(history.loss.at(-1) < 0.05, `final loss ${history.loss.at(-1)}`);
  const p = model.predict(xorX, [4, 2], 32);
  assert.deepEqual(p.shape, [4, 1]);
  assert.deepEqual(
    Array.from(p.values, (v) => (v > 0.5 ? 1 : 0)),
    [0, 1, 1, 0],
    `predictions ${p.values}`,
  );
  const e = model.evaluate(xorX, [4, 2], xorY, [4, 1], 32);
  assert.equal(e.metrics.accuracy, 1);
  assert.deepEqual(e.confusionMatrix, [2, 0, 0, 2]);
  assert.equal(e.rocAuc, 1);
  model.delete();
});

test('fit streams an event after each batch and each epoch, and can be stopped from one', () => {
  const model = new engine.Model(JSON.stringify(xorModel));
  const batches = [];
  const epochs = [];
  model.fit(
    xorX,
    [4, 2],
    xorY,
    [4, 1],
    JSON.stringify({ epochs: 50, batchSize: 2 }),
    (e) => batches.push(e),
    (e) => {
      epochs.push(e);
      if (e.epoch === 4) model.stopTraining();
    },
    null,
  );
  assert.equal(epochs.length, 5);
  assert.equal(batches.length, 10);
  assert.equal(batches[0].batches, 2);
  assert.ok(Number.isFinite(batches[0].logs.loss) && batches[0].logs.accuracy >= 0);
  assert.ok(batches[0].seconds >= 0);
  model.delete();
});

test('fit takes validation data and reports val_ metrics', () => {
  const model = new engine.Model(JSON.stringify(xorModel));
  const h = model.fit(xorX, [4, 2], xorY, [4, 1], '{"epochs": 3, "batchSize": 4}', null, null, {
    x: xorX,
    xShape: [4, 2],
    y: xorY,
    yShape: [4, 1],
  });
  assert.equal(h.val_loss.length, 3);
  assert.equal(h.val_accuracy.length, 3);
  assert.throws(
    () =>
      model.fit(xorX, [4, 2], xorY, [4, 1], '{}', null, null, {
        x: xorX,
        xShape: [4, 2],
        y: new Float32Array(3),
        yShape: [3, 1],
      }),
    /fit \(validationData\): y has 3 samples but x has 4/,
  );
  model.delete();
});

test('a callback that throws stops fit, and the error reaches the caller with its message', () => {
  const model = new engine.Model(JSON.stringify(xorModel));
  let calls = 0;
  assert.throws(
    () =>
      model.fit(
        xorX,
        [4, 2],
        xorY,
        [4, 1],
        '{"epochs": 10, "batchSize": 1}',
        () => {
          calls += 1;
          if (calls === 3) throw new Error('chart exploded');
        },
        null,
        null,
      ),
    /fit: the onBatchEnd callback threw: Error: chart exploded/,
  );
  assert.equal(calls, 3);
  const h = model.fit(xorX, [4, 2], xorY, [4, 1], '{"epochs": 1, "batchSize": 4}', null, null, null);
  assert.equal(h.loss.length, 1);
  model.delete();
});

test('the learning rate changes between calls without resetting the model', () => {
  const model = new engine.Model(JSON.stringify(xorModel));
  model.trainOnBatch(xorX, [4, 2], xorY, [4, 1]);
  const before = flatWeights(model);
  model.setLearningRate(0);
  model.trainOnBatch(xorX, [4, 2], xorY, [4, 1]);
  assert.deepEqual(flatWeights(model), before);
  assert.throws(() => model.setLearningRate(Number.NaN), /learningRate must be a finite number/);
  model.delete();
});

test('the summary names layers, shapes and parameter counts', () => {
  const model = new engine.Model(JSON.stringify(xorModel));
  const s = model.summary();
  assert.match(s, /dense \(Dense\)\s+\(None, 8\)\s+24/);
  assert.match(s, /Total params: 33/);
  model.delete();
});

test('native and WebAssembly builds agree within 1e-4 on the same short training run', () => {
  // A small 3-class problem with dropout and shuffling, so that every random draw matters.
  const n = 60;
  const x = [];
  const y = [];
  for (let i = 0; i < n; i++) {
    const k = i % 3;
    x.push(Math.cos(2.1 * k) + 0.3 * Math.sin(7.3 * i), Math.sin(2.1 * k) + 0.3 * Math.cos(5.1 * i));
    y.push(k);
  }
  const model = {
    seed: 11,
    layers: [
      { type: 'dense', units: 12, activation: 'relu', inputShape: [2], kernelInitializer: 'he_normal' },
      { type: 'dropout', rate: 0.2 },
      { type: 'dense', units: 3, activation: 'softmax' },
    ],
    compile: { optimizer: { type: 'sgd', learningRate: 0.1, momentum: 0.9 }, loss: 'sparse_categorical_crossentropy' },
  };
  const fit = { epochs: 5, batchSize: 8 };
  const dir = mkdtempSync(join(tmpdir(), 'dlp-'));
  const runFile = join(dir, 'run.json');
  writeFileSync(runFile, JSON.stringify({ model, fit, x: { shape: [n, 2], values: x }, y: { shape: [n], values: y } }));
  const native = JSON.parse(
    execFileSync(join(projectRoot, 'build/native/train_reference'), [runFile], { encoding: 'utf8' }),
  );

  const m = new engine.Model(JSON.stringify(model));
  m.fit(new Float32Array(x), [n, 2], new Float32Array(y), [n], JSON.stringify(fit), null, null, null);
  const wasm = flatWeights(m);
  m.delete();
  assert.equal(wasm.length, native.length);
  let worst = 0;
  for (let i = 0; i < wasm.length; i++) worst = Math.max(worst, Math.abs(wasm[i] - native[i]));
  assert.ok(worst <= 1e-4, `largest difference ${worst}`);
  // The run must have moved the weights, or agreement would prove nothing.
  const untrained = new engine.Model(JSON.stringify(model));
  const start = flatWeights(untrained);
  untrained.delete();
  assert.ok(start.some((v, i) => Math.abs(v - wasm[i]) > 1e-2));
});

test('bad input reaches JavaScript as an Error naming what was wrong and what was expected', () => {
  const bad = (description, pattern) =>
    assert.throws(
      () => new engine.Model(JSON.stringify(description)),
      (e) => e instanceof Error && pattern.test(e.message),
    );
  bad({ layers: [] }, /no layers/);
  bad(
    { layers: [{ type: 'dense', units: 2, inputShape: [2], activation: 'swishy' }] },
    /unknown activation 'swishy'; expected one of linear, relu/,
  );
  bad({ layers: [{ type: 'dense', units: 2, inputShape: [2] }], compile: { loss: 'hinge' } }, /unknown loss 'hinge'/);
  bad(
    { layers: [{ type: 'dense', units: 2, inputShape: [2] }], compile: { loss: 'mse', optimizer: 'nadamax' } },
    /unknown optimizer 'nadamax'/,
  );
  assert.throws(() => new engine.Model('{"layers": ['), /JSON error at line 1/);
  // Absurd sizes are refused up front with the size they would need, not an abort.
  bad(
    { layers: [{ type: 'dense', units: 1000000, inputShape: [100000] }] },
    /dense \(Dense\): a kernel of 100000 x 1000000 would need 381470 MiB; the limit is 1024 MiB/,
  );
  bad(
    { layers: [{ type: 'flatten', inputShape: [100000, 100000] }] },
    /a tensor of shape \(100000, 100000\) would need .* MiB; the limit is 1024 MiB/,
  );

  const uncompiled = new engine.Model(JSON.stringify({ layers: xorModel.layers }));
  assert.throws(
    () => uncompiled.fit(xorX, [4, 2], xorY, [4, 1], '{}', null, null, null),
    /fit: the model is not compiled/,
  );
  uncompiled.delete();

  const model = new engine.Model(JSON.stringify(xorModel));
  const before = flatWeights(model);
  const rejects = (call, pattern) => assert.throws(call, (e) => e instanceof Error && pattern.test(e.message));
  rejects(
    () => model.fit(new Float32Array(12), [4, 3], xorY, [4, 1], '{}', null, null, null),
    /x has shape \(4, 3\); the model expects \(None, 2\)/,
  );
  rejects(
    () => model.fit(xorX, [4, 2], new Float32Array([0, 1, 2, 0]), [4, 1], '{}', null, null, null),
    /target 2 at sample 2 is outside \[0, 1\]/,
  );
  rejects(
    () => model.fit(new Float32Array([0, NaN, 0, 1, 1, 0, 1, 1]), [4, 2], xorY, [4, 1], '{}', null, null, null),
    /x holds nan at sample 0, value 1/,
  );
  rejects(
    () => model.fit(xorX, [4, 2], xorY, [4, 1], '{"epochs": 0}', null, null, null),
    /epochs must be a whole number from 1/,
  );
  rejects(
    () => model.fit(xorX, [4, 2], xorY, [4, 1], '{"batchSize": 4, "epoch": 3}', null, null, null),
    /unknown option 'epoch'/,
  );
  rejects(() => model.fit([0, 1], [4, 2], xorY, [4, 1], '{}', null, null, null), /x must be a Float32Array/);
  rejects(() => model.predict(xorX, [2, 2], 32), /shape \(2, 2\) holds 4 values but the Float32Array has 8/);
  assert.deepEqual(flatWeights(model), before, 'a rejected call must leave the weights unchanged');

  const sparse = new engine.Model(
    JSON.stringify({
      layers: [{ type: 'dense', units: 3, activation: 'softmax', inputShape: [2] }],
      compile: { optimizer: 'adam', loss: 'sparse_categorical_crossentropy' },
    }),
  );
  rejects(
    () => sparse.fit(xorX, [4, 2], new Float32Array([0, 1, 5, 2]), [4], '{}', null, null, null),
    /label 5 at sample 2 is outside the classes; expected a whole number from 0 to 2/,
  );
  sparse.delete();
  // The module still works after all of this.
  const h = model.fit(xorX, [4, 2], xorY, [4, 1], '{"epochs": 2, "batchSize": 4}', null, null, null);
  assert.equal(h.loss.length, 2);
  model.delete();
});
