// TensorFlow.js' small helpers as programs use them, each checked against TensorFlow.js
// 4.22 itself in the same process: tf.util, tf.buffer and TensorBuffer (with
// tensor.buffer()/bufferSync()), tf.print, tf.env(), tf.getBackend()/setBackend(),
// tf.version; bad input refused by name.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import { loadApi } from './engine.mjs';

const dl = await loadApi();
const tf = createRequire(import.meta.url)('@tensorflow/tfjs');

test('util: the same answers as TensorFlow.js’ tf.util', () => {
  const nested = [[1, [2, 3]], new Float32Array([4, 5]), [[6]]];
  assert.deepEqual(dl.util.flatten(nested), tf.util.flatten(nested));
  assert.deepEqual(dl.util.flatten(nested, [], true), tf.util.flatten(nested, [], true));
  for (const [a, b] of [
    [
      [1, 2, 3],
      [1, 2, 3],
    ],
    [
      [1, 2],
      [1, 2, 3],
    ],
    [new Float32Array([1, 2]), new Float32Array([1, 3])],
  ])
    assert.equal(dl.util.arraysEqual(a, b), tf.util.arraysEqual(a, b));
  assert.deepEqual(
    dl.util.toNestedArray([2, 3], [1, 2, 3, 4, 5, 6]),
    tf.util.toNestedArray([2, 3], new Float32Array([1, 2, 3, 4, 5, 6])),
  );
  assert.deepEqual(
    dl.util.toNestedArray([2, 1, 2], [1, 2, 3, 4]),
    tf.util.toNestedArray([2, 1, 2], new Float32Array([1, 2, 3, 4])),
  );
  assert.equal(dl.util.sizeFromShape([2, 3, 4]), tf.util.sizeFromShape([2, 3, 4]));
  const text = 'Ünïcode → 文字';
  assert.deepEqual(Array.from(dl.util.encodeString(text)), Array.from(tf.util.encodeString(text)));
  assert.equal(dl.util.decodeString(tf.util.encodeString(text)), text);
  assert.equal(dl.util.clamp(0, 7, 3), tf.util.clamp(0, 7, 3));
  // A shuffled index list: every index once.
  const order = dl.util.createShuffledIndices(50);
  assert.ok(order instanceof Uint32Array);
  assert.deepEqual(
    [...order].sort((a, b) => a - b),
    Array.from({ length: 50 }, (_, i) => i),
  );
  const before = dl.util.now();
  assert.ok(typeof before === 'number' && dl.util.now() >= before);
  assert.throws(
    () => dl.util.createShuffledIndices(-1),
    /util\.createShuffledIndices: n must be a whole number >= 0; got -1/,
  );
  assert.throws(
    () => dl.util.toNestedArray([2, 2], [1, 2, 3]),
    /util\.toNestedArray: shape \[2,2\] holds 4 values; 3 were given/,
  );
  assert.throws(() => dl.util.decodeString(new Uint8Array(1), 'latin1'), /only utf-8 is supported; got "latin1"/);
  assert.throws(() => dl.util.assert(1 > 2, () => 'one is not above two'), /one is not above two/);
});

test('buffer: a TensorBuffer filled value by value becomes the tensor TensorFlow.js makes', async () => {
  // As tfjs-examples' date-conversion and sentiment examples fill their inputs.
  const fill = (lib) => {
    const b = lib.buffer([2, 3, 4], 'int32');
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) b.set(i * 10 + j, i, j, (i + j) % 4);
    b.set(b.get(1, 2, 3) + 100, 0, 0, 1);
    return b;
  };
  const ours = fill(dl);
  const theirs = fill(tf);
  assert.deepEqual(ours.strides, theirs.strides);
  assert.deepEqual([ours.rank, ours.size, ours.dtype], [theirs.rank, theirs.size, theirs.dtype]);
  assert.deepEqual(ours.indexToLoc(17), theirs.indexToLoc(17));
  assert.equal(ours.locToIndex([1, 2, 3]), theirs.locToIndex([1, 2, 3]));
  const t = ours.toTensor();
  assert.equal(t.dtype, 'int32');
  assert.deepEqual(t.shape, [2, 3, 4]);
  assert.deepEqual(Array.from(t.dataSync()), Array.from(theirs.toTensor().dataSync()));
  // Over given values (not copied), and back from a tensor.
  const values = new Float32Array([1, 2, 3, 4]);
  const over = dl.buffer([2, 2], 'float32', values);
  over.set(9, 1, 0);
  assert.equal(values[2], 9);
  const fromTensor = dl
    .tensor2d([
      [1, 2],
      [3, 4],
    ])
    .bufferSync();
  assert.equal(fromTensor.get(1, 0), 3);
  assert.equal((await t.buffer()).get(0, 2, 2), 2);
  assert.throws(() => dl.buffer([2, -1]), /buffer: shape must be an array of whole numbers >= 0; got \[2,-1\]/);
  assert.throws(
    () => dl.buffer([2], 'complex64'),
    /buffer: unknown dtype "complex64"; expected one of float32, int32, bool/,
  );
  assert.throws(() => dl.buffer([2, 2], 'float32', [1, 2, 3]), /buffer: shape \[2,2\] holds 4 values; 3 were given/);
  assert.throws(() => ours.set(1, 0, 0), /buffer: 2 coordinates were given; a buffer of shape \[2,3,4\] takes 3/);
  assert.throws(
    () => ours.get(2, 0, 0),
    /buffer: coordinates \[2,0,0\] are outside the shape \[2,3,4\] \(dimension 0 goes from 0 to 1\)/,
  );
  dl.dispose(t);
});

