// A run taken elsewhere: NumPy's .npy/.npz written and read back (by our reader and by
// NumPy itself), and the Keras project of a playground: its script parses, its data.npz
// holds the exact rows the page trained and tested on, its model/ loads back with the
// same predictions.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { strFromU8, unzipSync } from 'fflate';

import { decodeNpy, decodeNpz, encodeNpy, encodeNpz } from '../../web/lib/io/npy.js';
import { loadApi } from './engine.mjs';

const dl = await loadApi();
const { Playground } = await import('../../web/src/playground/app.js');
const { decodeState } = await import('../../web/src/playground/state.js');
const { kerasProject } = await import('../../web/src/playground/keras_project.js');

// Debian's Python, where python3-numpy is installed (another python3 may come first in PATH).
const numpyPython = '/usr/bin/python3';

test('.npy files round-trip every dtype and shape; a corrupt one is refused by name', () => {
  const cases = [
    [Float32Array.from([1.5, -2, 3.25, 0, 7, 8]), [2, 3]],
    [Float64Array.from([Math.PI]), [1]],
    [Int32Array.from([-5, 7, 9, 11]), [4]],
    [Uint8Array.from({ length: 2 * 4 * 4 * 1 }, (_, i) => i * 7), [2, 4, 4, 1]],
  ];
  for (const [values, shape] of cases) {
    const bytes = encodeNpy(values, shape);
    assert.equal((bytes[8] + (bytes[9] << 8) + 10) % 64, 0, 'the data starts on a 64-byte boundary');
    const back = decodeNpy(bytes);
    assert.deepEqual(back.shape, shape);
    assert.deepEqual(Array.from(back.values), Array.from(values));
    assert.equal(back.values.constructor, values.constructor);
  }
  assert.throws(
    () => encodeNpy(new Int16Array(2), [2]),
    /values must be a Float32Array, Float64Array, Int32Array or Uint8Array; got Int16Array/,
  );
  assert.throws(() => encodeNpy(new Float32Array(5), [2, 3]), /shape \[2,3\] holds 6 values but 5 were given/);
  assert.throws(
    () => decodeNpy(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), 'x.npy'),
    /"x\.npy": not a NumPy \.npy file/,
  );
  assert.throws(
    () => decodeNpy(encodeNpy(new Float32Array(8), [8]).subarray(0, 80), 'z.npy'),
    /"z\.npy": the \.npy header is cut short/,
  );
  const truncated = encodeNpy(new Float32Array(8), [8]).subarray(0, 128 + 16);
  assert.throws(() => decodeNpy(truncated, 'y.npy'), /"y\.npy": shape \[8\] needs 32 bytes of data; the file has 16/);
  assert.throws(() => decodeNpz(Uint8Array.from([1, 2, 3])), /not a \.npz file/);
});

test('NumPy reads our .npz with the same dtypes, shapes and values', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dlp-npz-'));
  writeFileSync(
    join(dir, 'a.npz'),
    encodeNpz({
      x: { values: Float32Array.from([0.5, 1.5, -2.5, 4]), shape: [2, 2] },
      labels: { values: Int32Array.from([3, 1, 4]), shape: [3] },
      pixels: { values: Uint8Array.from([0, 128, 255, 7]), shape: [1, 2, 2, 1] },
    }),
  );
  const out = execFileSync(
    numpyPython,
    [
      '-c',
      "import numpy as np, sys; d = np.load(sys.argv[1]); print(';'.join(f'{k} {d[k].dtype} {d[k].shape} {d[k].ravel().tolist()}' for k in sorted(d.files)))",
      join(dir, 'a.npz'),
    ],
    { encoding: 'utf8' },
  ).trim();
  assert.equal(
    out,
    'labels int32 (3,) [3, 1, 4];pixels uint8 (1, 2, 2, 1) [0, 128, 255, 7];x float32 (2, 2) [0.5, 1.5, -2.5, 4.0]',
  );
});

