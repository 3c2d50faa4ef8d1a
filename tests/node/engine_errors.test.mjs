// The JavaScript API's refusals, in Node, on the real .wasm: every call's error for bad
// input, a model that cannot be built says where, and the native and WebAssembly builds
// agree on the same training run.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';

import { blobs, flat, loadApi, projectRoot, rejectsWith, xorData, xorLayers, xorModel } from './engine.mjs';

let dl;
before(async () => {
  dl = await loadApi();
});

test('every call reports bad input as an Error naming what was wrong and what was expected', async () => {
  const [x, y] = xorData();
  const uncompiled = dl.sequential({ layers: xorLayers() });
  await rejectsWith(uncompiled.fit(x, y), /fit: the model is not compiled; call compile/);
  await rejectsWith(() => uncompiled.evaluate(x, y), /evaluate: the model is not compiled/);
  await rejectsWith(uncompiled.setLearningRate(0.1), /setLearningRate: the model is not compiled/);
  await uncompiled.build();
  assert.throws(() => uncompiled.add(dl.layers.dense({ units: 2 })), /add: the model is already built/);
  assert.throws(() => dl.sequential().add({ units: 3 }), /add: expected a layer made by dl.layers.dense/);

  const empty = dl.sequential();
  await rejectsWith(empty.summary(), /needs a non-empty "layers" array; a model with no layers cannot be built/);
  const badActivation = dl.sequential({
    layers: [dl.layers.dense({ units: 2, inputShape: [2], activation: 'swishy' })],
  });
  await rejectsWith(
    () => badActivation.predict(x),
    /layers\[0\] \(dense\): unknown activation "swishy"; expected one of linear, relu/,
  );
  const noShape = dl.sequential({ layers: [dl.layers.dense({ units: 2 })] });
  await rejectsWith(noShape.build(), /the first layer \(Dense\) needs an input shape/);

  const badLoss = dl.sequential({ layers: xorLayers() });
  badLoss.compile({ optimizer: 'adam', loss: 'hinge' });
  await rejectsWith(badLoss.fit(x, y), /compile: unknown loss "hinge"/);
  const badOptimizer = dl.sequential({ layers: xorLayers() });
  await rejectsWith(
    badOptimizer.compile({ optimizer: 'nadamax', loss: 'mse' }),
    /unknown optimizer "nadamax"; expected one of sgd, adam/,
  );

  const model = xorModel();
  const before = flat(await model.getWeights());
  const wide = dl.tensor(new Float32Array(12), [4, 3]);
  await rejectsWith(model.fit(wide, y), /fit: x has shape \(4, 3\); the model expects \(None, 2\)/);
  await rejectsWith(() => model.predict(wide), /predict: x has shape \(4, 3\); the model expects \(None, 2\)/);
  await rejectsWith(
    () => model.evaluate(x, dl.tensor([0, 1, 2, 0], [4, 1])),
    /target 2 at sample 2 is outside \[0, 1\]/,
  );
  await rejectsWith(
    model.fit(dl.tensor([0, NaN, 0, 1, 1, 0, 1, 1], [4, 2]), y),
    /fit: x holds NaN at sample 0, value 1; inputs must be finite/,
  );
  await rejectsWith(model.fit(x, y, { epochs: 0 }), /epochs must be a whole number from 1/);
  await rejectsWith(model.fit(x, y, { epoch: 3 }), /fit: unknown option "epoch"/);
  await rejectsWith(model.fit([0, 1], y), /fit: x must be a Tensor made with dl.tensor\(\)/);
  await rejectsWith(model.setLearningRate(Number.NaN), /learningRate must be a finite number >= 0/);
  await rejectsWith(model.trainOnBatch(x, dl.tensor([1, 0], [2, 1])), /y has 2 samples but x has 4/);
  const gone = dl.tensor([1, 2], [1, 2]);
  gone.dispose();
  await rejectsWith(() => model.predict(gone), /predict: x: this tensor has been disposed/);
  assert.deepEqual(flat(await model.getWeights()), before, 'rejected calls leave the weights unchanged');

  const sparse = dl.sequential({ layers: [dl.layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })] });
  sparse.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
  await rejectsWith(
    sparse.fit(x, dl.tensor([0, 1, 5, 2], [4])),
    /label 5 at sample 2 is outside the classes; expected a whole number from 0 to 2/,
  );
  // Sizes the browser could never hold are refused up front, and the module lives on.
  const huge = dl.sequential({ layers: [dl.layers.dense({ units: 1000000, inputShape: [100000] })] });
  await rejectsWith(huge.build(), /a kernel of 100000 x 1000000 would need 381470 MiB; the limit is 1024 MiB/);
  assert.throws(
    () => dl.tensor(new Float32Array(4), [4, 1, 1, 1, 1, 1, 1, 0]),
    /shape must be an array of whole numbers >= 1/,
  );
  const h = await model.fit(x, y, { epochs: 2, batchSize: 4 });
  assert.equal(h.history.loss.length, 2);

  await model.dispose();
  await rejectsWith(() => model.predict(x), /predict: this model has been disposed/);
  await model.dispose();
  for (const m of [uncompiled, empty, badActivation, noShape, badLoss, badOptimizer, sparse, huge]) await m.dispose();
});

