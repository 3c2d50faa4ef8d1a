// TensorFlow.js programs unchanged: fit takes every option of TensorFlow.js' ModelFitArgs
// (initialEpoch as there, the rest accepted and ignored as documented), and still refuses
// a misspelled one with the list.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
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
    model.fit(x, y, { epochs: 1, sampleWeight: dl.tensor([1, 1, 1], [3]) }),
    /fit: sampleWeight has shape \(3,\); expected \(4,\)/,
  );
  await rejectsWith(model.fit(x, y, { epoch: 1 }), /unknown option "epoch"; expected one of .*epochs/);
  await model.dispose();
});

test('tensor1d-4d check their rank; oneHot takes a Tensor; tidy keeps what it returns and disposes the rest; dispose takes containers', async () => {
  assert.deepEqual(dl.tensor3d([[[1], [2]]]).shape, [1, 2, 1]);
  assert.deepEqual(dl.tensor4d(new Float32Array(8), [2, 2, 2, 1]).shape, [2, 2, 2, 1]);
  assert.deepEqual(dl.tensor1d([3, 1], 'int32').shape, [2]);
  assert.throws(() => dl.tensor2d([1, 2, 3]), /tensor2d: expected a shape of 2 dimensions; got \[3\]/);
  assert.throws(
    () => dl.tensor4d(new Float32Array(4), [2, 2]),
    /tensor4d: expected a shape of 4 dimensions; got \[2,2\]/,
  );

  const labels = dl.tensor1d([2, 0, 1], 'int32');
  const encoded = dl.oneHot(labels, 3);
  assert.deepEqual(encoded.shape, [3, 3]);
  assert.deepEqual(Array.from(await encoded.data()), [0, 0, 1, 1, 0, 0, 0, 1, 0]);
  // In Node the engine runs in this thread, so the labels are checked at once.
  assert.throws(
    () => dl.oneHot(dl.tensor1d([5]), 3),
    /oneHot: label 5 at index 0 is outside the classes; expected a whole number from 0 to 2/,
  );
  // As in TensorFlow.js, indices of any rank get a last axis of depth.
  assert.deepEqual(dl.oneHot(dl.tensor2d([[1], [0]], undefined, 'int32'), 2).arraySync(), [[[0, 1]], [[1, 0]]]);

  let inside;
  const kept = dl.tidy(() => {
    inside = [dl.tensor1d([1, 2]), dl.tensor2d([[1, 2]])];
    return { a: dl.tensor1d([7]) };
  });
  assert.deepEqual(
    inside.map((t) => t.disposed),
    [true, true],
  );
  assert.equal(kept.a.disposed, false);
  assert.deepEqual(Array.from(await kept.a.data()), [7]);
  assert.throws(() => dl.tidy(async () => dl.tensor1d([1])), /tidy: fn must not be async/);
  dl.dispose([kept, { labels, encoded }]);
  assert.deepEqual(
    [kept.a, labels, encoded].map((t) => t.disposed),
    [true, true, true],
  );
});

test('tf.concat and tf.util as the TensorFlow.js iris example uses them give TensorFlow.js results', async () => {
  const tf = createRequire(import.meta.url)('@tensorflow/tfjs');
  await tf.setBackend('cpu');
  const a = [[[1, 2]], [[3, 4]]];
  const b = [[[5, 6]], [[7, 8]]];
  for (const axis of [0, 1, 2, -1]) {
    const ours = dl.concat([dl.tensor(a), dl.tensor(b)], axis);
    const theirs = tf.concat([tf.tensor(a), tf.tensor(b)], axis);
    assert.deepEqual(ours.shape, theirs.shape, `axis ${axis}`);
    assert.deepEqual(await ours.array(), await theirs.array(), `axis ${axis}`);
  }
  assert.equal(dl.concat([dl.tensor1d([1, 2], 'int32'), dl.tensor1d([3], 'int32')]).dtype, 'int32');
  assert.throws(
    () => dl.concat([dl.tensor([[1, 2]]), dl.tensor([[1, 2, 3]])], 0),
    /concat: tensor 1 has shape \[1,3\]; expected \[1,2\] but for axis 0/,
  );
  assert.throws(() => dl.concat(dl.tensor([1]), 0), /concat: expected an array of tensors/);
  assert.throws(() => dl.concat([dl.tensor([1])], 1), /concat: axis 1 is outside a tensor of rank 1/);

  const indices = Array.from({ length: 50 }, (_, i) => i);
  dl.util.shuffle(indices);
  assert.notDeepEqual(
    indices,
    [...indices].sort((x, y) => x - y),
    'shuffled',
  );
  assert.deepEqual(
    [...indices].sort((x, y) => x - y),
    Array.from({ length: 50 }, (_, i) => i),
  );
  const xs = [1, 2, 3, 4, 5];
  const ys = [10, 20, 30, 40, 50];
  dl.util.shuffleCombo(xs, ys);
  assert.deepEqual(
    xs.map((x) => x * 10),
    ys,
  );
  assert.equal(dl.util.sizeFromShape([2, 3, 4]), tf.util.sizeFromShape([2, 3, 4]));
  assert.throws(() => dl.util.shuffle('abc'), /util.shuffle: expected an array or a typed array; got "abc"/);
});