test('print, env, backends and version as TensorFlow.js programs call them', async () => {
  const logged = [];
  const log = console.log;
  console.log = (...args) => logged.push(args.join(' '));
  try {
    await dl.print(dl.tensor1d([1, 2, 3]));
  } finally {
    console.log = log;
  }
  assert.equal(logged.join('\n'), 'Tensor\n    [1, 2, 3]');
  await assert.rejects(dl.print([1, 2]), /print: expected a Tensor; got \[1,2\]/);
  assert.equal(dl.getBackend(), 'wasm');
  // Every backend TensorFlow.js registers is accepted (one engine runs them all).
  for (const name of ['cpu', 'webgl', 'wasm']) {
    assert.equal(await dl.setBackend(name), true);
    assert.equal(dl.getBackend(), name);
  }
  await assert.rejects(
    dl.setBackend('cuda'),
    /setBackend: backend "cuda" is not known; expected one of wasm, cpu, webgl, webgpu, tensorflow/,
  );
  assert.equal(dl.getBackend(), 'wasm');
  assert.equal(dl.env().get('IS_NODE'), tf.env().get('IS_NODE'));
  assert.equal(dl.env().getBool('IS_BROWSER'), tf.env().getBool('IS_BROWSER'));
  dl.env().set('WEBGL_PACK', false);
  assert.equal(dl.env().get('WEBGL_PACK'), false);
  dl.enableProdMode();
  assert.equal(dl.env().get('PROD'), true);
  assert.throws(() => dl.env().get('NO_SUCH_FLAG'), /env\(\)\.get: no flag "NO_SUCH_FLAG"; expected one of IS_BROWSER/);
  dl.env().reset();
  assert.equal(dl.env().get('PROD'), false);
  assert.equal(dl.version.tfjs, tf.version.tfjs);
  const ownPackage = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  assert.equal(dl.version['dl-playground'], ownPackage.version, 'the version is the project’s (package.json)');
});

test('TensorFlow.js’ other names: LayersModel for instanceof, train.Optimizer, ENV, models.modelFromJSON, util.assertShapesMatch', async () => {
  const sequential = dl.sequential({ layers: [dl.layers.dense({ units: 1, inputShape: [2] })] });
  const input = dl.input({ shape: [2] });
  const graph = dl.model({ inputs: input, outputs: dl.layers.dense({ units: 1 }).apply(input) });
  assert.ok(sequential instanceof dl.LayersModel && graph instanceof dl.LayersModel);
  assert.ok(dl.train.adam(0.1) instanceof dl.train.Optimizer);
  assert.equal(dl.ENV.get('IS_NODE'), tf.ENV.get('IS_NODE'));
  const fresh = await dl.models.modelFromJSON(
    JSON.parse(
      JSON.stringify(tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] })] }).toJSON(null, false)),
    ),
  );
  const out = fresh.predict(dl.zeros([2, 4]));
  assert.deepEqual(
    (await out.array()).map((row) => row.length),
    [3, 3],
    'a model from TensorFlow.js’ topology',
  );
  out.dispose();
  assert.doesNotThrow(() => dl.util.assertShapesMatch([2, 3], [2, 3]));
  assert.throws(() => dl.util.assertShapesMatch([2, 3], [3, 2], 'x: '), /x: Shapes \[2,3\] and \[3,2\] must match/);
  assert.throws(() => tf.util.assertShapesMatch([2, 3], [3, 2], 'x: '), /x: /);
});
