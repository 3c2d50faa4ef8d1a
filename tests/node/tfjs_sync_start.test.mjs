// A TensorFlow.js program in Node never awaits a backend: its first line may make a
// tensor and read it with dataSync(). Each case runs in a fresh Node process (this one has
// its engine already), with the engine loaded at once on first use; a later
// ready({workers: 2}) still starts a helper engine.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

const LIB = new URL('../../web/lib/index.js', import.meta.url).href;

// Runs `body` as a module that imports the library as `tf`; returns its printed lines.
function run(body) {
  const source = `import * as tf from ${JSON.stringify(LIB)};\n${body}`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', source], { encoding: 'utf8' }).trim().split('\n');
}

test('tensors, layers and models work from the first line, read synchronously', () => {
  const lines = run(`
    console.log(JSON.stringify(Array.from(tf.tensor([1, 2, 3]).square().dataSync())));
    console.log(tf.getBackend(), tf.memory().numTensors);
    const model = tf.sequential();
    model.add(tf.layers.dense({ units: 4, inputShape: [3], activation: 'relu' }));
    model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
    const p = model.predict(tf.ones([5, 3])).dataSync();
    console.log(p.length, Math.abs(p[0] + p[1] - 1) < 1e-6);
    console.log(tf.util.sizeFromShape([2, 3]), tf.buffer([2], 'float32').toTensor().arraySync().length);
  `);
  assert.deepEqual(lines, ['[1,4,9]', 'wasm 2', '10 true', '6 2']);
});

test("a dataset program's data module reads tensors before anything is awaited", () => {
  const lines = run(`
    const xs = tf.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const ys = tf.tensor2d([[0], [1], [1], [0]]);
    const rows = xs.arraySync().map((x, i) => ({ xs: x, ys: ys.arraySync()[i] }));
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [2], activation: 'tanh' }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
    model.compile({ optimizer: tf.train.adam(0.1), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const history = await model.fitDataset(tf.data.array(rows).batch(4), { epochs: 60 });
    console.log(Object.keys(history.history).join(','), history.history.acc.at(-1));
  `);
  assert.equal(lines.length, 1);
  const [keys, accuracy] = lines[0].split(' ');
  assert.equal(keys, 'loss,acc');
  assert.equal(Number(accuracy), 1, 'XOR learned');
});

test('ready() after the engine started at once: the same engine; workers: 2 adds a helper', () => {
  const lines = run(`
    const t = tf.tensor([5]);
    console.log(JSON.stringify(await tf.ready()));
    console.log(JSON.stringify(await tf.ready({ workers: 2 })));
    console.log(t.dataSync()[0]);
    await tf.setWorkers(1);
  `);
  assert.deepEqual(lines, [
    JSON.stringify({ mode: 'local', simd: true, workers: 1 }),
    JSON.stringify({ mode: 'local', simd: true, workers: 2 }),
    '5',
  ]);
});