test('native and WebAssembly builds agree within 1e-4 on the same short training run', async () => {
  // Dropout and shuffling make every random draw matter.
  const n = 60;
  const { x, y } = blobs(n);
  const description = {
    seed: 11,
    layers: [
      { type: 'dense', units: 12, activation: 'relu', inputShape: [2], kernelInitializer: 'he_normal' },
      { type: 'dropout', rate: 0.2 },
      { type: 'dense', units: 3, activation: 'softmax' },
    ],
  };
  const compile = {
    optimizer: { type: 'sgd', learningRate: 0.1, momentum: 0.9 },
    loss: 'sparse_categorical_crossentropy',
  };
  const fit = { epochs: 5, batchSize: 8 };
  const dir = mkdtempSync(join(tmpdir(), 'dlp-'));
  const runFile = join(dir, 'run.json');
  writeFileSync(
    runFile,
    JSON.stringify({
      model: { ...description, compile },
      fit,
      x: { shape: [n, 2], values: Array.from(x) },
      y: { shape: [n], values: Array.from(y) },
    }),
  );
  const native = JSON.parse(
    execFileSync(join(projectRoot, 'build/native/train_reference'), [runFile], { encoding: 'utf8' }),
  );

  const model = dl.sequential(description);
  model.compile(compile);
  const start = flat(await model.getWeights());
  const tx = dl.tensor(x, [n, 2]);
  const ty = dl.tensor(y, [n]);
  await model.fit(tx, ty, fit);
  const wasm = flat(await model.getWeights());
  assert.equal(wasm.length, native.length);
  const worst = Math.max(...wasm.map((v, i) => Math.abs(v - native[i])));
  assert.ok(worst <= 1e-4, `largest difference ${worst}`);
  assert.ok(
    start.some((v, i) => Math.abs(v - wasm[i]) > 1e-2),
    'the run must move the weights, or agreement proves nothing',
  );
  await model.dispose();
  tx.dispose();
  ty.dispose();
});

test('a model that cannot be built says which layer and which option, with the layers before it as built', async () => {
  const failure = async (layers) => {
    const model = dl.sequential({ layers });
    const error = await model.build().then(
      () => null,
      (e) => e,
    );
    await model.dispose();
    assert.ok(error instanceof Error, 'the build is refused');
    return error;
  };
  // The layer as a whole does not fit: Conv2D after Dense.
  let error = await failure([
    dl.layers.dense({ units: 4, inputShape: [2] }),
    dl.layers.dense({ units: 3, activation: 'relu' }),
    dl.layers.conv2d({ filters: 2, kernelSize: 3 }),
  ]);
  assert.equal(error.layerIndex, 2);
  assert.equal(error.option, '');
  assert.match(error.message, /conv2d \(Conv2D\) expects images/);
  assert.deepEqual(
    error.layers.map((l) => [l.name, l.type, l.outputShape, l.parameters]),
    [
      ['dense', 'Dense', [4], 12],
      ['dense_1', 'Dense', [3], 15],
    ],
  );
  // One option is at fault.
  error = await failure([
    dl.layers.dense({ units: 4, inputShape: [2] }),
    { type: 'dense', units: 3, activation: 'wobble' },
  ]);
  assert.deepEqual([error.layerIndex, error.option], [1, 'activation']);
  error = await failure([{ type: 'dropout', rate: 1.5, inputShape: [3] }]);
  assert.deepEqual([error.layerIndex, error.option, error.layers], [0, 'rate', []]);
  error = await failure([dl.layers.dense({ units: 2, inputShape: [2] }), { type: 'dense', units: 2, colour: 'red' }]);
  assert.deepEqual([error.layerIndex, error.option], [1, 'colour']);
});

test("both backends pass on only Core's calls for the API, not its helpers", async () => {
  const { Core } = await import('../../web/lib/core.js');
  const { CALLS, dispatch } = await import('../../web/lib/dispatch.js');
  const { WEIGHT_CALLS } = await import('../../web/lib/core_weights.js');
  const { OP_CALLS } = await import('../../web/lib/core_ops.js');
  const { loadEngineModule } = await import('../../web/lib/engine_loader.js');
  const core = new Core(await loadEngineModule());
  for (const helper of ['tensor', 'model', 'release', 'running', 'constructor', 'toString'])
    await rejectsWith(dispatch(core, helper, []), new RegExp(`unknown engine call "${helper}"`));
  assert.deepEqual(await dispatch(core, 'info', []), { simd: true, workers: 1 });
  const methods = Object.getOwnPropertyNames(Core.prototype);
  assert.deepEqual(
    [...CALLS].filter(
      (name) => !methods.includes(name) && !Object.hasOwn(WEIGHT_CALLS, name) && !Object.hasOwn(OP_CALLS, name),
    ),
    [],
    'every call names a method of Core or a call of core_weights.js or core_ops.js',
  );
});
