// TensorFlow.js programs unchanged: fit takes every option of TensorFlow.js' ModelFitArgs
// (initialEpoch as there, the rest accepted and ignored as documented), and still refuses
// a misspelled one with the list.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadApi, rejectsWith, xorData, xorModel } from './engine.mjs';

const dl = await loadApi();

test('fit takes TensorFlow.js’ ModelFitArgs: verbose, yieldEvery, stepsPerEpoch, validationSteps ignored; initialEpoch honoured', async () => {
  const model = xorModel();
  const [x, y] = xorData();
  const ended = [];
  const result = await model.fit(x, y, {
    epochs: 5,
    batchSize: 2,
    verbose: 0,
    yieldEvery: 'auto',
    stepsPerEpoch: 7,
    validationSteps: 3,
    initialEpoch: 2,
    callbacks: { onEpochEnd: (epoch) => ended.push(epoch) },
  });
  assert.deepEqual(result.epoch, [2, 3, 4], 'epochs - initialEpoch epochs, numbered from initialEpoch');
  assert.deepEqual(ended, [2, 3, 4]);
  assert.equal(result.history.loss.length, 3);
  await rejectsWith(
    model.fit(x, y, { epochs: 3, initialEpoch: 3 }),
    /initialEpoch must be a whole number from 0 to epochs - 1 \(2\); got 3/,
  );
  await rejectsWith(
    model.fit(x, y, { epochs: 1, sampleWeight: dl.tensor([1, 1, 1, 1], [4]) }),
    /sampleWeight is not supported \(TensorFlow\.js does not support it either\); use classWeight/,
  );
  await rejectsWith(model.fit(x, y, { epoch: 1 }), /unknown option 'epoch'; expected one of .*epochs/);
  await model.dispose();
});
