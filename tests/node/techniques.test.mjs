// The training techniques of the seeds through the JavaScript API: learning-rate schedules
// (the rate each batch used, in its info; the epochs' rates in the history), Keras'
// ReduceLROnPlateau as a callback, and their options refused by name.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadApi, rejectsWith, xorData, xorModel } from './engine.mjs';

const dl = await loadApi();

test('a schedule sets each batch’s learning rate, as Keras’ schedules compute it', async () => {
  const model = xorModel();
  const [x, y] = xorData();
  const base = await model.learningRate();
  const rates = [];
  const { history } = await model.fit(x, y, {
    epochs: 5,
    batchSize: 1,
    shuffle: false,
    schedule: dl.schedules.cosineDecay({ decaySteps: 12, alpha: 0.2 }),
    callbacks: { onBatchEnd: (batch, logs, info) => rates.push(info.learningRate) },
  });
  assert.equal(rates.length, 20);
  rates.forEach((rate, step) => {
    const expected = base * (0.8 * 0.5 * (1 + Math.cos((Math.PI * Math.min(step, 12)) / 12)) + 0.2);
    assert.ok(Math.abs(rate - expected) < 1e-6 * base, `step ${step}: ${rate}, expected ${expected}`);
  });
  assert.equal(history.lr.length, 5);
  assert.ok(Math.abs(history.lr[4] - 0.2 * base) < 1e-6 * base);
  await model.dispose();
});

test('reduceLROnPlateau as a callback lowers the rate when the monitored loss stalls', async () => {
  const model = xorModel();
  const [x, y] = xorData();
  await model.setLearningRate(1e-7); // nothing improves after the first epoch
  const { history } = await model.fit(x, y, {
    epochs: 4,
    batchSize: 4,
    callbacks: [dl.callbacks.reduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 1 })],
  });
  const expected = [1e-7, 1e-7, 5e-8, 2.5e-8];
  history.lr.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-12, `epoch ${i}: ${v}`));
  await model.dispose();
});

test('a schedule’s unknown type or option is refused by name', async () => {
  const model = xorModel();
  const [x, y] = xorData();
  await rejectsWith(
    model.fit(x, y, { schedule: { type: 'linear' } }),
    /unknown schedule 'linear'; expected one of step_decay, exponential_decay, cosine_decay, reduce_on_plateau/,
  );
  await rejectsWith(
    model.fit(x, y, { schedule: dl.schedules.stepDecay({ alpha: 0.1 }) }),
    /schedule step_decay: unknown option 'alpha'; expected one of type, decaySteps, decayRate/,
  );
  await model.dispose();
});
