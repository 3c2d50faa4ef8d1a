// Recovery from failure through the API: divergence sets the weights back to the last
// finite ones, and work too large for the browser is refused up front with its size.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import { loadApi, rejectsWith } from './engine.mjs';

let dl;
before(async () => {
  dl = await loadApi();
});

const flat = (weights) => weights.flatMap((w) => Array.from(w.values));

test('a diverging fit stops, says where, and leaves finite weights that train on', async () => {
  const model = dl.sequential({
    seed: 1,
    layers: [dl.layers.dense({ units: 4, activation: 'relu', inputShape: [2] }), dl.layers.dense({ units: 1 })],
  });
  model.compile({ optimizer: dl.train.sgd(1e30), loss: 'meanSquaredError' });
  const x = dl.tensor(new Float32Array(16).fill(3), [8, 2]);
  const y = dl.tensor(new Float32Array(8).fill(1), [8, 1]);
  let told = null;
  const result = await model.fit(x, y, {
    epochs: 100,
    batchSize: 2,
    callbacks: { onDiverged: (where) => (told = where) },
  });
  assert.ok(result.diverged, 'the result says training diverged');
  assert.deepEqual(told, result.diverged);
  assert.ok(result.diverged.epoch < 100);
  assert.ok(flat(await model.getWeights()).every(Number.isFinite), 'the weights are finite');
  await model.setLearningRate(0.01);
  const again = await model.fit(x, y, { epochs: 2, batchSize: 2 });
  assert.equal(again.diverged, null);
  assert.ok(again.history.loss.every(Number.isFinite));
  await model.dispose();
  [x, y].forEach((t) => t.dispose());
});

test('a batch too large for the browser is refused before it starts, with its size and the limit', async () => {
  const model = dl.sequential({
    layers: [
      dl.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', inputShape: [512, 512, 3] }),
      dl.layers.batchNormalization(),
      dl.layers.globalAveragePooling2d(),
      dl.layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const n = 12;
  const x = dl.tensor(new Float32Array(n * 512 * 512 * 3), [n, 512, 512, 3]);
  const y = dl.tensor(new Float32Array(n), [n]);
  const start = (await dl.engineMemory()).heapInUse;
  await rejectsWith(
    model.fit(x, y, { batchSize: 12 }),
    /fit: training this model on 12 samples at once needs about \d+ MB \(weights, gradients and optimizer state 0 MB; activations \d+ MB\); the limit is 1536 MB/,
  );
  await rejectsWith(
    () => model.predict(x, { batchSize: 12 }),
    /predict: running this model on 12 samples at once needs about \d+ MB/,
  );
  assert.ok((await dl.engineMemory()).heapInUse - start < 1 << 20, 'nothing was allocated for the refused work');
  // Smaller batches of the same data go through.
  const p = await model.predictValues(x, { batchSize: 2 });
  assert.deepEqual(p.shape, [n, 2]);
  await model.dispose();
  [x, y].forEach((t) => t.dispose());
});

test('an engine that traps is reported, its objects refuse further calls, and restart() gives a fresh one', async () => {
  const model = dl.sequential({ layers: [dl.layers.dense({ units: 2, inputShape: [2] })] });
  await model.build();
  let reported = null;
  const stop = dl.onEngineFailure((error) => (reported = error.message));
  await rejectsWith(dl.trapEngineForTesting(), /the engine stopped: unreachable/);
  assert.equal(reported, 'the engine stopped: unreachable');
  await rejectsWith(model.weightEntries(), /the engine stopped/);
  assert.deepEqual(await dl.restart(), { mode: 'local', simd: true, workers: 1 });
  const fresh = dl.sequential({ layers: [dl.layers.dense({ units: 2, inputShape: [2] })] });
  const x = dl.tensor([[1, 2]]);
  assert.deepEqual((await fresh.predictValues(x)).shape, [1, 2]);
  stop();
  await fresh.dispose();
  x.dispose();
});

test('zeros and ones refuse an absurd shape with its size and the limit, before allocating anything', () => {
  const before = dl.memory().numTensors;
  assert.throws(
    () => dl.zeros([70000, 70000]),
    /^Error: zeros: a tensor of shape \[70000,70000\] would need 18692 MiB; the limit is 1024 MiB per tensor$/,
  );
  assert.throws(() => dl.ones([1e6, 1e6]), /ones: a tensor of shape \[1000000,1000000\] would need \d+ MiB/);
  assert.throws(() => dl.zeros([2, -1]), /zeros: shape must be an array of whole numbers >= 1; got \[2,-1\]/);
  assert.throws(() => dl.zeros('3'), /zeros: shape must be an array of whole numbers >= 1; got "3"/);
  assert.equal(dl.memory().numTensors, before);
  assert.deepEqual(Array.from(dl.ones([2, 2]).dataSync()), [1, 1, 1, 1]);
});

test("an unknown fit option is named with every option fit takes, the library's included", async () => {
  const model = dl.sequential({ layers: [dl.layers.dense({ units: 1, inputShape: [2] })] });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  await rejectsWith(
    model.fit(dl.zeros([4, 2]), dl.zeros([4, 1]), { epochz: 3 }),
    /fit: unknown option .epochz.; expected one of epochs, batchSize, .*validationData, callbacks, initialEpoch, startPaused, pace, workers, splitBatches, verbose/,
  );
  model.dispose();
});

test('step, resume, pause, stop and dispose called right after fit({startPaused}) wait for fit to start', async () => {
  const model = dl.sequential({ seed: 1, layers: [dl.layers.dense({ units: 1, inputShape: [2] })] });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const fitted = model.fit(dl.zeros([40, 2]), dl.ones([40, 1]), { epochs: 3, batchSize: 4, startPaused: true });
  const first = await model.step();
  const second = await model.step();
  assert.deepEqual([first.batch, second.batch], [0, 1]);
  await model.resume();
  await model.pause();
  model.stop();
  const { epoch, history } = await fitted;
  assert.ok(epoch.length >= 1 && epoch.length <= 3, `epochs ${epoch}`);
  assert.equal(history.loss.length, epoch.length);
  // Nor do they hang when called from onTrainBegin, before fit has started: they are
  // refused as they always were; and dispose right after fit waits for it to start.
  let refused = null;
  await model.fit(dl.zeros([8, 2]), dl.ones([8, 1]), {
    epochs: 1,
    callbacks: { onTrainBegin: () => model.step().catch((error) => (refused = error.message)) },
  });
  assert.match(refused ?? '', /not training/);
  const last = model.fit(dl.zeros([8, 2]), dl.ones([8, 1]), { epochs: 200, batchSize: 1 });
  await model.dispose();
  // fit started, then was stopped by dispose (before, the model was freed under it).
  const { epoch: run } = await last;
  assert.ok(run.length < 200, `ran ${run.length} epochs`);
});