test('the Keras project of a playground: the script parses, data.npz holds the rows trained on, model/ loads back', async () => {
  const { state, preset, explicit } = decodeState(
    'data=gaussians&noise=0.5&imbalance=1:20&epochs=5&speed=full&weights=balanced',
  );
  const app = new Playground({ state, preset, explicit });
  await app.rebuild({ reloadData: true });
  assert.equal(app.problem, null);
  await app.train();
  await app.fitting;
  assert.equal(app.trainState, 'done');
  const { bytes, files } = await kerasProject(app);
  assert.deepEqual(files, ['train.py', 'data.npz', 'model/model.json', 'model/weights.bin', 'README.txt']);
  const zip = unzipSync(bytes);
  const script = strFromU8(zip['train.py']);
  execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: script });
  assert.match(script, /data = np\.load\('data\.npz'\)/);
  assert.match(script, /class_weight = \{c: len\(labels\)/, 'balanced weights are computed from data.npz');
  assert.doesNotMatch(script, /keep = ~np\.isin/, 'the imbalance is already in data.npz');
  assert.match(
    script,
    /tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras model\/model\.json/,
  );
  assert.match(script, /GPU/);
  assert.match(strFromU8(zip['README.txt']), /python train\.py/);

  // The data, as our reader and as NumPy see it: the page's rows, in its order.
  const arrays = decodeNpz(zip['data.npz']);
  const data = app.data;
  assert.deepEqual(arrays.x_train.shape, [data.train.n, 2]);
  assert.deepEqual(Array.from(arrays.x_train.values), Array.from(data.train.x));
  assert.deepEqual(Array.from(arrays.y_train.values), Array.from(data.train.y, Number));
  assert.deepEqual(arrays.x_test.shape, [data.test.n, 2]);
  const counts = dl.data.classCounts(Array.from(arrays.y_train.values));
  assert.ok(counts[1] < counts[0] / 3, `the imbalanced training set: ${counts}`);
  const dir = mkdtempSync(join(tmpdir(), 'dlp-project-'));
  writeFileSync(join(dir, 'data.npz'), zip['data.npz']);
  const seen = execFileSync(
    numpyPython,
    [
      '-c',
      "import numpy as np; d = np.load('data.npz'); print(d['x_train'].shape, d['y_train'].dtype, d['x_test'].shape, round(float(d['x_train'][0, 0]), 6))",
    ],
    { cwd: dir, encoding: 'utf8' },
  ).trim();
  assert.equal(seen, `(${data.train.n}, 2) int32 (${data.test.n}, 2) ${+data.train.x[0].toFixed(6)}`);

  // The weights load back (TensorFlow.js' layers format) and predict as the page's model.
  const loaded = await dl.io.importModel({
    modelJson: strFromU8(zip['model/model.json']),
    weights: zip['model/weights.bin'].slice().buffer,
  });
  const x = dl.tensor(data.test.x.slice(0, 20), [10, 2]);
  const [a, b] = await Promise.all([app.model.predict(x).data(), loaded.predict(x).data()]);
  assert.deepEqual(Array.from(b), Array.from(a));
  await loaded.dispose();
  x.dispose();
});

test('a Keras project of a page with a search: search.py runs it on data.npz (KerasTuner for a Bayesian search)', async () => {
  const { state, preset, explicit } = decodeState(
    'data=gaussians&noise=0.5&speed=full&search=bayesian&trials=6&trialepochs=4&space=learningRate:0.001..0.1;units:2,8',
  );
  const app = new Playground({ state, preset, explicit });
  await app.rebuild({ reloadData: true });
  const { bytes, files } = await kerasProject(app);
  assert.deepEqual(files, ['train.py', 'data.npz', 'model/model.json', 'model/weights.bin', 'search.py', 'README.txt']);
  const zip = unzipSync(bytes);
  const search = strFromU8(zip['search.py']);
  execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: search });
  assert.match(search, /data = np\.load\('data\.npz'\)/);
  assert.match(search, /'learning_rate': hp\.Float\('learning_rate', 0\.001, 0\.1, sampling='log'\),/);
  assert.match(search, /'units': hp\.Choice\('units', \[2, 8\]\),/);
  assert.match(search, /max_trials=6,/);
  assert.match(search, /tuner\.search\(x_train, y_train, epochs=4, validation_data=\(x_test, y_test\)/);
  assert.match(
    strFromU8(zip['README.txt']),
    /search\.py {4}the Search panel's bayesian search of it[\s\S]*pip install keras-tuner {2}&& {2}python search\.py/,
  );
  // A grid of the same page: a loop over every combination; a field a grid cannot take: no search.py.
  await app.update({ searchMethod: 'grid', searchSpace: { units: '2,8', optimizer: 'adam,sgd' } });
  const grid = unzipSync((await kerasProject(app)).bytes);
  assert.match(strFromU8(grid['search.py']), /itertools\.product/);
  await app.update({ searchSpace: { learningRate: '0.001..0.1' } });
  assert.equal((await kerasProject(app)).files.includes('search.py'), false);
});
